#include "chatserver.h"

#include "authenticator.h"
#include "dialects/rooms/roomsendpoint.h"
#include "http/accountsapi.h"
#include "http/groupsapi.h"
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

Q_LOGGING_CATEGORY(lcServer, "natter.server")

namespace natter::server {

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
    std::vector<std::unique_ptr<DialectEndpoint>> endpoints;
    QHttpServer http;
};

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

    parts->endpoints.push_back(std::make_unique<RoomsEndpoint>(parts->context));
    parts->accounts.registerRoutes(parts->http);
    parts->groups.registerRoutes(parts->http);
    for (const auto &endpoint : parts->endpoints)
        endpoint->registerRoutes(parts->http);

    connect(&parts->http, &QHttpServer::newWebSocketConnection, this,
            &ChatServer::acceptWebSockets);
    connect(&parts->hub, &Hub::sessionCountChanged, this, &ChatServer::sessionCountChanged);

    const quint16 port = parts->http.listen(m_config.listenAddress, m_config.listenPort);
    if (port == 0) {
        m_error = QStringLiteral("Cannot listen on %1:%2")
                      .arg(m_config.listenAddress.toString())
                      .arg(m_config.listenPort);
        return false;
    }
    m_parts = std::move(parts);
    qCInfo(lcServer) << "listening on" << baseUrl().toString() << "with database"
                     << m_config.database.toDisplayString();
    return true;
}

void ChatServer::stop()
{
    if (!m_parts)
        return;
    for (QTcpServer *listener : m_parts->http.findChildren<QTcpServer *>())
        listener->close();
    m_parts->hub.closeAllSessions();
    // Sessions are children of their endpoints: destroying the parts ends them.
    m_parts->endpoints.clear();
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
    for (QTcpServer *listener : m_parts->http.findChildren<QTcpServer *>())
        listener->close();
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
    if (!m_parts)
        return 0;
    const auto listeners = m_parts->http.findChildren<QTcpServer *>();
    return listeners.isEmpty() ? 0 : listeners.first()->serverPort();
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

void ChatServer::acceptWebSockets()
{
    while (std::unique_ptr<QWebSocket> socket = m_parts->http.nextPendingWebSocketConnection()) {
        socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(m_config.maxFrameBytes));
        socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_config.maxFrameBytes));
        const QString path = socket->requestUrl().path();
        DialectEndpoint *owner = nullptr;
        for (const auto &endpoint : m_parts->endpoints) {
            if (endpoint->handlesPath(path)) {
                owner = endpoint.get();
                break;
            }
        }
        if (!owner) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Unknown path"));
            socket.release()->deleteLater();
            continue;
        }
        owner->accept(std::move(socket));
    }
}

} // namespace natter::server
