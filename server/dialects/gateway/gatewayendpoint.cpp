#include "gatewayendpoint.h"

#include "gatewayrestapi.h"
#include "gatewaysession.h"
#include "upgraderoute.h"

#include <QHttpServer>

namespace natter::server {

GatewayEndpoint::GatewayEndpoint(ServerContext &context, const QString &mountPath, QObject *parent)
    : DialectEndpoint(context, mountPath, parent)
{
}

void GatewayEndpoint::registerRoutes(QHttpServer &server)
{
    // Nothing to refuse before the upgrade (authentication is IDENTIFY's job);
    // a plain HTTP request gets 426.
    const auto upgrade = [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        answerUpgrade(request, responder, std::nullopt);
    };
    server.route(mountPath(), upgrade);
    if (mountPath() != u"/")
        server.route(mountPath() + u'/', upgrade);
    auto *rest = new GatewayRestApi(m_context, this);
    rest->registerRoutes(server);
}

void GatewayEndpoint::accept(UpgradedSocket socket)
{
    new GatewaySession(m_context, std::move(socket.transport), this);
}

} // namespace natter::server
