// The `rooms` adapter against a wire-level fake of spec 003 (a third-party
// server that implements only the spec): the exact client frames, the answer
// to server pings, server frames mapped to signals, and a dropped room socket
// that comes back by itself.

#include "rooms/roomsbackend.h"

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

using namespace natter;
using namespace natter::client;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

// Spec 003's REST (stats, an empty message page) and /ws/chat/{id}/ on one port.
class FakeRoomsServer
{
public:
    FakeRoomsServer()
    {
        m_http.route(s("/api/v1.0/chat/stats/"), [this](const QHttpServerRequest &request) {
            lastAuthorization = request.value("Authorization");
            return QHttpServerResponse(QJsonObject{{s("user_id"), 7}, {s("total_rooms"), 1}});
        });
        m_http.route(s("/api/v1.0/chat/rooms/<arg>/messages/"), [](qint64, const QHttpServerRequest &) {
            return QHttpServerResponse(QJsonObject{{s("count"), 0}, {s("next"), QJsonValue::Null},
                                                   {s("previous"), QJsonValue::Null}, {s("results"), QJsonArray()}});
        });
        m_http.route(s("/ws/chat/<arg>/"), [](const QString &, const QHttpServerRequest &, QHttpServerResponder &&) {});
        QObject::connect(&m_http, &QHttpServer::newWebSocketConnection, &m_http, [this] {
            while (auto socket = m_http.nextPendingWebSocketConnection()) {
                QWebSocket *raw = socket.get();
                paths.append(raw->requestUrl().toString(QUrl::RemoveScheme | QUrl::RemoveAuthority));
                QObject::connect(raw, &QWebSocket::textMessageReceived, raw, [this](const QString &text) {
                    frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                });
                m_sockets.push_back(std::move(socket));
                send({{s("type"), s("connection_established")}, {s("room_id"), 5}, {s("user_id"), 7},
                      {s("heartbeat_interval"), 30}, {s("connection_timeout"), 14400}});
            }
        });
        port = m_http.listen(QHostAddress::LocalHost, 0);
    }

    void send(const QJsonObject &frame)
    {
        m_sockets.back()->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }
    void dropSocket() { m_sockets.back()->abort(); }
    int socketCount() const { return static_cast<int>(m_sockets.size()); }
    std::optional<QJsonObject> frameOfType(const QString &type) const
    {
        for (const QJsonObject &frame : frames) {
            if (frame.value(s("type")).toString() == type)
                return frame;
        }
        return std::nullopt;
    }

    quint16 port = 0;
    QByteArray lastAuthorization;
    QStringList paths;
    QList<QJsonObject> frames;

private:
    QHttpServer m_http;
    std::vector<std::unique_ptr<QWebSocket>> m_sockets;
};
} // namespace

class TestRoomsFake : public QObject
{
    Q_OBJECT

private slots:
    void speaksTheSpec()
    {
        FakeRoomsServer server;
        QVERIFY(server.port != 0);
        Backend::Settings settings;
        settings.serverUrl = QUrl(s("http://127.0.0.1:%1").arg(server.port));
        settings.signIn.token = s("third-party-token");
        RoomsBackend backend(settings);
        backend.reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(50), std::chrono::milliseconds(100));
        QSignalSpy subscribed(&backend, &Backend::subscribed);
        backend.subscribe(s("5"));
        backend.connectToServer();
        QVERIFY(subscribed.wait());
        QCOMPARE(server.lastAuthorization, QByteArray("Bearer third-party-token"));
        QCOMPARE(server.paths.first(), s("/ws/chat/5/?token=third-party-token"));
        QCOMPARE(backend.self().id, s("7"));

