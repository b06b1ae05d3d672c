#include "localcache.h"

#include "deliveryrules.h"
#include "sqlitefile.h"

#include <QSqlQuery>
#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {

const QStringList schema{
    u"CREATE TABLE IF NOT EXISTS cache_rooms ("
    " account_id INTEGER NOT NULL REFERENCES natter_accounts (id) ON DELETE CASCADE,"
    " room_key TEXT NOT NULL,"
    " room_id INTEGER NOT NULL DEFAULT 0,"
    " uuid TEXT,"
    " kind TEXT NOT NULL,"
    " name TEXT,"
    " other_id TEXT, other_username TEXT, other_display_name TEXT, other_last_seen INTEGER,"
    " unread INTEGER NOT NULL DEFAULT 0,"
    " last_activity INTEGER,"
    " last_id TEXT, last_client_id TEXT, last_sender_id TEXT, last_sender_username TEXT,"
    " last_sender_name TEXT, last_outgoing INTEGER, last_kind TEXT, last_text TEXT, last_stamp_id TEXT,"
    " last_latitude REAL, last_longitude REAL, last_created_at INTEGER, last_status TEXT,"
    " PRIMARY KEY (account_id, room_key))"_s,
    u"CREATE TABLE IF NOT EXISTS cache_room_state ("
    " account_id INTEGER NOT NULL REFERENCES natter_accounts (id) ON DELETE CASCADE,"
    " room_key TEXT NOT NULL,"
    " history_complete INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (account_id, room_key))"_s,
    u"CREATE TABLE IF NOT EXISTS cache_messages ("
    " seq INTEGER PRIMARY KEY,"
    " account_id INTEGER NOT NULL REFERENCES natter_accounts (id) ON DELETE CASCADE,"
    " room_key TEXT NOT NULL,"
    " message_id TEXT,"   // NULL until the server acknowledged it
    " client_id TEXT,"    // our own messages only
    " sender_id TEXT, sender_username TEXT, sender_name TEXT,"
    " outgoing INTEGER NOT NULL DEFAULT 0,"
    " kind TEXT NOT NULL,"
    " body TEXT, stamp_id TEXT,"
    " latitude REAL NOT NULL DEFAULT 0, longitude REAL NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL," // ms since the epoch
    " status TEXT NOT NULL)"_s,
    // Pages: newest first within a room, (created_at, seq) as the cursor.
    u"CREATE INDEX IF NOT EXISTS cache_messages_page ON cache_messages (account_id, room_key, created_at, seq)"_s,
    u"CREATE UNIQUE INDEX IF NOT EXISTS cache_messages_id ON cache_messages (account_id, room_key, message_id)"
    " WHERE message_id IS NOT NULL"_s,
    u"CREATE UNIQUE INDEX IF NOT EXISTS cache_messages_client ON cache_messages (account_id, client_id)"
    " WHERE client_id IS NOT NULL"_s,
};

const QString messageColumns = u"room_key, message_id, client_id, sender_id, sender_username, sender_name,"
                               " outgoing, kind, body, stamp_id, latitude, longitude, created_at, status"_s;

QVariant nullable(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant();
}

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

ChatMessage readMessage(const QSqlQuery &q, int at = 0)
{
    ChatMessage m;
    m.roomKey = q.value(at + 0).toString();
    m.id = q.value(at + 1).toString();
    m.clientId = q.value(at + 2).toString();
    m.sender.id = q.value(at + 3).toString();
    m.sender.username = q.value(at + 4).toString();
    m.sender.displayName = q.value(at + 5).toString();
    m.outgoing = q.value(at + 6).toBool();
    m.kind = messageKindFromString(q.value(at + 7).toString()).value_or(MessageKind::Text);
    m.text = q.value(at + 8).toString();
    m.stampId = q.value(at + 9).toString();
    m.latitude = q.value(at + 10).toDouble();
    m.longitude = q.value(at + 11).toDouble();
    m.createdAt = timeFrom(q.value(at + 12));
    m.status = deliveryStatusFromString(q.value(at + 13).toString()).value_or(DeliveryStatus::Sent);
    return m;
}

