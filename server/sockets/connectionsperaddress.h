#pragma once

// Open TCP connections per client address, bounded (config
// maxConnectionsPerAddress): a connection holds a slot from accept until its
// socket is gone. The slot is a QObject child of whatever owns the
// connection, so it goes with it; when a connection changes hands (a plain
// upgrade hands its descriptor from the QTcpSocket to a WebSocketConnection)
// the slot moves to the new owner. Slots may be released on socket threads,
// and after the counter is gone (a socket deleted later than the server).

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <memory>

namespace natter::server {

class ConnectionsPerAddress
{
public:
    // `limit` 0: no limit (nothing is counted).
    explicit ConnectionsPerAddress(int limit)
        : m_limit(limit)
        , m_counts(std::make_shared<Counts>())
    {
    }

    // A slot for one more connection from `address`, a child of `owner`; false
    // (and no slot) when the address has `limit` connections open already.
    bool admit(const QHostAddress &address, QObject *owner);
    // Moves `from`'s slot (if it has one) to `to`.
    static void transfer(QObject *from, QObject *to);

private:
    class Slot;
    // Shared with every slot: a slot may outlive the counter.
    struct Counts
    {
        QMutex mutex;
        QHash<QHostAddress, int> open;
        void release(const QHostAddress &address);
    };

    const int m_limit;
    std::shared_ptr<Counts> m_counts;
};

} // namespace natter::server
