#include "chatserver.h"

#include "authenticator.h"
#include "dialects/endpointfactory.h"
#include "http/accountsapi.h"
#include "http/groupsapi.h"
#include "http/usersapi.h"
#include "hub.h"
#include "passwordhasher.h"
#include "servercontext.h"
#include "store.h"
#include "tokenservice.h"

#include <QHttpServer>
#include <QLoggingCategory>
#include <QTcpServer>
#include <QTimer>
#include <QWebSocket>
#include <map>

Q_LOGGING_CATEGORY(lcServer, "natter.server")

namespace natter::server {

// One port: an HTTP server with the REST routes and the dialect doors mounted on it.
struct Listener
{
    int requestedPort = Mount::mainPort;
    std::unique_ptr<QHttpServer> http = std::make_unique<QHttpServer>();
    std::vector<std::unique_ptr<DialectEndpoint>> endpoints;

    quint16 port() const
    {
        const auto servers = http->findChildren<QTcpServer *>();
        return servers.isEmpty() ? 0 : servers.first()->serverPort();
    }
};

struct ChatServer::Parts
{
    explicit Parts(const ServerConfig &config, QByteArray secret)
        : passwords(config.fastPasswordHashing ? PasswordHasher::Strength::Minimal
                                               : PasswordHasher::Strength::Interactive)
        , tokens(std::move(secret), config.tokenLifetime)
        , auth(store, tokens)
        , hub(store, config.typingExpiry)
        , context{config, store, hub, auth, passwords}
        , accounts(context)
        , groups(context)
        , users(context)
    {
    }

