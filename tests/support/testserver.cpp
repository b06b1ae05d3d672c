#include "testserver.h"

#include <QSslConfiguration>

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

namespace natter::test {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

server::ServerConfig TestServer::defaultConfig()
{
    server::ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.listenPort = 0;
    config.fastPasswordHashing = true;
    config.typingExpiry = std::chrono::milliseconds(400);
    // Suites send bursts from one user; the limit's own tests turn it on.
    config.messagesPerSecond = 0;
    // The *_threads runs of a suite serve its sockets from socket threads.
    config.threads = std::max(1, qEnvironmentVariableIntValue("NATTER_TEST_THREADS"));
    return config;
}

TestServer::TestServer(server::ServerConfig config)
    : m_config(std::move(config))
{
    m_config.dataDir = m_dir.path();
    if (m_config.database.path.isEmpty() && m_config.database.kind == server::DatabaseUrl::Kind::Sqlite)
        m_config.database = server::DatabaseUrl::sqlite(m_dir.filePath(QStringLiteral("natter.db")));
}

TestServer::~TestServer() = default;

bool TestServer::start()
{
    m_server = std::make_unique<server::ChatServer>(m_config);
    if (!m_server->start()) {
        qWarning() << "test server did not start:" << m_server->errorString();
        return false;
    }
    return true;
}

void TestServer::stop()
{
    if (m_server)
        m_config.listenPort = m_server->port(); // come back where the clients look
    m_server.reset();
}

bool TestServer::restart()
{
    stop();
    return start();
}

QUrl TestServer::url(const QString &path) const
{
    QUrl url(m_config.tlsEnabled() ? QStringLiteral("https://127.0.0.1") : QStringLiteral("http://127.0.0.1"));
    url.setPort(m_server ? m_server->port() : m_config.listenPort); // stopped: where it comes back
    const qsizetype query = path.indexOf(u'?');
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    return url;
}

QUrl TestServer::wsUrl(const QString &path) const
{
    QUrl result = url(path);
    result.setScheme(m_config.tlsEnabled() ? QStringLiteral("wss") : QStringLiteral("ws"));
    return result;
}

HttpReply TestServer::send(const QString &method, const QString &path, const QByteArray &body,
                           const QString &token,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url(path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    // Each request says who it is: no cookie jar carries a session along.
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!m_caCertificates.isEmpty()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_caCertificates);
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = m_network.sendCustomRequest(request, method.toUtf8(), body);
    // The harness is the server's own operator: it trusts whatever certificate the test gave it.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    HttpReply result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    for (const auto &pair : reply->rawHeaderPairs()) {
        result.headers.append(pair);
        if (pair.first.compare("set-cookie", Qt::CaseInsensitive) == 0)
            result.setCookies += pair.second.split('\n');
    }
    reply->deleteLater();
    return result;
}

HttpReply TestServer::get(const QString &path, const QString &token,
                          const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send(QStringLiteral("GET"), path, {}, token, headers);
}

HttpReply TestServer::post(const QString &path, const QByteArray &body, const QString &token,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return send(QStringLiteral("POST"), path, body, token, headers);
}

HttpReply TestServer::post(const QString &path, const QJsonObject &body, const QString &token)
{
    return post(path, QJsonDocument(body).toJson(QJsonDocument::Compact), token);
}

Account TestServer::registerUser(const QString &username, const QString &displayName)
{
    QJsonObject body{{QStringLiteral("username"), username},
                     {QStringLiteral("password"), QStringLiteral("password123")}};
    if (!displayName.isEmpty())
        body.insert(QStringLiteral("display_name"), displayName);
    const HttpReply reply = post(QStringLiteral("/api/auth/register"), body);
    if (reply.status != 201) {
        qWarning() << "register failed" << reply.status << reply.body;
        return {};
    }
    const QJsonObject user = reply.json.value(QStringLiteral("user")).toObject();
    return {user.value(QStringLiteral("id")).toInteger(), username,
            reply.json.value(QStringLiteral("token")).toString()};
}

} // namespace natter::test
