#pragma once

// Outbox: the durable queue of messages we send, in a local SQLite file.
//
// The rule (DESIGN.md "Nothing acknowledged is lost"): a message is written
// here BEFORE it goes out, with its client id; it leaves the outbox only when
// the server acknowledges it. After a restart or reconnect every pending entry
// is sent again with the SAME client id, and the server de-duplicates on
// (sender, client id).
//
// Wiring (one line each):
//   Backend::messageAcked → acknowledge
//   Backend::sendFailed   → recordAttempt   (counts a failed try)
// and the controller calls enqueue() before Backend::send(), pending() after
// (re)connecting.
//
// Entries are Pending (to send) or Failed (gave up after maxAttempts failed
// tries, or markFailed; only retry() sends it again). Order is enqueue order,
// kept across restarts; retry() keeps an entry's place.
//
// Accounts: every entry belongs to (account, server) given to open(); many
// accounts may share one file (each sees only its own entries) or use one
// file each. The connection uses synchronous=FULL: a returned enqueue()
// survives a crash and a power loss.

#include "chattypes.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <memory>
#include <optional>

namespace natter::client {

class SqliteFile;

class Outbox : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int maxAttempts READ maxAttempts WRITE setMaxAttempts NOTIFY maxAttemptsChanged)
    Q_PROPERTY(int pendingCount READ pendingCount NOTIFY changed)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY changed)

public:
    enum class State { Pending, Failed };
    Q_ENUM(State)

    struct Entry
    {
        OutgoingMessage message; // carries the clientId
        State state = State::Pending;
        int attempts = 0;        // failed tries so far
        QString lastError;       // reason of the last failed try
        QDateTime enqueuedAt;    // UTC
    };

    static constexpr int DefaultMaxAttempts = 5;

    explicit Outbox(QObject *parent = nullptr);
    ~Outbox() override;

    // Opens (or creates) the file; entries are those of (account, server).
    bool open(const QString &path, const QString &account, const QString &server);
    void close();
    bool isOpen() const;
    QString lastError() const;

    int maxAttempts() const { return m_maxAttempts; }
    void setMaxAttempts(int attempts);

    // Stores the message (committed when this returns) and gives its client id:
    // the message's own, or a new UUID when it has none. Enqueueing a client id
    // that is already queued changes nothing and returns it. Empty on error.
    QString enqueue(const OutgoingMessage &message);

    // Pending entries in enqueue order, all rooms or one room.
    QList<Entry> pending(const QString &roomKey = {}) const;
    QList<Entry> failedEntries(const QString &roomKey = {}) const;
    // Pending and failed, in enqueue order (what to show as local echoes).
    QList<Entry> entries(const QString &roomKey = {}) const;
    std::optional<Entry> entry(const QString &clientId) const;
    int pendingCount() const;
    int failedCount() const;

    // The server stored it: the entry is removed. False when unknown.
    bool markAcked(const QString &clientId, const QString &serverId = {});
    // Backend::messageAcked.
    bool acknowledge(const QString &clientId, const ChatMessage &stored);
    // One failed try (Backend::sendFailed, or the connection dropped before
    // the ack). Returns the number of failed tries, -1 when unknown. Reaching
    // maxAttempts marks the entry Failed and emits failed().
    int recordAttempt(const QString &clientId, const QString &reason = {});
    // Gives up now (e.g. the server refused the message for good).
    bool markFailed(const QString &clientId, const QString &reason = {});
    // A Failed entry is Pending again with its attempts reset (same client id,
    // same place in the queue). False when it is not Failed.
    bool retry(const QString &clientId);
    // Drops an entry (the user discards a failed message).
    bool remove(const QString &clientId);

signals:
    void enqueued(const QString &clientId);
    void acked(const QString &clientId, const QString &serverId);
    void failed(const QString &clientId, const QString &reason);
    void retried(const QString &clientId);
    void changed(); // counts may have changed
    void maxAttemptsChanged();

private:
    QList<Entry> list(const QString &roomKey, const QString &stateFilter) const;
    bool setFailed(const QString &clientId, const QString &reason);

    std::unique_ptr<SqliteFile> m_file;
    qint64 m_account = -1;
    int m_maxAttempts = DefaultMaxAttempts;
};

} // namespace natter::client
