#pragma once

// NotificationModel: the account's notifications (group invitations, …),
// newest first. Backend::notificationReceived → add (one line). A
// notification with a known id updates that row instead of adding one.

#include "chattypes.h"

#include "inboxmodel.h"

#include <QList>

namespace natter::client {

class NotificationModel : public InboxModel
{
    Q_OBJECT

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

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const override { return int(m_items.size()); }

    // A known id updates its row (kept read if it was; no signal when nothing changed).
    void add(const Notification &notification);
    QList<Notification> notifications() const { return m_items; }

protected:
    QString keyAt(int row) const override { return m_items.at(row).id; }
    bool isReadAt(int row) const override { return m_items.at(row).read; }
    void setReadAt(int row) override { m_items[row].read = true; }
    void removeItemAt(int row) override { m_items.removeAt(row); }
    void clearItems() override { m_items.clear(); }
    int readRole() const override { return ReadRole; }

private:
    QList<Notification> m_items;
};

} // namespace natter::client
