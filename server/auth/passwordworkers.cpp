#include "passwordworkers.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace natter::server {

PasswordWorkers::PasswordWorkers(PasswordHasher hasher, int threads)
    : m_hasher(hasher)
    , m_receiver(std::make_unique<QObject>())
{
    if (threads <= 0)
        threads = std::clamp(QThread::idealThreadCount() / 2, 1, 4);
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("natter-passwords"));
}

PasswordWorkers::~PasswordWorkers()
{
    m_pool.clear(); // not started yet: nobody is waiting for them any more
    m_pool.waitForDone();
    // Answers already posted to m_receiver go with it.
}

void PasswordWorkers::run(QObject *context, std::function<std::function<void()>()> work)
{
    // Posted to m_receiver (alive until every job is done), and checked there, on
    // the context's thread: a context deleted meanwhile is seen, never raced.
    QObject *receiver = m_receiver.get();
    m_pool.start([receiver, context = QPointer<QObject>(context), work = std::move(work)] {
        std::function<void()> answer = work();
        QMetaObject::invokeMethod(receiver, [context, answer = std::move(answer)] {
            if (context)
                answer();
        }, Qt::QueuedConnection);
    });
}

void PasswordWorkers::hash(const QString &password, QObject *context, std::function<void(const QByteArray &)> done)
{
    run(context, [hasher = m_hasher, password, done = std::move(done)]() -> std::function<void()> {
        const QByteArray hash = hasher.hash(password);
        return [done, hash] { done(hash); };
    });
}

void PasswordWorkers::verify(const QString &password, const QByteArray &storedHash, QObject *context,
                             std::function<void(bool)> done)
{
    run(context, [hasher = m_hasher, password, storedHash, done = std::move(done)]() -> std::function<void()> {
        const bool matches = hasher.verify(password, storedHash);
        return [done, matches] { done(matches); };
    });
}

} // namespace natter::server
