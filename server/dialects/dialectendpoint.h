#pragma once

// One dialect's server side: the WebSocket door at its mount path (and the
// REST routes that belong to its spec). Endpoints parse, validate and
// authorise; the hub does the domain work; the endpoint's sessions encode
// the hub's events in the dialect's own format.

#include "upgradedsocket.h"

#include <QNetworkRequest>
#include <QObject>
#include <QStringList>
#include <memory>

class QHttpServer;

namespace natter::server {

struct ServerContext;

class DialectEndpoint : public QObject
{
    Q_OBJECT
public:
    DialectEndpoint(ServerContext &context, QString mountPath, QObject *parent = nullptr);

    virtual QLatin1StringView dialect() const = 0;
    // The WebSocket path ("/cable", "/ws/chat" for /ws/chat/{id}/, …).
    QString mountPath() const { return m_mountPath; }
    // Whether an upgraded socket for this URL path belongs here. Default: the
    // mount path itself, with or without a trailing slash.
    virtual bool handlesPath(const QString &path) const;
    // Register the upgrade route (and any REST routes) on the HTTP server.
    virtual void registerRoutes(QHttpServer &server) = 0;
    // WebSocket subprotocols the 101 may select (the first the client asks
    // for that is one of these; none if it asks for none).
    virtual QStringList subprotocols() const { return {}; }
    // For the handshakes the listener runs itself (see Listener): whether the
    // upgrade passes the checks the upgrade route makes before upgrading. If
    // not, the route gets the request and answers the refusal as always.
    virtual bool admitsUpgrade(const QNetworkRequest &upgrade) const
    {
        Q_UNUSED(upgrade);
        return true;
    }
    // Take over an upgraded socket; authenticate it and run the session (which
    // takes socket.transport), or refuse it (UpgradedSocket::refuse).
    virtual void accept(UpgradedSocket socket) = 0;

protected:
    ServerContext &m_context;

private:
    QString m_mountPath;
};

} // namespace natter::server
