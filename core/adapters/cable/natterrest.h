#pragma once

// Natter's REST extras, read by the `cable` and `chats` adapters when the
// server is a Natter server (neither spec has a room list or history):
//   GET /api/v1.0/chat/rooms/                 every room of the caller, with id and uuid
//   GET /api/v1.0/chat/rooms/{id}/messages/   20 a page, newest first, ?page=N
// Both are spec 003's shapes (paginated: count, next, previous, results).
// The adapters key rooms and people their own way; these helpers only parse.

#include "chattypes.h"

#include <QJsonObject>
#include <QList>
#include <QQueue>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>
#include <functional>
#include <optional>

namespace natter::client::natterrest {

// The last `capacity` strings seen (message ids, client ids): a bounded memory
// for dropping what was delivered already.
class RecentSet
{
public:
    explicit RecentSet(qsizetype capacity = 512) : m_capacity(capacity) { }
    bool contains(const QString &value) const { return m_values.contains(value); }
    // Remembers `value`; false when it was remembered already.
    bool insert(const QString &value)
    {
        if (value.isEmpty() || m_values.contains(value))
            return false;
        m_values.insert(value);
        m_order.enqueue(value);
        while (m_order.size() > m_capacity)
            m_values.remove(m_order.dequeue());
        return true;
    }
    void clear()
    {
        m_values.clear();
        m_order.clear();
    }

private:
    qsizetype m_capacity;
    QSet<QString> m_values;
    QQueue<QString> m_order;
};

QString roomsPath();
QString messagesPath(qint64 roomId);

struct Page
{
    QList<QJsonObject> results;
    QUrl next; // empty on the last page
};

// A paginated answer, or nullopt when the reply is not one (not a Natter server,
// not signed in, no such page).
std::optional<Page> parsePage(int status, const QByteArray &body);

// A room as the rooms REST gives it. `key` is left empty; other.id is Natter's user id.
RoomSummary room(const QJsonObject &object);
// A message as the rooms REST gives it. roomKey empty; sender.id is Natter's user id;
// clientId is the sender's temp id (empty when it gave none).
ChatMessage message(const QJsonObject &object);

// An HTTP GET of the adapter (WebSocketBackend::httpGet): path, query, then the status and body.
using Get = std::function<void(const QString &path, const QUrlQuery &query,
                               std::function<void(int status, const QByteArray &body)> handler)>;

// Every room of the caller, following `next` to the last page. ok is false
// when the server does not answer as Natter does.
void fetchRooms(const Get &get, std::function<void(const QList<RoomSummary> &rooms, bool ok)> done);

// Messages of a room older than `beforeId` (every message when empty), newest
// first, at most `limit`. complete: nothing older is left.
void fetchHistory(const Get &get, qint64 roomId, const QString &beforeId, int limit,
                  std::function<void(const QList<ChatMessage> &messages, bool complete, bool ok)> done);


// The claims of a JWT, read without verifying it: who we are, for display and
// for telling our own messages apart. Empty when the token is not a JWT.
QJsonObject jwtClaims(const QString &token);

} // namespace natter::client::natterrest
