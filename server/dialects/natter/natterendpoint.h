#pragma once

// The `natter` dialect (docs/natter-protocol.md): Natter's own door, one
// WebSocket per account at /ws/natter carrying every room. The token comes
// as ?token= or Authorization: Bearer, never from the cookie (so no page of
// another origin can open it with a browser's cookie). A bad token is
// answered after the upgrade, with close 1008 and the reason.

#include "dialectendpoint.h"

namespace natter::server {

class NatterEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    NatterEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("natter"); }
    void registerRoutes(QHttpServer &server) override;
    void accept(UpgradedSocket socket) override;
};

} // namespace natter::server