bool hasContent(const ChatMessage &message)
{
    return !message.text.isEmpty() || !message.stampId.isEmpty() || message.kind == MessageKind::Location;
}

// `in` arriving for the cached `old` (the same message).
ChatMessage merged(ChatMessage old, const ChatMessage &in)
{
    if (!in.id.isEmpty())
        old.id = in.id;
    old.outgoing = old.outgoing || in.outgoing;
    if (old.clientId.isEmpty())
        old.clientId = in.clientId;
    if (!in.sender.id.isEmpty())
        old.sender.id = in.sender.id;
    if (!in.sender.username.isEmpty())
        old.sender.username = in.sender.username;
    if (!in.sender.displayName.isEmpty())
        old.sender.displayName = in.sender.displayName;
    if (hasContent(in)) {
        old.kind = in.kind;
        old.text = in.text;
        old.stampId = in.stampId;
        old.latitude = in.latitude;
        old.longitude = in.longitude;
    }
    if (in.createdAt.isValid())
        old.createdAt = in.createdAt;
    DeliveryStatus status = in.status;
    if (!in.id.isEmpty() && (status == DeliveryStatus::Sending || status == DeliveryStatus::Failed))
        status = DeliveryStatus::Sent; // the server has it
    old.status = advancedStatus(old.status, status);
    return old;
}

qint64 timeKey(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

qint64 activityOf(const RoomSummary &room)
{
    const qint64 activity = timeKey(room.lastActivity);
    return room.lastMessage ? std::max(activity, timeKey(room.lastMessage->createdAt)) : activity;
}

const QString roomColumns = u"room_key, room_id, uuid, kind, name, other_id, other_username, other_display_name,"
                            " other_last_seen, unread, last_activity, last_id, last_client_id, last_sender_id,"
                            " last_sender_username, last_sender_name, last_outgoing, last_kind, last_text,"
                            " last_stamp_id, last_latitude, last_longitude, last_created_at, last_status"_s;

RoomSummary readRoom(const QSqlQuery &q)
{
    RoomSummary r;
    r.key = q.value(0).toString();
    r.id = q.value(1).toLongLong();
    r.uuid = q.value(2).toString();
    r.kind = roomKindFromString(q.value(3).toString()).value_or(RoomKind::Group);
    r.name = q.value(4).toString();
    r.other.id = q.value(5).toString();
    r.other.username = q.value(6).toString();
    r.other.displayName = q.value(7).toString();
    r.other.lastSeen = timeFrom(q.value(8));
    r.unreadCount = q.value(9).toInt();
    r.lastActivity = timeFrom(q.value(10));
    if (!q.value(17).isNull()) { // last_kind
        ChatMessage m;
        m.roomKey = r.key;
        m.id = q.value(11).toString();
        m.clientId = q.value(12).toString();
        m.sender.id = q.value(13).toString();
        m.sender.username = q.value(14).toString();
        m.sender.displayName = q.value(15).toString();
        m.outgoing = q.value(16).toBool();
        m.kind = messageKindFromString(q.value(17).toString()).value_or(MessageKind::Text);
        m.text = q.value(18).toString();
        m.stampId = q.value(19).toString();
        m.latitude = q.value(20).toDouble();
        m.longitude = q.value(21).toDouble();
        m.createdAt = timeFrom(q.value(22));
        m.status = deliveryStatusFromString(q.value(23).toString()).value_or(DeliveryStatus::Sent);
        r.lastMessage = m;
    }
    return r;
}

} // namespace

LocalCache::LocalCache(QObject *parent)
    : QObject(parent)
    , m_file(std::make_unique<SqliteFile>())
{
}

