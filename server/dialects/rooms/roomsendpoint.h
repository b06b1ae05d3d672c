#pragma once

// The `rooms` dialect (spec 003): `/ws/chat/{room_id}/?token=` and the REST
// API under /api/v1.0/chat/.

#include "dialectendpoint.h"
#include "authenticator.h"
#include "records.h"


namespace natter::server {

struct ServerContext;
class RoomsSession;

class RoomsEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    RoomsEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("rooms"); }
    bool handlesPath(const QString &path) const override;
    void registerRoutes(QHttpServer &server) override;
    bool admitsUpgrade(const QNetworkRequest &upgrade) const override;
    void accept(UpgradedSocket socket) override;

    // health_check_response to every connection in the room; how many got it.
    int sendHealthChecks(qint64 roomId);

private:
    struct Admission
    {
        std::optional<UserRecord> user;
        qint64 roomId = 0;
        int httpStatus = 0; // 401 or 403 when refused
        QString reason;
    };
    Admission admit(const QString &path, const Credentials &credentials) const;
    std::optional<qint64> roomIdFromPath(const QString &path) const;
};

} // namespace natter::server