    Store store;
    PasswordHasher passwords;
    TokenService tokens;
    Authenticator auth;
    Hub hub;
    ServerContext context;
    AccountsApi accounts;
    GroupsApi groups;
    UsersApi users;
    std::vector<Listener> listeners; // [0] is the main port
};

QList<Mount> effectiveMounts(const ServerConfig &config)
{
    QList<Mount> mounts;
    for (const QString &dialect : dialectNames()) {
        const Mount standard{dialect, defaultMountPath(dialect), Mount::mainPort};
        const bool replaced = std::any_of(config.extraMounts.cbegin(), config.extraMounts.cend(),
                                          [&standard](const Mount &extra) {
                                              return extra.port == Mount::mainPort
                                                  && extra.path == standard.path;
                                          });
        if (!replaced)
            mounts.append(standard);
    }
    return mounts + config.extraMounts;
}

ChatServer::ChatServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

ChatServer::~ChatServer()
{
    stop();
}

bool ChatServer::start()
{
    if (m_parts)
        return true;
    if (!PasswordHasher::initialise()) {
        m_error = QStringLiteral("libsodium could not be initialised");
        return false;
    }
    QString secretError;
    QByteArray secret = loadOrCreateSecret(m_config.dataDir, &secretError);
    if (secret.isEmpty()) {
        m_error = QStringLiteral("Signing secret unavailable: ") + secretError;
        return false;
    }

    auto parts = std::make_unique<Parts>(m_config, std::move(secret));
    if (!parts->store.open(m_config.database)) {
        m_error = QStringLiteral("Cannot open the database %1: %2")
                      .arg(m_config.database.toDisplayString(), parts->store.lastErrorText());
        return false;
    }

    // Group the doors by port; the main port comes first.
    std::map<int, QList<Mount>> mountsByPort{{Mount::mainPort, {}}};
    for (const Mount &mount : effectiveMounts(m_config)) {
        if (!dialectNames().contains(mount.dialect)) {
            m_error = QStringLiteral("No dialect called '%1'").arg(mount.dialect);
            return false;
        }
        mountsByPort[mount.port].append(mount);
    }
    // The accept lambdas keep a reference to their Listener: the vector must never reallocate.
    parts->listeners.reserve(mountsByPort.size());
    for (const auto &[port, mounts] : mountsByPort) {
        Listener &listener = parts->listeners.emplace_back();
        listener.requestedPort = port;
        const quint16 bindPort = port == Mount::mainPort ? m_config.listenPort : static_cast<quint16>(port);
        parts->accounts.registerRoutes(*listener.http);
        parts->groups.registerRoutes(*listener.http);
        parts->users.registerRoutes(*listener.http);
        for (const Mount &mount : mounts) {
            auto endpoint = makeEndpoint(mount.dialect, parts->context, mount.path);
            endpoint->registerRoutes(*listener.http);
            listener.endpoints.push_back(std::move(endpoint));
        }
        QHttpServer *http = listener.http.get();
        connect(http, &QHttpServer::newWebSocketConnection, this,
                [this, &listener] { acceptWebSockets(listener); });
        if (http->listen(m_config.listenAddress, bindPort) == 0) {
            m_error = QStringLiteral("Cannot listen on %1:%2")
                          .arg(m_config.listenAddress.toString())
                          .arg(bindPort);
            return false;
        }
    }
    connect(&parts->hub, &Hub::sessionCountChanged, this, &ChatServer::sessionCountChanged);
    m_parts = std::move(parts);
    qCInfo(lcServer) << "listening on" << baseUrl().toString() << "with database"
                     << m_config.database.toDisplayString();
    return true;
}

void ChatServer::closeListeners()
{
    for (Listener &listener : m_parts->listeners) {
        for (QTcpServer *server : listener.http->findChildren<QTcpServer *>())
            server->close();
    }
}

void ChatServer::stop()
{
    if (!m_parts)
        return;
    closeListeners();
    m_parts->hub.closeAllSessions();
    // Sessions are children of their endpoints: destroying those ends them.
    for (Listener &listener : m_parts->listeners)
        listener.endpoints.clear();
    m_parts->store.close();
    m_parts.reset();
    qCInfo(lcServer) << "stopped";
}

void ChatServer::shutdown(std::chrono::milliseconds grace)
{
    if (!m_parts) {
        emit stopped();
        return;
    }
    closeListeners();
    auto finish = [this] {
        if (!m_parts)
            return;
        stop();
        emit stopped();
    };
    if (m_parts->hub.sessionCount() == 0)
        return finish();
    connect(&m_parts->hub, &Hub::sessionCountChanged, this, [this, finish](int count) {
        // Queued: the hub is inside a detach and must not be destroyed under it.
        if (count == 0)
            QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
    });
    QTimer::singleShot(grace, this, finish);
    m_parts->hub.closeAllSessions();
}

bool ChatServer::isRunning() const
{
    return m_parts != nullptr;
}

quint16 ChatServer::port() const
{
    return m_parts ? m_parts->listeners.front().port() : 0;
}

QList<quint16> ChatServer::ports() const
{
    QList<quint16> ports;
    if (m_parts) {
        for (const Listener &listener : m_parts->listeners)
            ports.append(listener.port());
    }
    return ports;
}

QHostAddress ChatServer::address() const
{
    return m_config.listenAddress;
}

QUrl ChatServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_config.listenAddress.toString());
    url.setPort(port());
    return url;
}

Store &ChatServer::store()
{
    Q_ASSERT(m_parts);
    return m_parts->store;
}

Hub &ChatServer::hub()
{
    Q_ASSERT(m_parts);
    return m_parts->hub;
}

Authenticator &ChatServer::authenticator()
{
    Q_ASSERT(m_parts);
    return m_parts->auth;
}

void ChatServer::acceptWebSockets(Listener &listener)
{
    while (std::unique_ptr<QWebSocket> socket = listener.http->nextPendingWebSocketConnection()) {
        socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(m_config.maxFrameBytes));
        socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_config.maxFrameBytes));
        const QString path = socket->requestUrl().path();
        const auto owner = std::find_if(listener.endpoints.cbegin(), listener.endpoints.cend(),
                                        [&path](const auto &endpoint) { return endpoint->handlesPath(path); });
        if (owner == listener.endpoints.cend()) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Unknown path"));
            socket.release()->deleteLater();
            continue;
        }
        (*owner)->accept(std::move(socket));
    }
}

} // namespace natter::server
