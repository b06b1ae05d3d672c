#include "chatsendpoint.h"

#include "chatssession.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "upgraderoute.h"

#include <QHttpServer>
#include <QUrl>

namespace natter::server {
namespace {

QByteArray rawHeader(const QNetworkRequest &request, QByteArrayView name)
{
    for (const QByteArray &key : request.rawHeaderList()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return request.rawHeader(key);
    }
    return {};
}

// "scheme://host[:port]" in lowercase, default ports dropped; empty if not an origin.
QString normalisedOrigin(const QString &text)
{
    const QUrl url(text.trimmed());
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return {};
    QString origin = url.scheme().toLower() + QStringLiteral("://") + url.host().toLower();
    const int port = url.port();
    const bool defaultPort = port < 0 || (port == 80 && (url.scheme() == u"http" || url.scheme() == u"ws"))
        || (port == 443 && (url.scheme() == u"https" || url.scheme() == u"wss"));
    if (!defaultPort)
        origin += u':' + QString::number(port);
    return origin;
}

} // namespace

ChatsEndpoint::ChatsEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

void ChatsEndpoint::registerRoutes(QHttpServer &server)
{
    // Nothing is refused before the upgrade: authentication errors close the
    // upgraded connection (see the header). Plain HTTP gets 426.
    const auto upgrade = [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        answerUpgrade(request, responder, std::nullopt);
    };
    server.route(mountPath(), upgrade);
    server.route(mountPath() + u'/', upgrade);
}

bool ChatsEndpoint::originAllowed(const QNetworkRequest &request) const
{
    const QByteArray originHeader = rawHeader(request, "origin");
    if (originHeader.isEmpty())
        return true; // not a browser: no cross-site cookie to worry about
    const QString origin = normalisedOrigin(QString::fromUtf8(originHeader));
    if (origin.isEmpty())
        return false;
    const QStringList &allowed = m_context.config.allowedOrigins;
    if (!allowed.isEmpty()) {
        return std::any_of(allowed.cbegin(), allowed.cend(), [&origin](const QString &entry) {
            return normalisedOrigin(entry) == origin;
        });
    }
    // Only the server's own origin: the Origin's authority is the Host asked for.
    const QString host = QString::fromUtf8(rawHeader(request, "host")).trimmed().toLower();
    const QString own = normalisedOrigin(QStringLiteral("http://") + host);
    const QString ownTls = normalisedOrigin(QStringLiteral("https://") + host);
    return !host.isEmpty() && (origin == own || origin == ownTls);
}

std::optional<UserRecord> ChatsEndpoint::authenticate(const QNetworkRequest &request) const
{
    Credentials credentials = Credentials::from(request);
    if (credentials.queryToken.isEmpty() && credentials.bearerToken.isEmpty()
        && !originAllowed(request))
        credentials.cookieToken.clear();
    const std::optional<AuthContext> caller = m_context.auth.authenticate(credentials);
    if (!caller)
        return std::nullopt;
    return caller->user;
}

void ChatsEndpoint::accept(UpgradedSocket socket)
{
    const std::optional<UserRecord> user = authenticate(socket.request);
    if (!user) {
        // Nothing has been sent on this connection: close with the reason.
        return socket.refuse(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("authentication failed"));
    }
    new ChatsSession(m_context, std::move(socket.transport), *user, this);
}

} // namespace natter::server
