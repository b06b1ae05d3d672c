#include "chatserver.h"

#include "authenticator.h"
#include "clusterrelay.h"
#include "connectionsperaddress.h"
#include "dialects/endpointfactory.h"
#include "http/accountsapi.h"
#include "http/groupsapi.h"
#include "http/usersapi.h"
#include "hub.h"
#include "listener.h"
#include "passwordhasher.h"
#include "passwordworkers.h"
#include "servercontext.h"
#include "socketthreads.h"
#include "store.h"
#include "storequeries.h"
#include "timerwheel.h"
#include "tlscredentials.h"
#include "tokenservice.h"

#include <QHttpServer>
#include <QLoggingCategory>
#include <QSysInfo>
#include <QTimer>
#include <map>

Q_LOGGING_CATEGORY(lcServer, "natter.server")

using namespace Qt::StringLiterals;

namespace natter::server {

struct ChatServer::Parts
{
    explicit Parts(const ServerConfig &config, QByteArray secret)
        : perAddress(config.maxConnectionsPerAddress)
        , passwords(PasswordHasher(config.fastPasswordHashing ? PasswordHasher::Strength::Minimal
                                                              : PasswordHasher::Strength::Interactive))
        , tokens(std::move(secret), config.tokenLifetime)
        , auth(store, tokens, config.tlsEnabled())
        , hub(store, config.typingExpiry, config.commitWindow)
        , sockets(config.threads - 1)
        , queries(store)
        , context{config, queries, hub, auth, passwords, timers, sockets, nullptr}
        , accounts(context)
        , groups(context)
        , users(context)
    {
        hub.setSendLimit(config.messagesPerSecond, config.messageBurst);
    }

    Store store;
    tls::TlsCredentials tls;
    // Open connections per client address (their slots may outlive the server).
    ConnectionsPerAddress perAddress;
    PasswordWorkers passwords;
    TokenService tokens;
    Authenticator auth;
    Hub hub;
    engine::TimerWheel timers;
    SocketThreads sockets; // after the listeners go (reverse order), what sessions left is released
    StoreQueries queries;
    ServerContext context;
    AccountsApi accounts;
    GroupsApi groups;
    UsersApi users;
    std::vector<std::unique_ptr<Listener>> listeners; // [0] is the main port
    std::unique_ptr<ClusterRelay> cluster;
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

    auto parts = std::make_unique<Parts>(m_config, secret);
    if (m_config.tlsEnabled()) {
        QString tlsError;
        if (!parts->tls.load(m_config.tlsCertificateFile, m_config.tlsKeyFile, &tlsError)) {
            m_error = u"TLS: "_s + tlsError;
            return false;
        }
    }
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
    for (const auto &[port, mounts] : mountsByPort) {
        const FrontDoor::Limits doorLimits{m_config.requestHeadTimeout, m_config.maxRequestHeadBytes,
                                           &parts->perAddress};
        auto listener = std::make_unique<Listener>(m_config.maxFrameBytes,
                                                   m_config.tlsEnabled() ? &parts->tls : nullptr, doorLimits);
        const quint16 bindPort = port == Mount::mainPort ? m_config.listenPort : static_cast<quint16>(port);
        parts->accounts.registerRoutes(listener->http());
        parts->groups.registerRoutes(listener->http());
        parts->users.registerRoutes(listener->http());
        for (const Mount &mount : mounts)
            listener->mount(makeEndpoint(mount.dialect, parts->context, mount.path));
        if (!listener->listen(m_config.listenAddress, bindPort)) {
            m_error = QStringLiteral("Cannot listen on %1:%2")
                          .arg(m_config.listenAddress.toString())
                          .arg(bindPort);
            return false;
        }
        parts->listeners.push_back(std::move(listener));
    }
    if (m_config.nodeName.isEmpty()) {
        const QString host = QSysInfo::machineHostName();
        m_config.nodeName = (host.isEmpty() ? m_config.listenAddress.toString() : host) + u':'
            + QString::number(parts->listeners.front()->port());
    }
    if (m_config.redis) {
        // Every node signs and checks tokens with the cluster's one secret.
        const auto shared = parts->store.sharedSetting(u"token_secret"_s, QString::fromLatin1(secret.toBase64()));
        if (!shared) {
            m_error = u"Cannot read the cluster's shared secret: "_s + parts->store.lastErrorText();
            return false;
        }
        parts->tokens.setSecret(QByteArray::fromBase64(shared->toLatin1()));
        parts->cluster = std::make_unique<ClusterRelay>(*m_config.redis, m_config.nodeName, parts->hub, parts->store);
        parts->context.cluster = parts->cluster.get();
        if (!parts->cluster->start()) {
            m_error = u"Cannot read the rooms' message counters: "_s + parts->store.lastErrorText();
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
    for (const auto &listener : m_parts->listeners)
        listener->close();
}

void ChatServer::stop()
{
    if (!m_parts)
        return;
    closeListeners();
    m_parts->hub.closeAllSessions();
    m_parts->cluster.reset(); // the others hear nothing more from here
    // Sessions are children of their endpoints: destroying those ends them.
    for (const auto &listener : m_parts->listeners)
        listener->clearEndpoints();
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
    return m_parts ? m_parts->listeners.front()->port() : 0;
}

QList<quint16> ChatServer::ports() const
{
    QList<quint16> ports;
    if (m_parts) {
        for (const auto &listener : m_parts->listeners)
            ports.append(listener->port());
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
    url.setScheme(isSecure() ? u"https"_s : u"http"_s);
    url.setHost(m_config.listenAddress.toString());
    url.setPort(port());
    return url;
}

QByteArray ChatServer::tlsFingerprint() const
{
    return m_parts ? m_parts->tls.fingerprint() : QByteArray();
}

bool ChatServer::reloadTls(QString *error)
{
    if (!m_parts || !isSecure()) {
        *error = u"the server is not serving TLS"_s;
        return false;
    }
    if (!m_parts->tls.reload(error))
        return false;
    qCInfo(lcServer) << "TLS certificate reloaded from" << m_config.tlsCertificateFile;
    return true;
}

QList<int> ChatServer::socketThreadConnections() const
{
    return m_parts ? m_parts->sockets.connectionCounts() : QList<int>{};
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

} // namespace natter::server
