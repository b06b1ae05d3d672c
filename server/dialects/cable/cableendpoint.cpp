#include "cableendpoint.h"

#include "cableformat.h"
#include "cablesession.h"
#include "httputil.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "stampcatalogue.h"
#include "upgraderoute.h"

#include <QHttpServer>

namespace natter::server {
namespace {

// The session cookie the spec shows; accepted beside Natter's own.
constexpr QByteArrayView specCookieName{"_message_backend_session"};

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

Credentials credentialsOf(const QHttpServerRequest &request)
{
    Credentials credentials = Credentials::from(request);
    if (credentials.cookieToken.isEmpty())
        credentials.cookieToken = http::cookie(request, specCookieName);
    return credentials;
}

Credentials credentialsOf(const QNetworkRequest &request)
{
    Credentials credentials = Credentials::from(request);
    if (credentials.cookieToken.isEmpty()) {
        QList<QByteArray> cookieLines;
        for (const QByteArray &name : request.rawHeaderList()) {
            if (name.compare("cookie", Qt::CaseInsensitive) == 0)
                cookieLines.append(request.rawHeader(name));
        }
        credentials.cookieToken = http::cookie(cookieLines, specCookieName);
    }
    return credentials;
}

bool cookieOnly(const Credentials &credentials)
{
    return credentials.queryToken.isEmpty() && credentials.bearerToken.isEmpty()
        && !credentials.cookieToken.isEmpty();
}

// If-None-Match: `*` or a list of (possibly weak) entity tags.
bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == etag)
            return true;
    }
    return false;
}

} // namespace

CableEndpoint::CableEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

bool CableEndpoint::originAllowed(const Credentials &credentials, const QByteArray &origin,
                                  const QByteArray &host) const
{
    // Only a cookie rides along on a cross-site request by itself; tokens in the
    // URL or a header were put there by the client on purpose.
    if (!cookieOnly(credentials) || origin.isEmpty())
        return true;
    const QString text = QString::fromUtf8(origin);
    if (m_context.config.allowedOrigins.contains(text))
        return true;
    const QString ownHost = QString::fromUtf8(host);
    return !ownHost.isEmpty()
        && (text == QStringLiteral("http://") + ownHost || text == QStringLiteral("https://") + ownHost);
}

void CableEndpoint::registerRoutes(QHttpServer &server)
{
    auto upgrade = [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        std::optional<UpgradeRefusal> refusal;
        if (!originAllowed(credentialsOf(request), http::header(request, "origin"),
                           http::header(request, "host"))) {
            refusal = UpgradeRefusal{QHttpServerResponder::StatusCode::Forbidden,
                                     str("Request origin not allowed")};
        }
        // Authentication failures are answered after the upgrade, as Rails does.
        answerUpgrade(request, responder, refusal);
    };
    server.route(mountPath(), upgrade);
    if (mountPath() != u"/")
        server.route(mountPath() + u'/', upgrade);

    server.route(str("/api/stamp_messages"), QHttpServerRequest::Method::Get,
                 [this](const QHttpServerRequest &request) { return stampMessages(request); });
}

QStringList CableEndpoint::subprotocols() const
{
    return {str("actioncable-v1-json")};
}

bool CableEndpoint::admitsUpgrade(const QNetworkRequest &upgrade) const
{
    return originAllowed(credentialsOf(upgrade), upgrade.rawHeader("Origin"), upgrade.rawHeader("Host"));
}

QHttpServerResponse CableEndpoint::stampMessages(const QHttpServerRequest &request) const
{
    if (!m_context.auth.authenticate(credentialsOf(request)))
        return http::error(http::Status::Unauthorized, str("Authentication required"));
    const QByteArray &etag = cable::catalogueEtag();
    const QByteArray ifNoneMatch = http::header(request, "if-none-match");
    QHttpServerResponse response = !ifNoneMatch.isEmpty() && etagMatches(ifNoneMatch, etag)
        ? QHttpServerResponse(http::Status::NotModified)
        : QHttpServerResponse(QByteArrayLiteral("application/json"), cable::catalogueJson());
    response.setHeader(QByteArrayLiteral("ETag"), etag);
    response.setHeader(QByteArrayLiteral("Cache-Control"),
                       QByteArrayLiteral("private, max-age=0, must-revalidate"));
    return response;
}

void CableEndpoint::refuse(UpgradedSocket socket, const QString &reason)
{
    socket.refuse(QWebSocketProtocol::CloseCodeNormal, reason, cable::disconnectFrame(reason, false).toUtf8());
}

void CableEndpoint::accept(UpgradedSocket socket)
{
    const QNetworkRequest &request = socket.request;
    const Credentials credentials = credentialsOf(request);
    if (!originAllowed(credentials, socket.origin.toUtf8(), request.rawHeader("Host")))
        return refuse(std::move(socket), str("invalid_request"));
    const std::optional<AuthContext> caller = m_context.auth.authenticate(credentials);
    if (!caller)
        return refuse(std::move(socket), str("unauthorized"));
    new CableSession(m_context, std::move(socket.transport), caller->user, this);
}

} // namespace natter::server