LocalCache::~LocalCache() = default;

bool LocalCache::open(const QString &path, const QString &account, const QString &server)
{
    m_account = -1;
    if (!m_file->open(path, SqliteFile::Durability::Normal, schema))
        return false;
    m_account = m_file->accountId(account, server);
    if (m_account < 0) {
        m_file->close();
        return false;
    }
    return true;
}

void LocalCache::close()
{
    m_file->close();
    m_account = -1;
}

bool LocalCache::isOpen() const
{
    return m_file->isOpen() && m_account >= 0;
}

QString LocalCache::lastError() const
{
    return m_file->lastError();
}

// --- rooms ------------------------------------------------------------------

bool LocalCache::saveRoom(const RoomSummary &room)
{
    if (!isOpen() || room.key.isEmpty())
        return false;
    const std::optional<ChatMessage> &last = room.lastMessage;
    return m_file->exec(
        u"INSERT OR REPLACE INTO cache_rooms (account_id, "_s + roomColumns
            + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
        {m_account, room.key, room.id, nullable(room.uuid), toString(room.kind), nullable(room.name),
         nullable(room.other.id), nullable(room.other.username), nullable(room.other.displayName),
         timeValue(room.other.lastSeen), room.unreadCount, timeValue(room.lastActivity),
         last ? nullable(last->id) : QVariant(), last ? nullable(last->clientId) : QVariant(),
         last ? nullable(last->sender.id) : QVariant(), last ? nullable(last->sender.username) : QVariant(),
         last ? nullable(last->sender.displayName) : QVariant(), last ? QVariant(last->outgoing) : QVariant(),
         last ? QVariant(toString(last->kind)) : QVariant(), last ? nullable(last->text) : QVariant(),
         last ? nullable(last->stampId) : QVariant(), last ? QVariant(last->latitude) : QVariant(),
         last ? QVariant(last->longitude) : QVariant(), last ? timeValue(last->createdAt) : QVariant(),
         last ? QVariant(toString(last->status)) : QVariant()});
}

bool LocalCache::saveRooms(const QList<RoomSummary> &rooms)
{
    if (!isOpen() || !m_file->begin())
        return false;
    bool ok = m_file->exec(u"DELETE FROM cache_rooms WHERE account_id = ?"_s, {m_account});
    for (const RoomSummary &room : rooms) {
        if (!ok)
            break;
        ok = room.key.isEmpty() || saveRoom(room);
    }
    if (!ok) {
        m_file->rollback();
        return false;
    }
    return m_file->commit();
}

bool LocalCache::removeRoom(const QString &roomKey)
{
    if (!isOpen() || !m_file->begin())
        return false;
    const QVariantList key{m_account, roomKey};
    if (!m_file->exec(u"DELETE FROM cache_rooms WHERE account_id = ? AND room_key = ?"_s, key)
        || !m_file->exec(u"DELETE FROM cache_messages WHERE account_id = ? AND room_key = ?"_s, key)
        || !m_file->exec(u"DELETE FROM cache_room_state WHERE account_id = ? AND room_key = ?"_s, key)) {
        m_file->rollback();
        return false;
    }
    return m_file->commit();
}

QList<RoomSummary> LocalCache::rooms() const
{
    QList<RoomSummary> result;
    if (!isOpen())
        return result;
    m_file->select(u"SELECT "_s + roomColumns + u" FROM cache_rooms WHERE account_id = ? ORDER BY rowid"_s,
                   {m_account}, [&result](const QSqlQuery &q) {
                       result.append(readRoom(q));
                       return true;
                   });
    std::stable_sort(result.begin(), result.end(),
                     [](const RoomSummary &a, const RoomSummary &b) { return activityOf(a) > activityOf(b); });
    return result;
}

