#include "outbox.h"

#include "sqlitefile.h"

#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {

const QString pendingState = u"pending"_s;
const QString failedState = u"failed"_s;

const QStringList schema{
    u"CREATE TABLE IF NOT EXISTS outbox ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT," // enqueue order, never reused
    " account_id INTEGER NOT NULL REFERENCES natter_accounts (id) ON DELETE CASCADE,"
    " client_id TEXT NOT NULL,"
    " room_key TEXT,"
    " recipient_id TEXT,"
    " kind TEXT NOT NULL,"
    " body TEXT,"
    " stamp_id TEXT,"
    " latitude REAL NOT NULL DEFAULT 0,"
    " longitude REAL NOT NULL DEFAULT 0,"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " enqueued_at INTEGER NOT NULL," // ms since the epoch
    " UNIQUE (account_id, client_id))"_s,
    u"CREATE INDEX IF NOT EXISTS outbox_by_room ON outbox (account_id, room_key, seq)"_s,
};

const QString columns = u"client_id, room_key, recipient_id, kind, body, stamp_id, latitude, longitude,"
                        " state, attempts, last_error, enqueued_at"_s;

Outbox::Entry readEntry(const QSqlQuery &q)
{
    Outbox::Entry e;
    e.message.clientId = q.value(0).toString();
    e.message.roomKey = q.value(1).toString();
    e.message.recipientId = q.value(2).toString();
    e.message.kind = messageKindFromString(q.value(3).toString()).value_or(MessageKind::Text);
    e.message.text = q.value(4).toString();
    e.message.stampId = q.value(5).toString();
    e.message.latitude = q.value(6).toDouble();
    e.message.longitude = q.value(7).toDouble();
    e.state = q.value(8).toString() == failedState ? Outbox::State::Failed : Outbox::State::Pending;
    e.attempts = q.value(9).toInt();
    e.lastError = q.value(10).toString();
    e.enqueuedAt = QDateTime::fromMSecsSinceEpoch(q.value(11).toLongLong(), Qt::UTC);
    return e;
}

} // namespace

Outbox::Outbox(QObject *parent)
    : QObject(parent)
    , m_file(std::make_unique<SqliteFile>())
{
}

Outbox::~Outbox() = default;

bool Outbox::open(const QString &path, const QString &account, const QString &server)
{
    m_account = -1;
    if (!m_file->open(path, SqliteFile::Durability::Full, schema))
        return false;
    m_account = m_file->accountId(account, server);
    if (m_account < 0) {
        m_file->close();
        return false;
    }
    emit changed();
    return true;
}

void Outbox::close()
{
    m_file->close();
    m_account = -1;
}

bool Outbox::isOpen() const
{
    return m_file->isOpen() && m_account >= 0;
}

QString Outbox::lastError() const
{
    return m_file->lastError();
}

void Outbox::setMaxAttempts(int attempts)
{
    attempts = std::max(attempts, 1);
    if (attempts == m_maxAttempts)
        return;
    m_maxAttempts = attempts;
    emit maxAttemptsChanged();
}

QString Outbox::enqueue(const OutgoingMessage &message)
{
    if (!isOpen())
        return {};
    const QString clientId = message.clientId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces)
                                                        : message.clientId;
    int inserted = 0;
    if (!m_file->exec(u"INSERT INTO outbox (account_id, client_id, room_key, recipient_id, kind, body, stamp_id,"
                      " latitude, longitude, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      " ON CONFLICT (account_id, client_id) DO NOTHING"_s,
                      {m_account, clientId, message.roomKey, message.recipientId, toString(message.kind),
                       message.text, message.stampId, message.latitude, message.longitude,
                       QDateTime::currentMSecsSinceEpoch()},
                      &inserted))
        return {};
    if (inserted > 0) {
        emit enqueued(clientId);
        emit changed();
    }
    return clientId;
}

QList<Outbox::Entry> Outbox::list(const QString &roomKey, const QString &stateFilter) const
{
    QList<Entry> result;
    if (!isOpen())
        return result;
    QString sql = u"SELECT "_s + columns + u" FROM outbox WHERE account_id = ?"_s;
    QVariantList bindings{m_account};
    if (!roomKey.isEmpty()) {
        sql += u" AND room_key = ?"_s;
        bindings.append(roomKey);
    }
    if (!stateFilter.isEmpty()) {
        sql += u" AND state = ?"_s;
        bindings.append(stateFilter);
    }
    sql += u" ORDER BY seq"_s;
    m_file->select(sql, bindings, [&result](const QSqlQuery &q) {
        result.append(readEntry(q));
        return true;
    });
    return result;
}

