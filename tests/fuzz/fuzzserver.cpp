#include "fuzzserver.h"

#include "authenticator.h"
#include "databaseurl.h"
#include "endpointfactory.h"
#include "hub.h"
#include "passwordhasher.h"
#include "passwordworkers.h"
#include "serverconfig.h"
#include "servercontext.h"
#include "socketthreads.h"
#include "store.h"
#include "storequeries.h"
#include "timerwheel.h"
#include "tokenservice.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QNetworkRequest>
#include <QUrlQuery>
#include <cstdlib>
#include <map>

using namespace Qt::StringLiterals;

namespace natter::fuzz {

void MemoryPipe::send(const QByteArray &)
{
    if (!m_closed)
        ++m_framesSent;
}

void MemoryPipe::close(quint16, const QString &)
{
    // The in-memory peer answers the close at once.
    abort();
}

void MemoryPipe::abort()
{
    if (m_closed)
        return;
    m_closed = true;
    QMetaObject::invokeMethod(this, &MemoryPipe::disconnect, Qt::QueuedConnection);
}

void MemoryPipe::receive(const QString &frame)
{
    if (!m_closed)
        emit textReceived(frame);
}

void MemoryPipe::disconnect()
{
    m_closed = true;
    if (m_disconnected)
        return;
    m_disconnected = true;
    emit disconnected();
}

namespace {

[[noreturn]] void fail(const char *what)
{
    qCritical("fuzz set-up failed: %s", what);
    std::abort();
}

server::ServerConfig fuzzConfig()
{
    server::ServerConfig config;
    config.fastPasswordHashing = true;
    config.messagesPerSecond = 0; // a limit would only make inputs behave by time
    return config;
}

} // namespace

struct FuzzServer::Parts
{
    Parts()
        : passwords(server::PasswordHasher(server::PasswordHasher::Strength::Minimal))
        , tokens(QByteArray(32, 'k'))
        , auth(store, tokens)
        , hub(store, config.typingExpiry, config.commitWindow)
        , sockets(0)
        , queries(store)
        , context{config, queries, hub, auth, passwords, timers, sockets, nullptr}
    {
    }

    server::ServerConfig config = fuzzConfig();
    server::Store store;
    server::PasswordWorkers passwords;
    server::TokenService tokens;
    server::Authenticator auth;
    server::Hub hub;
    engine::TimerWheel timers;
    server::SocketThreads sockets;
    server::StoreQueries queries;
    server::ServerContext context;
    std::map<QString, std::unique_ptr<server::DialectEndpoint>> endpoints;
    server::UserRecord alice;
    server::UserRecord bob;
    QString aliceToken;
    qint64 groupId = 0;
    qint64 directRoomId = 0;
};

FuzzServer &FuzzServer::instance()
{
    static FuzzServer server;
    return server;
}

FuzzServer::FuzzServer()
{
    static int argc = 1;
    static char name[] = "natter-fuzz";
    static char *argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv); // lives as long as the process
    if (!server::PasswordHasher::initialise())
        fail("libsodium");
    setUp();
}

void FuzzServer::reset()
{
    m_parts->endpoints.clear(); // their sessions first
    drainEvents();
    m_parts.reset();
    drainEvents();
    setUp();
}

void FuzzServer::setUp()
{
    m_parts = std::make_unique<Parts>();
    Parts &p = *m_parts;
    if (!p.store.open(server::DatabaseUrl::sqlite(u":memory:"_s)))
        fail("store");
    const QByteArray hash = server::PasswordHasher(server::PasswordHasher::Strength::Minimal)
                                .hash(u"password123"_s);
    auto alice = p.hub.registerUser(u"alice"_s, u"Alice"_s, hash, UserRole::User);
    auto bob = p.hub.registerUser(u"bob"_s, u"Bob"_s, hash, UserRole::User);
    if (!alice || !bob)
        fail("users");
    p.alice = *alice;
    p.bob = *bob;
    auto group = p.hub.createGroup(u"fuzzers"_s, p.alice.id);
    auto direct = p.hub.openDirectRoom(p.alice.id, p.bob.id);
    if (!group || !direct)
        fail("rooms");
    p.groupId = group->id;
    p.directRoomId = direct->room.id;
    p.aliceToken = p.auth.startSession(p.alice);
    if (p.aliceToken.isEmpty())
        fail("session");
    for (const QString &dialect : server::dialectNames())
        p.endpoints[dialect] = server::makeEndpoint(dialect, p.context, server::defaultMountPath(dialect));
    drainEvents();
}

server::ServerContext &FuzzServer::context() { return m_parts->context; }

server::DialectEndpoint &FuzzServer::endpoint(const QString &dialect)
{
    const auto found = m_parts->endpoints.find(dialect);
    if (found == m_parts->endpoints.end())
        fail("no such dialect");
    return *found->second;
}

const server::UserRecord &FuzzServer::alice() const { return m_parts->alice; }
const server::UserRecord &FuzzServer::bob() const { return m_parts->bob; }
QString FuzzServer::aliceToken() const { return m_parts->aliceToken; }
qint64 FuzzServer::groupId() const { return m_parts->groupId; }
qint64 FuzzServer::directRoomId() const { return m_parts->directRoomId; }

int FuzzServer::runSession(const QString &dialect, const QList<QString> &frames, const QString &path)
{
    server::DialectEndpoint &door = endpoint(dialect);
    QUrl url(u"ws://127.0.0.1:8000"_s);
    url.setPath(path.isEmpty() ? door.mountPath() : path);
    QUrlQuery query;
    query.addQueryItem(u"token"_s, aliceToken());
    url.setQuery(query);
    server::UpgradedSocket socket;
    socket.request = QNetworkRequest(url);
    socket.request.setRawHeader("Host", "127.0.0.1:8000");
    socket.request.setRawHeader("Authorization", "Bearer " + aliceToken().toUtf8());
    auto pipe = std::make_unique<MemoryPipe>();
    QPointer<MemoryPipe> alive = pipe.get();
    socket.transport = std::move(pipe);
    door.accept(std::move(socket));
    drainEvents();

    int sent = 0;
    for (const QString &frame : frames) {
        if (!alive || alive->isClosed())
            break;
        alive->receive(frame);
        drainEvents();
    }
    if (alive) {
        sent = alive->framesSent();
        alive->disconnect();
    }
    drainEvents();
    return sent;
}

void FuzzServer::drainEvents()
{
    // Twice over: a deferred delete posted while the first pass runs, and the
    // hub's group commit (queued to the end of a pass), run in the second.
    for (int pass = 0; pass < 3; ++pass) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
}

QList<QString> framesOf(const uint8_t *data, size_t size)
{
    QList<QString> frames;
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    for (QByteArrayView rest = input;;) {
        const qsizetype cut = rest.indexOf('\0');
        // Frames are text: invalid UTF-8 never reaches a session (the
        // transport closes with 1007), so it is decoded here as the transport would.
        frames.append(QString::fromUtf8(cut < 0 ? rest : rest.first(cut)));
        if (cut < 0)
            break;
        rest = rest.sliced(cut + 1);
    }
    return frames;
}

} // namespace natter::fuzz
