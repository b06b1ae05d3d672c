#include "socketthreads.h"

#include "epolleventdispatcher.h"

#include <QThread>

namespace natter::server {

Q_LOGGING_CATEGORY(lcSockets, "natter.server.sockets")

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
        return pipe->send(command.frame);
    case Command::Kind::Close:
        return pipe->close(command.code, command.reason);
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
