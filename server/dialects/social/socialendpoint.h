#pragma once

// The `social` dialect (spec 002): the WebSocket at `/ws` (session cookie;
// `?token=` and `Authorization: Bearer` for non-browser clients, the Origin
// rule of socialaccess.h for all of them), plus its HTTP API: message
// history, group invitations and notifications.

#include "authenticator.h"
#include "dialectendpoint.h"
#include "records.h"
#include "socialaccess.h"

namespace natter::server {

struct ServerContext;

class SocialEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    SocialEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("social"); }
    void registerRoutes(QHttpServer &server) override;
    bool admitsUpgrade(const QNetworkRequest &upgrade) const override;
    void accept(UpgradedSocket socket) override;

private:
    struct Admission
    {
        std::optional<UserRecord> user;
        int httpStatus = 0; // 401 or 403 when refused
        QString reason;
    };
    Admission admit(const Credentials &credentials, const social::OriginHeaders &headers) const;
};

} // namespace natter::server
