#pragma once

// MessageRequestModel: pending message requests (gateway threads waiting for
// approval), newest first, one row per thread. Backend::messageRequestReceived
// → add (one line): a new message in a thread already listed updates that row
// and moves it to the top. remove(threadKey) once approved or blocked.

#include "chattypes.h"

#include "inboxmodel.h"

#include <QList>

namespace natter::client {

class MessageRequestModel : public InboxModel
{
    Q_OBJECT

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

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const override { return int(m_items.size()); }

    void add(const MessageRequest &request);

protected:
    QString keyAt(int row) const override { return m_items.at(row).request.threadKey; }
    bool isReadAt(int row) const override { return m_items.at(row).read; }
    void setReadAt(int row) override { m_items[row].read = true; }
    void removeItemAt(int row) override { m_items.removeAt(row); }
    void clearItems() override { m_items.clear(); }
    int readRole() const override { return ReadRole; }

private:
    struct Item
    {
        MessageRequest request;
        bool read = false;
    };
    QList<Item> m_items;
};

} // namespace natter::client