        // Client frames exactly as the spec prints them.
        backend.send({s("5"), {}, s("temp_1"), MessageKind::Text, s("Hello, world!"), {}, 0, 0});
        backend.setTyping(s("5"), true);
        backend.markStatus(s("5"), s("456"), DeliveryStatus::Read);
        backend.markStatus(s("5"), s("457"), DeliveryStatus::Delivered);
        QTRY_COMPARE(server.frames.size(), 4);
        QCOMPARE(server.frames.at(0).value(s("type")).toString(), s("message"));
        QCOMPARE(server.frames.at(0).value(s("content")).toString(), s("Hello, world!"));
        QCOMPARE(server.frames.at(0).value(s("temp_id")).toString(), s("temp_1"));
        QVERIFY(server.frames.at(0).value(s("timestamp")).isString());
        QCOMPARE(server.frames.at(1).value(s("type")).toString(), s("typing_on"));
        QCOMPARE(server.frames.at(2).value(s("type")).toString(), s("message_read"));
        QCOMPARE(server.frames.at(2).value(s("message_id")).toInteger(), 456);
        QCOMPARE(server.frames.at(3).value(s("type")).toString(), s("message_delivered"));

        // The server's echo with our temp id is the ack; others' messages are messages.
        QSignalSpy acked(&backend, &Backend::messageAcked);
        QSignalSpy received(&backend, &Backend::messageReceived);
        server.send({{s("type"), s("message")},
                     {s("message"), QJsonObject{{s("id"), 456}, {s("content"), s("Hello, world!")}, {s("sender_id"), 7},
                                                {s("sender_username"), s("me")}, {s("status"), s("sent")},
                                                {s("created_at"), s("2024-12-25T10:30:00Z")}, {s("room_id"), 5},
                                                {s("temp_id"), s("temp_1")}}},
                     {s("delivery_id"), s("msg_456_1703419800.123")}});
        server.send({{s("type"), s("message")},
                     {s("message"), QJsonObject{{s("id"), 457}, {s("content"), s("hi")}, {s("sender_id"), 9},
                                                {s("sender_username"), s("jane_smith")}, {s("status"), s("sent")},
                                                {s("created_at"), s("2024-12-25T10:31:00Z")}, {s("room_id"), 5}}}});
        QTRY_COMPARE(acked.size(), 1);
        QCOMPARE(acked.first().at(1).value<ChatMessage>().id, s("456"));
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received.first().first().value<ChatMessage>().sender.username, s("jane_smith"));

        QSignalSpy status(&backend, &Backend::statusChanged);
        QSignalSpy typing(&backend, &Backend::typingChanged);
        QSignalSpy presence(&backend, &Backend::presenceChanged);
        server.send({{s("type"), s("message_status_update")}, {s("message_id"), 456}, {s("status"), s("read")},
                     {s("timestamp"), s("2024-12-25T10:30:00Z")}, {s("updated_by"), 9}});
        server.send({{s("type"), s("typing")}, {s("user_id"), 9}, {s("username"), s("jane_smith")},
                     {s("is_typing"), true}, {s("timestamp"), s("2024-12-25T10:30:00Z")}});
        server.send({{s("type"), s("user_status_change")}, {s("user_id"), 9}, {s("username"), s("jane_smith")},
                     {s("is_online"), false}, {s("last_seen"), s("2024-12-25T10:30:00Z")}});
        QTRY_COMPARE(presence.size(), 1);
        QCOMPARE(status.size(), 1);
        QVERIFY(status.first().at(2).value<DeliveryStatus>() == DeliveryStatus::Read);
        QCOMPARE(typing.size(), 1);
        QVERIFY(!presence.first().first().value<Person>().online);

        // A server ping is answered with a pong.
        server.send({{s("type"), s("ping")}, {s("timestamp"), s("2024-12-25T10:30:00Z")}, {s("sequence"), 1}});
        QTRY_VERIFY(server.frameOfType(s("pong")).has_value());
        QVERIFY(server.frameOfType(s("pong"))->value(s("client_time")).isString());

        // A dropped room socket comes back by itself and is subscribed again.
        server.dropSocket();
        QTRY_COMPARE_WITH_TIMEOUT(server.socketCount(), 2, 5000);
        QTRY_COMPARE(subscribed.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestRoomsFake)
#include "tst_roomsfake.moc"
