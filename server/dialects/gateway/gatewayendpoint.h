#pragma once

// The `gateway` dialect (spec 004): an opcode gateway (HELLO → IDENTIFY →
// READY, DISPATCH events, close codes 4000–4009) at its mount path (default
// /gateway; `--mount gateway=/ws@PORT` gives clients that hard-code the
// spec's /ws their door), and the /thread REST routes.

#include "dialectendpoint.h"

namespace natter::server {

struct ServerContext;

class GatewayEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    GatewayEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("gateway"); }
    void registerRoutes(QHttpServer &server) override;
    // Everyone may open the socket: the token comes in IDENTIFY, not in the upgrade.
    void accept(UpgradedSocket socket) override;
};

} // namespace natter::server
