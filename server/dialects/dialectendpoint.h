#pragma once

// One dialect's server side: the WebSocket door (and the REST routes that
// belong to its spec). Endpoints parse, validate and authorise; the hub does
// the domain work; the endpoint's sessions encode the hub's events.

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QObject>
#include <QWebSocket>
#include <memory>
#include <optional>

class QHttpServer;

namespace natter::server {

class DialectEndpoint : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QLatin1StringView dialect() const = 0;
    // Whether an upgraded socket for this URL path belongs here.
    virtual bool handlesPath(const QString &path) const = 0;
    // Register the upgrade route (and any REST routes) on the HTTP server.
    virtual void registerRoutes(QHttpServer &server) = 0;
    // Take over an upgraded socket; authenticate it and run the session.
    virtual void accept(std::unique_ptr<QWebSocket> socket) = 0;
};

} // namespace natter::server
