#pragma once

// argon2id off the thread that serves the sockets. Hashing a password takes
// tens of milliseconds by design; done inline, every chat on the server (and,
// when the desktop app hosts, its window) stalls for that long per sign-in.
// Here it runs on a small pool of its own: a burst of sign-ins queues on the
// pool instead of taking every core, and the answer comes back on the thread of
// `context` — never after `context` is gone (a client that left, a server that
// stopped): the continuation is then dropped. `context` lives on the thread that
// made the PasswordWorkers (the server's).

#include "passwordhasher.h"

#include <QByteArray>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>

class QObject;

namespace natter::server {

class PasswordWorkers
{
public:
    // threads 0: half the cores, at least 1, at most 4.
    explicit PasswordWorkers(PasswordHasher hasher, int threads = 0);
    ~PasswordWorkers(); // waits for the hashes running now

    PasswordWorkers(const PasswordWorkers &) = delete;
    PasswordWorkers &operator=(const PasswordWorkers &) = delete;

    // done(hash): empty when hashing failed.
    void hash(const QString &password, QObject *context, std::function<void(const QByteArray &hash)> done);
    void verify(const QString &password, const QByteArray &storedHash, QObject *context,
                std::function<void(bool matches)> done);

    const PasswordHasher &hasher() const { return m_hasher; }
    int threads() const { return m_pool.maxThreadCount(); }

private:
    // `work` runs on the pool and returns what to do with its result on the owner's thread.
    void run(QObject *context, std::function<std::function<void()>()> work);

    PasswordHasher m_hasher;
    std::unique_ptr<QObject> m_receiver; // on the owner's thread: where answers are delivered
    QThreadPool m_pool;                  // declared last: destroyed (and drained) first
};

} // namespace natter::server
