#include "socialendpoint.h"

#include "servercontext.h"
#include "serverconfig.h"
#include "socialrestapi.h"
#include "socialsession.h"
#include "upgraderoute.h"

#include <QHttpServer>

namespace natter::server {

SocialEndpoint::SocialEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

SocialEndpoint::Admission SocialEndpoint::admit(const Credentials &credentials,
                                                const social::OriginHeaders &headers) const
{
    Admission admission;
    const std::optional<AuthContext> caller = m_context.auth.authenticate(credentials);
    if (!caller) {
        admission.httpStatus = 401;
        admission.reason = QStringLiteral("Invalid or missing session");
        return admission;
    }
    // Checked whatever the credential: a cookie-authenticated socket must not
    // be openable from another site.
    if (!social::originAllowed(m_context.config.allowedOrigins, headers.origin, headers.host)) {
        admission.httpStatus = 403;
        admission.reason = QStringLiteral("Origin not allowed");
        return admission;
    }
    admission.user = caller->user;
    return admission;
}

void SocialEndpoint::registerRoutes(QHttpServer &server)
{
    // Refuse before the upgrade; accept() checks again on the socket.
    const auto upgrade = [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const Admission admission =
            admit(Credentials::from(request), social::OriginHeaders::from(request));
        std::optional<UpgradeRefusal> refusal;
        if (!admission.user) {
            refusal = UpgradeRefusal{admission.httpStatus == 401
                                         ? QHttpServerResponder::StatusCode::Unauthorized
                                         : QHttpServerResponder::StatusCode::Forbidden,
                                     admission.reason};
        }
        answerUpgrade(request, responder, refusal);
    };
    server.route(mountPath(), upgrade);
    if (mountPath() != u"/")
        server.route(mountPath() + u'/', upgrade);
    auto *rest = new SocialRestApi(m_context, this);
    rest->registerRoutes(server);
}

bool SocialEndpoint::admitsUpgrade(const QNetworkRequest &upgrade) const
{
    return admit(Credentials::from(upgrade), social::OriginHeaders::from(upgrade)).user.has_value();
}

void SocialEndpoint::accept(UpgradedSocket socket)
{
    const Admission admission =
        admit(Credentials::from(socket.request), social::OriginHeaders::from(socket.request));
    if (!admission.user) {
        // Spec 002: "If invalid, connection is immediately closed".
        return socket.refuse(QWebSocketProtocol::CloseCodePolicyViolated, admission.reason);
    }
    new SocialSession(m_context, std::move(socket.transport), *admission.user, this);
}

} // namespace natter::server