std::optional<RoomSummary> LocalCache::room(const QString &roomKey) const
{
    std::optional<RoomSummary> result;
    if (isOpen())
        m_file->select(u"SELECT "_s + roomColumns + u" FROM cache_rooms WHERE account_id = ? AND room_key = ?"_s,
                       {m_account, roomKey}, [&result](const QSqlQuery &q) {
                           result = readRoom(q);
                           return false;
                       });
    return result;
}

// --- messages ---------------------------------------------------------------

bool LocalCache::upsert(const QString &roomKey, const ChatMessage &message, bool *added)
{
    if (added)
        *added = false;
    // The common case — a server message not cached yet (a page, a new
    // message) — is one INSERT; a conflict on the id means it is known.
    if (!message.id.isEmpty() && message.clientId.isEmpty()) {
        static const QString insertNew = u"INSERT INTO cache_messages (account_id, "_s + messageColumns
            + u") VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
              " ON CONFLICT (account_id, room_key, message_id) WHERE message_id IS NOT NULL DO NOTHING"_s;
        const QDateTime createdAt = message.createdAt.isValid() ? message.createdAt : QDateTime::currentDateTimeUtc();
        int inserted = 0;
        if (!m_file->exec(insertNew,
                          {m_account, roomKey, message.id, nullable(message.sender.id),
                           nullable(message.sender.username), nullable(message.sender.displayName), message.outgoing,
                           toString(message.kind), nullable(message.text), nullable(message.stampId),
                           message.latitude, message.longitude, createdAt.toMSecsSinceEpoch(),
                           toString(message.status)},
                          &inserted))
            return false;
        if (inserted > 0) {
            if (added)
                *added = true;
            return true;
        }
    }
    struct Found
    {
        qint64 seq = -1;
        ChatMessage message;
    };
    const auto find = [this](const QString &sql, const QVariantList &bindings, Found &found) {
        return m_file->select(u"SELECT seq, "_s + messageColumns + u" FROM cache_messages WHERE "_s + sql, bindings,
                              [&found](const QSqlQuery &q) {
                                  found.seq = q.value(0).toLongLong();
                                  found.message = readMessage(q, 1);
                                  return false;
                              });
    };
    Found byId;
    Found byClient;
    if (!message.id.isEmpty()
        && !find(u"account_id = ? AND room_key = ? AND message_id = ?"_s, {m_account, roomKey, message.id}, byId))
        return false;
    if (!message.clientId.isEmpty()) {
        if (!find(u"account_id = ? AND client_id = ?"_s, {m_account, message.clientId}, byClient))
            return false;
        // Ours only: someone else's message never merges into ours by a reused id.
        if (byClient.seq >= 0 && !message.outgoing && !message.sender.id.isEmpty()
            && !byClient.message.sender.id.isEmpty() && message.sender.id != byClient.message.sender.id)
            byClient.seq = -1;
    }

    if (byId.seq < 0 && byClient.seq < 0) {
        const bool own = message.outgoing && !message.clientId.isEmpty();
        const QDateTime createdAt = message.createdAt.isValid() ? message.createdAt : QDateTime::currentDateTimeUtc();
        if (added)
            *added = true;
        return m_file->insert(u"INSERT INTO cache_messages (account_id, "_s + messageColumns
                                  + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                              {m_account, roomKey, nullable(message.id),
                               own ? QVariant(message.clientId) : QVariant(), nullable(message.sender.id),
                               nullable(message.sender.username), nullable(message.sender.displayName),
                               message.outgoing, toString(message.kind), nullable(message.text),
                               nullable(message.stampId), message.latitude, message.longitude,
                               createdAt.toMSecsSinceEpoch(), toString(message.status)})
            >= 0;
    }

    ChatMessage result;
    qint64 seq = -1;
    if (byClient.seq >= 0) {
        seq = byClient.seq;
        result = byClient.message;
        if (byId.seq >= 0 && byId.seq != byClient.seq) {
            // The server's copy was cached before our ack: one message, one row.
            result.status = advancedStatus(result.status, byId.message.status);
            if (!m_file->exec(u"DELETE FROM cache_messages WHERE seq = ?"_s, {byId.seq}))
                return false;
        }
    } else {
        seq = byId.seq;
        result = byId.message;
    }
    result = merged(result, message);
    const bool own = result.outgoing && !result.clientId.isEmpty();
    return m_file->exec(u"UPDATE cache_messages SET message_id = ?, client_id = ?, sender_id = ?,"
                        " sender_username = ?, sender_name = ?, outgoing = ?, kind = ?, body = ?, stamp_id = ?,"
                        " latitude = ?, longitude = ?, created_at = ?, status = ? WHERE seq = ?"_s,
                        {nullable(result.id), own ? QVariant(result.clientId) : QVariant(),
                         nullable(result.sender.id), nullable(result.sender.username),
                         nullable(result.sender.displayName), result.outgoing, toString(result.kind),
                         nullable(result.text), nullable(result.stampId), result.latitude, result.longitude,
                         result.createdAt.toMSecsSinceEpoch(), toString(result.status), seq});
}

