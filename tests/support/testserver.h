#pragma once

// An embedded ChatServer on 127.0.0.1 and a port the OS picks, with its own
// temporary data directory and SQLite database, for networked tests.

#include "chatserver.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <memory>

namespace natter::test {

struct HttpReply
{
    int status = 0;
    QJsonObject json;
    QByteArray body;
    QList<QByteArray> setCookies;
    QByteArray header(const QByteArray &name) const;
    QList<QPair<QByteArray, QByteArray>> headers;
};

struct Account
{
    qint64 id = 0;
    QString username;
    QString token;
};

class TestServer
{
public:
    // Fast defaults for tests: minimal password hashing, short typing expiry.
    static server::ServerConfig defaultConfig();

    explicit TestServer(server::ServerConfig config = defaultConfig());
    ~TestServer();

    bool start();
    // Stops (clients see 1001) and starts again on the same port and data.
    void stop();
    bool restart();
    server::ChatServer &server() { return *m_server; }
    QUrl url(const QString &path) const;     // http(s)://127.0.0.1:PORT/path
    QUrl wsUrl(const QString &path) const;   // ws(s)://127.0.0.1:PORT/path
    // The CAs get()/post() send along to a server on TLS (they accept any certificate of it).
    void setCaCertificates(const QList<QSslCertificate> &cas) { m_caCertificates = cas; }
    QString dataDir() const { return m_dir.path(); }

    HttpReply get(const QString &path, const QString &token = {},
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpReply post(const QString &path, const QByteArray &body, const QString &token = {},
                   const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpReply post(const QString &path, const QJsonObject &body, const QString &token = {});

    // Registers (password "password123") and returns the account with its token.
    Account registerUser(const QString &username, const QString &displayName = {});

private:
    HttpReply send(const QString &method, const QString &path, const QByteArray &body,
                   const QString &token, const QList<QPair<QByteArray, QByteArray>> &headers);

    QTemporaryDir m_dir;
    server::ServerConfig m_config;
    std::unique_ptr<server::ChatServer> m_server;
    QNetworkAccessManager m_network;
    QList<QSslCertificate> m_caCertificates;
};

} // namespace natter::test
