#include "wsclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>

namespace natter::test {

WsClient::WsClient(QObject *parent)
    : QObject(parent)
{
    // A test client trusts whatever server the test pointed it at (wss included).
    connect(&m_socket, &QWebSocket::sslErrors, this, [this] { m_socket.ignoreSslErrors(); });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
}

bool WsClient::open(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QEventLoop loop;
    connect(&m_socket, &QWebSocket::connected, &loop, &QEventLoop::quit);
    connect(&m_socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    // A timer of this scope: a single-shot one would outlive the wait by seconds.
    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, &loop, &QEventLoop::quit);
    giveUp.start(5000);
    m_socket.open(request);
    loop.exec();
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void WsClient::sendJson(const QJsonObject &object)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void WsClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

std::optional<QJsonObject> WsClient::waitFor(const std::function<bool(const QJsonObject &)> &match,
                                             int timeoutMs)
{
    auto takeMatch = [&]() -> std::optional<QJsonObject> {
        for (qsizetype i = 0; i < m_frames.size(); ++i) {
            if (match(m_frames.at(i)))
                return m_frames.takeAt(i);
        }
        return std::nullopt;
    };
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        if (auto frame = takeMatch())
            return frame;
        if (deadline.hasExpired() || m_socket.state() == QAbstractSocket::UnconnectedState)
            return std::nullopt;
        QSignalSpy received(&m_socket, &QWebSocket::textMessageReceived);
        received.wait(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    }
}

std::optional<QJsonObject> WsClient::waitForType(const QString &type, int timeoutMs)
{
    return waitFor([&type](const QJsonObject &frame) {
        return frame.value(QStringLiteral("type")).toString() == type;
    }, timeoutMs);
}

qsizetype WsClient::countPending(const std::function<bool(const QJsonObject &)> &match) const
{
    return std::count_if(m_frames.cbegin(), m_frames.cend(), match);
}

bool WsClient::waitForDisconnect(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy disconnected(&m_socket, &QWebSocket::disconnected);
    return disconnected.wait(timeoutMs);
}

QByteArray rawUpgradeHead(const QUrl &url, const QList<QByteArray> &extraHeaders)
{
    // Asynchronous on purpose: the server under test runs on this thread's event loop.
    QTcpSocket socket;
    QByteArray received;
    QEventLoop loop;
    QObject::connect(&socket, &QTcpSocket::connected, &loop, [&] {
        QByteArray request = "GET " + url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority).toUtf8()
            + " HTTP/1.1\r\nHost: " + url.authority().toUtf8()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
              "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        for (const QByteArray &header : extraHeaders)
            request += header + "\r\n";
        socket.write(request + "\r\n");
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        received += socket.readAll();
        if (received.contains("\r\n\r\n"))
            loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QTimer giveUp;
    giveUp.setSingleShot(true);
    QObject::connect(&giveUp, &QTimer::timeout, &loop, &QEventLoop::quit);
    giveUp.start(5000);
    socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
    loop.exec();
    const qsizetype end = received.indexOf("\r\n\r\n");
    return end < 0 ? received : received.left(end);
}

QByteArray rawUpgradeStatusLine(const QUrl &url, const QList<QByteArray> &extraHeaders)
{
    const QByteArray head = rawUpgradeHead(url, extraHeaders);
    const qsizetype end = head.indexOf("\r\n");
    return end < 0 ? head : head.left(end);
}

QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0 && lines[i].left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return lines[i].mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace natter::test