bool LocalCache::saveMessages(const QString &roomKey, const QList<ChatMessage> &messages)
{
    if (!isOpen() || roomKey.isEmpty())
        return false;
    if (messages.isEmpty())
        return true;
    if (!m_file->begin())
        return false;
    for (const ChatMessage &message : messages) {
        if (!upsert(roomKey, message)) {
            m_file->rollback();
            return false;
        }
    }
    return m_file->commit();
}

bool LocalCache::saveMessage(const ChatMessage &message, bool *added)
{
    if (added)
        *added = false;
    if (!isOpen() || message.roomKey.isEmpty())
        return false;
    if (!m_file->begin())
        return false;
    if (!upsert(message.roomKey, message, added)) {
        m_file->rollback();
        return false;
    }
    return m_file->commit();
}

bool LocalCache::saveAck(const QString &clientId, const ChatMessage &stored)
{
    ChatMessage message = stored;
    message.outgoing = true;
    if (!clientId.isEmpty())
        message.clientId = clientId;
    if (message.status == DeliveryStatus::Sending || message.status == DeliveryStatus::Failed)
        message.status = DeliveryStatus::Sent;
    QString roomKey = stored.roomKey;
    if (roomKey.isEmpty() && isOpen()) // the dialect did not say: where the pending copy is
        m_file->select(u"SELECT room_key FROM cache_messages WHERE account_id = ? AND client_id = ?"_s,
                       {m_account, message.clientId}, [&roomKey](const QSqlQuery &q) {
                           roomKey = q.value(0).toString();
                           return false;
                       });
    return saveMessages(roomKey, {message});
}

bool LocalCache::saveHistory(const QString &roomKey, const QList<ChatMessage> &messages, bool complete)
{
    if (!saveMessages(roomKey, messages))
        return false;
    if (!complete)
        return true;
    return m_file->exec(u"INSERT INTO cache_room_state (account_id, room_key, history_complete) VALUES (?, ?, 1)"
                        " ON CONFLICT (account_id, room_key) DO UPDATE SET history_complete = 1"_s,
                        {m_account, roomKey});
}

bool LocalCache::historyComplete(const QString &roomKey) const
{
    bool complete = false;
    if (isOpen())
        m_file->select(u"SELECT history_complete FROM cache_room_state WHERE account_id = ? AND room_key = ?"_s,
                       {m_account, roomKey}, [&complete](const QSqlQuery &q) {
                           complete = q.value(0).toBool();
                           return false;
                       });
    return complete;
}

