#include "natterendpoint.h"

#include "authenticator.h"
#include "nattersession.h"
#include "servercontext.h"
#include "upgraderoute.h"

#include <QHttpServer>

using namespace Qt::StringLiterals;

namespace natter::server {

NatterEndpoint::NatterEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

void NatterEndpoint::registerRoutes(QHttpServer &server)
{
    // Nothing is refused before the upgrade: a WebSocket client reads a close
    // reason more reliably than an HTTP status. Plain HTTP gets 426.
    const auto upgrade = [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        answerUpgrade(request, responder, std::nullopt);
    };
    server.route(mountPath(), upgrade);
    server.route(mountPath() + u'/', upgrade);
}

void NatterEndpoint::accept(UpgradedSocket socket)
{
    Credentials credentials = Credentials::from(socket.request);
    credentials.cookieToken.clear();
    if (credentials.queryToken.isEmpty() && credentials.bearerToken.isEmpty())
        return socket.refuse(QWebSocketProtocol::CloseCodePolicyViolated, u"Token required"_s);
    const std::optional<AuthContext> caller = m_context.auth.authenticate(credentials);
    if (!caller)
        return socket.refuse(QWebSocketProtocol::CloseCodePolicyViolated, u"Invalid token"_s);
    new NatterSession(m_context, std::move(socket.transport), caller->user, this);
}

} // namespace natter::server
