#pragma once

// The `chats` dialect (spec 001): one WebSocket at `/chats/ws?token=` through
// which a user subscribes to any of their chats (rooms addressed by UUID) and
// sends to them.
//
// Authentication: the token from `?token=`, `Authorization: Bearer` or the
// session cookie. The spec says the connection "will be closed on ...
// authentication errors", so the upgrade is always accepted (a WebSocket path
// asked for without an upgrade still gets 426) and a bad, missing or revoked
// token closes it at once with 1008 "authentication failed", before anything
// else is sent. A session cookie counts only when the upgrade has no Origin
// (not a browser) or an allowed one (ServerConfig::allowedOrigins; when that
// is empty, the server's own origin), so another site's page cannot ride on a
// browser's cookie.

#include "authenticator.h"
#include "dialectendpoint.h"
#include "records.h"

namespace natter::server {

class ChatsEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    ChatsEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("chats"); }
    void registerRoutes(QHttpServer &server) override;
    void accept(UpgradedSocket socket) override;

private:
    std::optional<UserRecord> authenticate(const QNetworkRequest &request) const;
    bool originAllowed(const QNetworkRequest &request) const;
};

} // namespace natter::server
