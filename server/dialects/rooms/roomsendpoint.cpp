#include "roomsendpoint.h"

#include "authenticator.h"
#include "roomsrestapi.h"
#include "roomssession.h"
#include "servercontext.h"
#include "storequeries.h"
#include "upgraderoute.h"

#include <QHttpServer>
#include <QRegularExpression>

namespace natter::server {
// The room id after the mount path: /ws/chat/{room_id}/
std::optional<qint64> RoomsEndpoint::roomIdFromPath(const QString &path) const
{
    const QString prefix = mountPath() + u'/';
    if (!path.startsWith(prefix))
        return std::nullopt;
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)/?$"));
    const QRegularExpressionMatch match = pattern.match(path.mid(prefix.size()));
    if (!match.hasMatch())
        return std::nullopt;
    bool ok = false;
    const qint64 id = match.captured(1).toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

RoomsEndpoint::RoomsEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

bool RoomsEndpoint::handlesPath(const QString &path) const
{
    return roomIdFromPath(path).has_value();
}

RoomsEndpoint::Admission RoomsEndpoint::admit(const QString &path,
                                              const Credentials &credentials) const
{
    Admission admission;
    const std::optional<qint64> roomId = roomIdFromPath(path);
    const std::optional<AuthContext> caller = m_context.auth.authenticate(credentials);
    if (!caller) {
        admission.httpStatus = 401;
        admission.reason = QStringLiteral("Authentication failed");
        return admission;
    }
    const auto membership = roomId ? m_context.queries.membership(*roomId, caller->user.id)
                                   : std::nullopt;
    if (!membership || membership->state != MembershipState::Active) {
        admission.httpStatus = 403;
        admission.reason = QStringLiteral("Not a member of this room");
        return admission;
    }
    admission.user = caller->user;
    admission.roomId = *roomId;
    return admission;
}

void RoomsEndpoint::registerRoutes(QHttpServer &server)
{
    // Refuse before the upgrade when we can; accept() checks again on the socket.
    server.route(mountPath() + QStringLiteral("/<arg>/"),
                 [this](const QString &, const QHttpServerRequest &request,
                        QHttpServerResponder &&responder) {
        const Admission admission = admit(request.url().path(), Credentials::from(request));
        std::optional<UpgradeRefusal> refusal;
        if (!admission.user) {
            refusal = UpgradeRefusal{admission.httpStatus == 401
                                         ? QHttpServerResponder::StatusCode::Unauthorized
                                         : QHttpServerResponder::StatusCode::Forbidden,
                                     admission.reason};
        }
        answerUpgrade(request, responder, refusal);
    });
    auto *rest = new RoomsRestApi(m_context, *this, this);
    rest->registerRoutes(server);
}

bool RoomsEndpoint::admitsUpgrade(const QNetworkRequest &upgrade) const
{
    return admit(upgrade.url().path(), Credentials::from(upgrade)).user.has_value();
}

void RoomsEndpoint::accept(UpgradedSocket socket)
{
    const Admission admission = admit(socket.request.url().path(), Credentials::from(socket.request));
    if (!admission.user) {
        // Nothing about the room has been sent: refuse with 1008 and the reason.
        return socket.refuse(QWebSocketProtocol::CloseCodePolicyViolated, admission.reason);
    }
    new RoomsSession(m_context, std::move(socket.transport), *admission.user, admission.roomId, this);
}

int RoomsEndpoint::sendHealthChecks(qint64 roomId)
{
    int sent = 0;
    for (RoomsSession *session : findChildren<RoomsSession *>(Qt::FindDirectChildrenOnly)) {
        if (session->roomId() == roomId) {
            session->sendHealthCheck();
            ++sent;
        }
    }
    return sent;
}

} // namespace natter::server
