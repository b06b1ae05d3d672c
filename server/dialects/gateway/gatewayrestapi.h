#pragma once

// Spec 004's REST routes, for the caller's threads only (auth: Bearer,
// session cookie or ?token=):
//   GET  /thread                      the caller's threads, most recent first
//   GET  /thread/{id}                 a thread's messages, oldest first (?limit=&offset=)
//   POST /thread/{id}/approve|block   the requested side (a TUTOR) answers a message request

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QObject>

class QHttpServer;

namespace natter::server {

struct ServerContext;

class GatewayRestApi : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultPageSize = 50;
    static constexpr int maxPageSize = 200;

    GatewayRestApi(ServerContext &context, QObject *parent = nullptr);
    void registerRoutes(QHttpServer &server);

private:
    QHttpServerResponse listThreads(const QHttpServerRequest &request);
    QHttpServerResponse threadMessages(const QString &threadId, const QHttpServerRequest &request);
    QHttpServerResponse setState(const QString &threadId, bool approve,
                                 const QHttpServerRequest &request);

    ServerContext &m_context;
};

} // namespace natter::server
