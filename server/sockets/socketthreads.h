#pragma once

// The socket threads (`--threads N`: N - 1 of them): event loops (epoll) that do the
// WebSocket I/O of the sessions assigned to them round robin, so that writing
// one message to a thousand sockets is spread over cores while the hub, the
// store and every session's logic stay on the server's thread.
//
// The server's thread talks to a socket thread through that thread's command
// queue only (SocketWorker::post): frames are immutable shared byte arrays, so
// handing one over costs a reference, and one wake-up carries every command
// queued meanwhile.

#include "socketpipe.h"

#include <QMutex>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QString>
#include <QWebSocketProtocol>
#include <atomic>
#include <memory>
#include <set>
#include <vector>

class QThread;

namespace natter::server {

Q_DECLARE_LOGGING_CATEGORY(lcSockets) // natter.server.sockets

class SocketWorker : public QObject
{
    Q_OBJECT
public:
    struct Command
    {
        enum class Kind { Adopt, Send, Close, Abort, Release };
        Kind kind;
        SocketPipe *pipe;
        QByteArray frame; // Send: the UTF-8 text message (shared, not copied)
        QString reason;   // Close
        quint16 code = QWebSocketProtocol::CloseCodeNormal; // as on the wire (SocketPipe::close)
    };

    // Thread-safe: queued for this worker's thread, run there in order.
    void post(Command command);

    // On the worker's thread: runs what is queued, then deletes every pipe left.
    void shutDown();
    // Connections this thread serves now (any thread may ask).
    int connectionCount() const { return m_connectionCount.load(std::memory_order_relaxed); }

private:
    void runQueued();
    void run(Command &command);

    QMutex m_lock;
    std::vector<Command> m_queued; // guarded by m_lock
    bool m_runScheduled = false;   // guarded by m_lock
    std::set<SocketPipe *> m_pipes; // worker thread only
    std::atomic<int> m_connectionCount{0};
};

class SocketThreads
{
public:
    // `count` < 1: no socket threads; sockets stay on the server's thread.
    explicit SocketThreads(int count);
    ~SocketThreads();
    SocketThreads(const SocketThreads &) = delete;
    SocketThreads &operator=(const SocketThreads &) = delete;

    int count() const { return int(m_workers.size()); }
    // The worker for the next connection (round robin); null when there are none.
    SocketWorker *next();
    // Connections each socket thread serves now.
    QList<int> connectionCounts() const;

private:
    struct Thread
    {
        std::unique_ptr<QThread> thread;
        SocketWorker *worker = nullptr; // lives on `thread`
    };
    std::vector<Thread> m_workers;
    size_t m_next = 0;
};

} // namespace natter::server
