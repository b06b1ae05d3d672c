#pragma once

// MessageRequestModel: pending message requests (gateway threads waiting for
// approval), newest first, one row per thread. Backend::messageRequestReceived
// → add (one line): a new message in a thread already listed updates that row
// and moves it to the top. remove(threadKey) once approved or blocked.

#include "chattypes.h"

#include <QAbstractListModel>
#include <QList>

namespace natter::client {

class MessageRequestModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)

public:
    // QML names in quotes.
    enum Role {
        ThreadKeyRole = Qt::UserRole + 1, // "threadKey"    QString: the thread (direct room) as the backend addresses it
        FromIdRole,                       // "fromId"       QString: who asks
        FromNameRole,                     // "fromName"     QString: their display name, else username, else id (also DisplayRole)
        FromUsernameRole,                 // "fromUsername" QString
        TextRole,                         // "text"         QString: the (latest) message of the request
        CreatedAtRole,                    // "createdAt"    QDateTime
        ReadRole,                         // "read"         bool: seen since it arrived (markAllRead)
    };
    Q_ENUM(Role)

    explicit MessageRequestModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_items.size()); }
    int unreadCount() const;

    void add(const MessageRequest &request);
    Q_INVOKABLE void markAllRead();
    Q_INVOKABLE bool remove(const QString &threadKey);
    void clear();
    Q_INVOKABLE int indexOf(const QString &threadKey) const;

signals:
    void countChanged();
    void unreadCountChanged();

private:
    struct Item
    {
        MessageRequest request;
        bool read = false;
    };
    QList<Item> m_items;
};

} // namespace natter::client
