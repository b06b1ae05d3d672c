#include "passwordworkers.h"

#include "threadsanitizer.h"

#include <QObject>
#include <QPointer>
#include <QRunnable>
#include <QThread>

#include <algorithm>

namespace natter::server {

namespace {
// ThreadSanitizer: a job reaches the pool, and its answer the owner's thread,
// under Qt's own (uninstrumented) locks; one address for every such hand-off
// states their order (threadsanitizer.h). No code outside the preset tsan.
char tsanHandOff;

class PasswordJob final : public QRunnable
{
public:
    PasswordJob(QObject *receiver, QObject *context, std::function<std::function<void()>()> work)
        : m_receiver(receiver)
        , m_context(context)
        , m_work(std::move(work))
    {
    }

    void run() override
    {
        tsan::acquire(&tsanHandOff);
        std::function<void()> answer = m_work();
        // Posted to the receiver (alive until every job is done), and checked
        // there, on the context's thread: a context deleted meanwhile is seen,
        // never raced. The answer (and what it holds) is destroyed there too.
        tsan::release(&tsanHandOff);
        QMetaObject::invokeMethod(m_receiver, [context = m_context, answer = std::move(answer)] {
            tsan::acquire(&tsanHandOff);
            if (context)
                answer();
        }, Qt::QueuedConnection);
    }

private:
    QObject *m_receiver;
    QPointer<QObject> m_context;
    std::function<std::function<void()>()> m_work; // hands its continuation to the answer
};
} // namespace

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
    auto *job = new PasswordJob(m_receiver.get(), context, std::move(work));
    tsan::release(&tsanHandOff); // after the job is written, before the pool has it
    m_pool.start(job);
}

// `done` is moved into the answer, never copied: the caller's continuation and
// what it holds (e.g. the HTTP responder of a client that may have left) end on
// the owner's thread, not on the pool's.
void PasswordWorkers::hash(const QString &password, QObject *context, std::function<void(const QByteArray &)> done)
{
    run(context, [hasher = m_hasher, password, done = std::move(done)]() mutable -> std::function<void()> {
        const QByteArray hash = hasher.hash(password);
        return [done = std::move(done), hash] { done(hash); };
    });
}

void PasswordWorkers::verify(const QString &password, const QByteArray &storedHash, QObject *context,
                             std::function<void(bool)> done)
{
    run(context, [hasher = m_hasher, password, storedHash, done = std::move(done)]() mutable -> std::function<void()> {
        const bool matches = hasher.verify(password, storedHash);
        return [done = std::move(done), matches] { done(matches); };
    });
}

} // namespace natter::server