bool LocalCache::updateStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status)
{
    if (!isOpen() || messageId.isEmpty())
        return false;
    std::optional<DeliveryStatus> current;
    if (!m_file->select(u"SELECT status FROM cache_messages WHERE account_id = ? AND room_key = ? AND message_id = ?"_s,
                        {m_account, roomKey, messageId}, [&current](const QSqlQuery &q) {
                            current = deliveryStatusFromString(q.value(0).toString());
                            return false;
                        })
        || !current)
        return false;
    const DeliveryStatus next = advancedStatus(*current, status);
    if (next == *current)
        return true;
    return m_file->exec(u"UPDATE cache_messages SET status = ? WHERE account_id = ? AND room_key = ? AND message_id = ?"_s,
                        {toString(next), m_account, roomKey, messageId});
}

bool LocalCache::removeMessage(const QString &roomKey, const QString &clientId)
{
    int removed = 0;
    return isOpen() && !clientId.isEmpty()
        && m_file->exec(u"DELETE FROM cache_messages WHERE account_id = ? AND room_key = ? AND client_id = ?"_s,
                        {m_account, roomKey, clientId}, &removed)
        && removed > 0;
}

QList<ChatMessage> LocalCache::page(const QString &roomKey, int limit, const QString &where,
                                    const QVariantList &extra) const
{
    QList<ChatMessage> result;
    if (!isOpen() || limit <= 0)
        return result;
    result.reserve(limit);
    QVariantList bindings{m_account, roomKey};
    bindings += extra;
    bindings.append(limit);
    m_file->select(u"SELECT "_s + messageColumns + u" FROM cache_messages WHERE account_id = ? AND room_key = ?"_s
                       + where + u" ORDER BY created_at DESC, seq DESC LIMIT ?"_s,
                   bindings, [&result](const QSqlQuery &q) {
                       result.append(readMessage(q));
                       return true;
                   });
    return result;
}

QList<ChatMessage> LocalCache::messages(const QString &roomKey, int limit, const QString &beforeId) const
{
    if (beforeId.isEmpty())
        return page(roomKey, limit, {}, {});
    qint64 createdAt = 0;
    qint64 seq = -1;
    if (isOpen())
        m_file->select(u"SELECT created_at, seq FROM cache_messages WHERE account_id = ? AND room_key = ? AND message_id = ?"_s,
                       {m_account, roomKey, beforeId}, [&](const QSqlQuery &q) {
                           createdAt = q.value(0).toLongLong();
                           seq = q.value(1).toLongLong();
                           return false;
                       });
    if (seq < 0)
        return {};
    return page(roomKey, limit, u" AND (created_at, seq) < (?, ?)"_s, {createdAt, seq});
}

QList<ChatMessage> LocalCache::messagesBefore(const QString &roomKey, int limit, const QDateTime &before) const
{
    if (!before.isValid())
        return page(roomKey, limit, {}, {});
    return page(roomKey, limit, u" AND created_at < ?"_s, {before.toMSecsSinceEpoch()});
}

int LocalCache::messageCount(const QString &roomKey) const
{
    int count = 0;
    if (isOpen())
        m_file->select(u"SELECT COUNT(*) FROM cache_messages WHERE account_id = ? AND room_key = ?"_s,
                       {m_account, roomKey}, [&count](const QSqlQuery &q) {
                           count = q.value(0).toInt();
                           return false;
                       });
    return count;
}

int LocalCache::trimMessages(const QString &roomKey, int keep)
{
    if (!isOpen() || !m_file->begin())
        return -1;
    int removed = 0;
    if (!m_file->exec(u"DELETE FROM cache_messages WHERE seq IN (SELECT seq FROM cache_messages"
                      " WHERE account_id = ? AND room_key = ? ORDER BY created_at DESC, seq DESC LIMIT -1 OFFSET ?)"_s,
                      {m_account, roomKey, std::max(keep, 0)}, &removed)
        || (removed > 0
            && !m_file->exec(u"DELETE FROM cache_room_state WHERE account_id = ? AND room_key = ?"_s,
                             {m_account, roomKey}))) {
        m_file->rollback();
        return -1;
    }
    return m_file->commit() ? removed : -1;
}

} // namespace natter::client
