#include "socketthreads.h"

#include "epolleventdispatcher.h"

#include <QThread>
#include <QTimer>
#include <QWebSocket>

namespace natter::server {

Q_LOGGING_CATEGORY(lcSockets, "natter.server.sockets")

namespace {
// A client that reads nothing at all after "too slow" is cut off this much later.
constexpr std::chrono::seconds tooSlowGrace{5};
} // namespace

SocketPipe::SocketPipe(std::unique_ptr<QWebSocket> socket, qint64 maxSendBuffer)
    : m_socket(socket.release())
    , m_maxSendBuffer(maxSendBuffer)
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SocketPipe::textReceived);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &SocketPipe::binaryReceived);
    connect(m_socket, &QWebSocket::disconnected, this, &SocketPipe::disconnected);
}

SocketPipe::~SocketPipe()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

void SocketPipe::send(const QString &frame)
{
    if (m_tooSlow)
        return;
    m_socket->sendTextMessage(frame);
    const qint64 unsent = m_socket->bytesToWrite();
    if (unsent <= m_maxSendBuffer)
        return;
    // Memory stays bounded: nothing more is queued; the close frame goes after
    // what is queued.
    m_tooSlow = true;
    m_socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too slow"));
    QTimer::singleShot(tooSlowGrace, this, &SocketPipe::abort);
    emit tooSlow(unsent);
}

void SocketPipe::close(quint16 code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void SocketPipe::abort()
{
    m_socket->abort();
}

void SocketWorker::post(Command command)
{
    QMutexLocker locker(&m_lock);
    m_queued.push_back(std::move(command));
    if (m_runScheduled)
        return; // the pending run takes this one too
    m_runScheduled = true;
    locker.unlock();
    QMetaObject::invokeMethod(this, &SocketWorker::runQueued, Qt::QueuedConnection);
}

void SocketWorker::runQueued()
{
    std::vector<Command> batch;
    {
        QMutexLocker locker(&m_lock);
        batch.swap(m_queued);
        m_runScheduled = false;
    }
    for (Command &command : batch)
        run(command);
}

void SocketWorker::run(Command &command)
{
    SocketPipe *pipe = command.pipe;
    switch (command.kind) {
    case Command::Kind::Adopt:
        m_pipes.insert(pipe);
        m_connectionCount.store(int(m_pipes.size()), std::memory_order_relaxed);
        return;
    case Command::Kind::Send:
        return pipe->send(command.text);
    case Command::Kind::Close:
        return pipe->close(command.code, command.text);
    case Command::Kind::Abort:
        return pipe->abort();
    case Command::Kind::Release:
        m_pipes.erase(pipe);
        m_connectionCount.store(int(m_pipes.size()), std::memory_order_relaxed);
        delete pipe; // no signal of its is being emitted: this runs from the event loop
        return;
    }
}

void SocketWorker::shutDown()
{
    runQueued();
    for (SocketPipe *pipe : std::exchange(m_pipes, {}))
        delete pipe;
    m_connectionCount.store(0, std::memory_order_relaxed);
}

SocketThreads::SocketThreads(int count)
{
    if (count < 1)
        return;
    for (int i = 0; i < count; ++i) {
        Thread entry;
        entry.thread = std::make_unique<QThread>();
        entry.thread->setObjectName(QStringLiteral("natter-sockets-%1").arg(i));
        if (auto dispatcher = engine::createServerEventDispatcher())
            entry.thread->setEventDispatcher(dispatcher.release());
        entry.worker = new SocketWorker;
        entry.worker->moveToThread(entry.thread.get());
        QObject::connect(entry.thread.get(), &QThread::finished, entry.worker, &QObject::deleteLater);
        entry.thread->start();
        m_workers.push_back(std::move(entry));
    }
    qCInfo(lcSockets, "%d socket threads", count);
}

SocketThreads::~SocketThreads()
{
    for (Thread &entry : m_workers) {
        // Whatever sessions left behind goes on the thread it lives on.
        QMetaObject::invokeMethod(entry.worker, &SocketWorker::shutDown, Qt::BlockingQueuedConnection);
        entry.thread->quit();
        if (!entry.thread->wait(std::chrono::seconds(10)))
            qCWarning(lcSockets, "socket thread %s did not stop", qPrintable(entry.thread->objectName()));
    }
}

QList<int> SocketThreads::connectionCounts() const
{
    QList<int> counts;
    for (const Thread &entry : m_workers)
        counts.append(entry.worker->connectionCount());
    return counts;
}

SocketWorker *SocketThreads::next()
{
    if (m_workers.empty())
        return nullptr;
    SocketWorker *worker = m_workers[m_next].worker;
    m_next = (m_next + 1) % m_workers.size();
    return worker;
}

} // namespace natter::server
