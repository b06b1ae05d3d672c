#pragma once

// NotificationModel: the account's notifications (group invitations, …),
// newest first. Backend::notificationReceived → add (one line). A
// notification with a known id updates that row instead of adding one.

#include "chattypes.h"

#include <QAbstractListModel>
#include <QList>

namespace natter::client {

class NotificationModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)

public:
    // QML names in quotes.
    enum Role {
        IdRole = Qt::UserRole + 1, // "notificationId" QString
        TypeRole,                  // "type"      QString: "group_invite", …
        MessageRole,               // "message"   QString: the text to show (also DisplayRole)
        RoomKeyRole,               // "roomKey"   QString: the room it is about (e.g. the group invited to)
        ReadRole,                  // "read"      bool
        CreatedAtRole,             // "createdAt" QDateTime
    };
    Q_ENUM(Role)

    explicit NotificationModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_items.size()); }
    int unreadCount() const;

    void add(const Notification &notification);
    Q_INVOKABLE bool markRead(const QString &id);
    Q_INVOKABLE void markAllRead();
    Q_INVOKABLE bool remove(const QString &id);
    void clear();
    Q_INVOKABLE int indexOf(const QString &id) const;
    QList<Notification> notifications() const { return m_items; }

signals:
    void countChanged();
    void unreadCountChanged();

private:
    QList<Notification> m_items;
};

} // namespace natter::client