QList<Outbox::Entry> Outbox::pending(const QString &roomKey) const
{
    return list(roomKey, pendingState);
}

QList<Outbox::Entry> Outbox::failedEntries(const QString &roomKey) const
{
    return list(roomKey, failedState);
}

QList<Outbox::Entry> Outbox::entries(const QString &roomKey) const
{
    return list(roomKey, {});
}

std::optional<Outbox::Entry> Outbox::entry(const QString &clientId) const
{
    std::optional<Entry> found;
    if (!isOpen())
        return found;
    m_file->select(u"SELECT "_s + columns + u" FROM outbox WHERE account_id = ? AND client_id = ?"_s,
                   {m_account, clientId}, [&found](const QSqlQuery &q) {
                       found = readEntry(q);
                       return false;
                   });
    return found;
}

int Outbox::pendingCount() const
{
    int count = 0;
    if (isOpen())
        m_file->select(u"SELECT COUNT(*) FROM outbox WHERE account_id = ? AND state = ?"_s, {m_account, pendingState},
                       [&count](const QSqlQuery &q) {
                           count = q.value(0).toInt();
                           return false;
                       });
    return count;
}

int Outbox::failedCount() const
{
    int count = 0;
    if (isOpen())
        m_file->select(u"SELECT COUNT(*) FROM outbox WHERE account_id = ? AND state = ?"_s, {m_account, failedState},
                       [&count](const QSqlQuery &q) {
                           count = q.value(0).toInt();
                           return false;
                       });
    return count;
}

bool Outbox::markAcked(const QString &clientId, const QString &serverId)
{
    int removed = 0;
    if (!isOpen() || clientId.isEmpty()
        || !m_file->exec(u"DELETE FROM outbox WHERE account_id = ? AND client_id = ?"_s, {m_account, clientId},
                         &removed)
        || removed == 0)
        return false;
    emit acked(clientId, serverId);
    emit changed();
    return true;
}

bool Outbox::acknowledge(const QString &clientId, const ChatMessage &stored)
{
    return markAcked(clientId.isEmpty() ? stored.clientId : clientId, stored.id);
}

int Outbox::recordAttempt(const QString &clientId, const QString &reason)
{
    const std::optional<Entry> current = entry(clientId);
    if (!current)
        return -1;
    if (current->state == State::Failed)
        return current->attempts;
    const int attempts = current->attempts + 1;
    if (!m_file->exec(u"UPDATE outbox SET attempts = ?, last_error = ? WHERE account_id = ? AND client_id = ?"_s,
                      {attempts, reason, m_account, clientId}))
        return -1;
    if (attempts >= m_maxAttempts)
        setFailed(clientId, reason);
    else
        emit changed();
    return attempts;
}

bool Outbox::markFailed(const QString &clientId, const QString &reason)
{
    return isOpen() && setFailed(clientId, reason);
}

bool Outbox::setFailed(const QString &clientId, const QString &reason)
{
    int updated = 0;
    if (!m_file->exec(u"UPDATE outbox SET state = ?, last_error = COALESCE(?, last_error)"
                      " WHERE account_id = ? AND client_id = ? AND state = ?"_s,
                      {failedState, reason.isEmpty() ? QVariant() : QVariant(reason), m_account, clientId,
                       pendingState},
                      &updated)
        || updated == 0)
        return false;
    emit failed(clientId, reason);
    emit changed();
    return true;
}

bool Outbox::retry(const QString &clientId)
{
    int updated = 0;
    if (!isOpen()
        || !m_file->exec(u"UPDATE outbox SET state = ?, attempts = 0, last_error = NULL"
                         " WHERE account_id = ? AND client_id = ? AND state = ?"_s,
                         {pendingState, m_account, clientId, failedState}, &updated)
        || updated == 0)
        return false;
    emit retried(clientId);
    emit changed();
    return true;
}

bool Outbox::remove(const QString &clientId)
{
    int removed = 0;
    if (!isOpen()
        || !m_file->exec(u"DELETE FROM outbox WHERE account_id = ? AND client_id = ?"_s, {m_account, clientId},
                         &removed)
        || removed == 0)
        return false;
    emit changed();
    return true;
}

} // namespace natter::client
