#pragma once

// The embedded server: store, auth, hub, every dialect endpoint and REST
// route on one HTTP port. The same object runs headless and inside the app.

#include "serverconfig.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <chrono>
#include <memory>

namespace natter::server {

class Hub;
class Store;
class Authenticator;

// The doors the server opens: every dialect at its default path on the main
// port, adjusted by the config's extra mounts.
QList<Mount> effectiveMounts(const ServerConfig &config);

class ChatServer : public QObject
{
    Q_OBJECT
public:
    explicit ChatServer(ServerConfig config, QObject *parent = nullptr);
    ~ChatServer() override;

    // Opens the store (migrating it), loads the signing secret and listens.
    bool start();
    // Stops at once: every WebSocket gets close 1001, the listener and the store close.
    void stop();
    // Stops accepting, closes every WebSocket with 1001 and waits (up to
    // `grace`) for the peers to finish the closing handshake; then stop()
    // and `stopped`.
    void shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
    bool isRunning() const;

    QString errorString() const { return m_error; }
    quint16 port() const; // the main port
    // Every bound port: the main one first, then one per extra mount port,
    // in ascending order of the ports the mounts asked for.
    QList<quint16> ports() const;
    QHostAddress address() const;
    QUrl baseUrl() const; // http(s)://address:port
    bool isSecure() const { return m_config.tlsEnabled(); }
    // SHA-256 of the served certificate; empty without TLS.
    QByteArray tlsFingerprint() const;
    // Reads the certificate and key files again (SIGHUP): new connections get
    // the new ones, open connections stay. On failure the old ones stay.
    bool reloadTls(QString *error);

    const ServerConfig &config() const { return m_config; }
    Store &store();
    Hub &hub();
    Authenticator &authenticator();
    // Connections each socket thread serves now (empty with --threads 1).
    QList<int> socketThreadConnections() const;

signals:
    void sessionCountChanged(int count);
    void stopped();

private:
    void closeListeners();

    struct Parts;
    ServerConfig m_config;
    std::unique_ptr<Parts> m_parts;
    QString m_error;
};

} // namespace natter::server
