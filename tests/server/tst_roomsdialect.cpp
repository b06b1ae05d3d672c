// The `rooms` dialect (spec 003) over a real WebSocket: a client written from
// the spec alone — two users, a direct room, temp ids, receipts, typing,
// presence, heartbeat — and every bad input.

#include "servertestmain.h"
#include "epolleventdispatcher.h"
#include "hub.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

auto isType(const QString &type)
{
    return [type](const QJsonObject &frame) { return frame.value(QStringLiteral("type")).toString() == type; };
}
} // namespace

class TestRoomsDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    qint64 m_roomId = 0;

    QUrl roomUrl(qint64 roomId, const QString &token) const
    {
        return m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(roomId).arg(token));
    }

    std::unique_ptr<WsClient> connectTo(const Account &account, qint64 roomId = 0)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(roomUrl(roomId ? roomId : m_roomId, account.token)))
            return nullptr;
        if (!client->waitForType(s("connection_established")))
            return nullptr;
        return client;
    }

    int storedMessages() { return m_server->server().store().messageCount(m_roomId); }

private slots:
    void init()
    {
        auto config = TestServer::defaultConfig();
        config.heartbeatInterval = std::chrono::milliseconds(200);
        config.pingTimeout = std::chrono::milliseconds(100);
        config.missedPongsBeforeReconnect = 2;
        config.maxReconnectAttempts = 3;
        config.maxFrameBytes = 16 * 1024;
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"),
                                         QJsonObject{{s("participant"), m_bob.id}}, m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(s("id")).toInteger();
        QVERIFY(m_roomId > 0);
    }

    void cleanup() { m_server.reset(); }

    void connectionEstablishedCarriesTheSettings()
    {
        WsClient client;
        QVERIFY(client.open(roomUrl(m_roomId, m_alice.token)));
        const auto frame = client.waitForType(s("connection_established"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("room_id")).toInteger(), m_roomId);
        QCOMPARE(frame->value(s("user_id")).toInteger(), m_alice.id);
        QCOMPARE(frame->value(s("heartbeat_interval")).toDouble(), 0.2);
        QCOMPARE(frame->value(s("connection_timeout")).toInteger(), 14400);
        QVERIFY(QDateTime::fromString(frame->value(s("timestamp")).toString(), Qt::ISODateWithMs).isValid());
    }

    void refusedBeforeTheUpgrade_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("no token") << s("/ws/chat/%1/") << QByteArray("401");
        QTest::newRow("bad token") << s("/ws/chat/%1/?token=abc.def.ghi") << QByteArray("401");
        QTest::newRow("not a member") << s("/ws/chat/%1/?token=CAROL") << QByteArray("403");
        QTest::newRow("no such room") << s("/ws/chat/999999/?token=ALICE") << QByteArray("403");
    }

    void refusedBeforeTheUpgrade()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, status);
        if (path.contains(u'%'))
            path = path.arg(m_roomId);
        path = path.replace(s("CAROL"), m_carol.token).replace(s("ALICE"), m_alice.token);
        const QByteArray statusLine = test::rawUpgradeStatusLine(m_server->wsUrl(path));
        QVERIFY2(statusLine.startsWith(QByteArray("HTTP/1.1 " + status)), statusLine.isEmpty() ? "(nothing)" : statusLine.constData());

        // A WebSocket client sees a failed handshake and receives no room data.
        WsClient client;
        QVERIFY(!client.open(m_server->wsUrl(path)));
        QVERIFY(client.pending().isEmpty());
        // The real member still gets through.
        QVERIFY(test::rawUpgradeStatusLine(roomUrl(m_roomId, m_alice.token)).startsWith("HTTP/1.1 101"));
    }

    void messageWithTempIdReachesBothAndIsStoredOnce()
    {
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        alice->sendJson({{s("type"), s("message")},
                         {s("content"), s("Hello, world!")},
                         {s("temp_id"), s("temp_1703419800123")},
                         {s("timestamp"), s("2024-12-25T10:30:00Z")}});
        const auto echo = alice->waitForType(s("message"));
        QVERIFY(echo);
        const QJsonObject message = echo->value(s("message")).toObject();
        QVERIFY(message.value(s("id")).toInteger() > 0);
        QCOMPARE(message.value(s("content")).toString(), s("Hello, world!"));
        QCOMPARE(message.value(s("sender_id")).toInteger(), m_alice.id);
        QCOMPARE(message.value(s("sender_username")).toString(), s("alice"));
        QCOMPARE(message.value(s("status")).toString(), s("sent"));
        QCOMPARE(message.value(s("room_id")).toInteger(), m_roomId);
        QCOMPARE(message.value(s("temp_id")).toString(), s("temp_1703419800123"));
        QCOMPARE(message.value(s("seq")).toInteger(), 1); // Natter's extra: the room's first message
        QVERIFY(echo->value(s("delivery_id")).toString().startsWith(
            s("msg_%1_").arg(message.value(s("id")).toInteger())));

        const auto received = bob->waitForType(s("message"));
        QVERIFY(received);
        QCOMPARE(received->value(s("message")).toObject().value(s("id")), message.value(s("id")));
        QCOMPARE(storedMessages(), 1);
    }

    void resentTempIdIsAcknowledgedButNotDeliveredTwice()
    {
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        const QJsonObject send{{s("type"), s("message")}, {s("content"), s("once")}, {s("temp_id"), s("t-1")}};
        alice->sendJson(send);
        const auto first = alice->waitForType(s("message"));
        QVERIFY(first);
        alice->sendJson(send); // e.g. after a reconnect, before the ack arrived
        const auto second = alice->waitForType(s("message"));
        QVERIFY(second);
        QCOMPARE(second->value(s("message")).toObject().value(s("id")),
                 first->value(s("message")).toObject().value(s("id")));
        // Bob sees it once: a later marker message arrives, and nothing in between.
        alice->sendJson({{s("type"), s("message")}, {s("content"), s("marker")}, {s("temp_id"), s("t-2")}});
        QVERIFY(bob->waitFor([](const QJsonObject &f) {
            return f.value(s("message")).toObject().value(s("content")).toString() == s("marker");
        }));
        QCOMPARE(bob->countPending(isType(s("message"))), 1);
        QCOMPARE(storedMessages(), 2);
    }

    void receiptsFlowBackToTheSender()
    {
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        alice->sendJson({{s("type"), s("message")}, {s("content"), s("read me")}, {s("temp_id"), s("r1")}});
        const auto received = bob->waitForType(s("message"));
        QVERIFY(received);
        const qint64 id = received->value(s("message")).toObject().value(s("id")).toInteger();

        bob->sendJson({{s("type"), s("message_delivered")}, {s("message_id"), id}});
        auto update = alice->waitForType(s("message_status_update"));
        QVERIFY(update);
        QCOMPARE(update->value(s("message_id")).toInteger(), id);
        QCOMPARE(update->value(s("status")).toString(), s("delivered"));
        QCOMPARE(update->value(s("updated_by")).toInteger(), m_bob.id);

        bob->sendJson({{s("type"), s("message_read")}, {s("message_id"), id}});
        update = alice->waitForType(s("message_status_update"));
        QVERIFY(update);
        QCOMPARE(update->value(s("status")).toString(), s("read"));

        // Status never moves back, and a repeated receipt changes nothing.
        bob->sendJson({{s("type"), s("message_delivered")}, {s("message_id"), id}});
        bob->sendJson({{s("type"), s("ping")}});
        QVERIFY(bob->waitForType(s("pong")));
        // Anything the server sent Alice before this pong has arrived by now.
        alice->sendJson({{s("type"), s("ping")}});
        QVERIFY(alice->waitForType(s("pong")));
        QCOMPARE(alice->countPending(isType(s("message_status_update"))), 0);
        // Stored as Bob's read mark in the room, up to this message.
        const auto stored = m_server->server().store().messageById(id);
        QVERIFY(stored);
        const auto mark = m_server->server().store().mark(stored->roomId, m_bob.id);
        QVERIFY(mark);
        QVERIFY(mark->statusOf(stored->seq) == DeliveryStatus::Read);

        // Nobody receipts their own message.
        alice->sendJson({{s("type"), s("message_read")}, {s("message_id"), id}});
        QVERIFY(alice->waitForType(s("error")));
    }

    void typingIsRelayedAndExpires()
    {
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        alice->sendJson({{s("type"), s("typing_on")}, {s("timestamp"), s("2024-12-25T10:30:00Z")}});
        auto typing = bob->waitForType(s("typing"));
        QVERIFY(typing);
        QCOMPARE(typing->value(s("user_id")).toInteger(), m_alice.id);
        QCOMPARE(typing->value(s("username")).toString(), s("alice"));
        QCOMPARE(typing->value(s("is_typing")).toBool(), true);

        // The room's REST view shows who is typing.
        const auto details = m_server->get(s("/api/v1.0/chat/rooms/%1/").arg(m_roomId), m_bob.token);
        QCOMPARE(details.json.value(s("typing_users")).toArray().size(), 1);

        // Not refreshed: the server ends it by itself.
        typing = bob->waitForType(s("typing"), 3000);
        QVERIFY(typing);
        QCOMPARE(typing->value(s("is_typing")).toBool(), false);

        alice->sendJson({{s("type"), s("typing_on")}});
        QVERIFY(bob->waitForType(s("typing")));
        alice->sendJson({{s("type"), s("typing_off")}});
        typing = bob->waitForType(s("typing"));
        QVERIFY(typing);
        QCOMPARE(typing->value(s("is_typing")).toBool(), false);
        QCOMPARE(alice->countPending(isType(s("typing"))), 0); // nobody is told about themselves
    }

    void presenceFollowsConnections()
    {
        auto alice = connectTo(m_alice);
        QVERIFY(alice);
        auto bob = connectTo(m_bob);
        QVERIFY(bob);
        auto online = alice->waitForType(s("user_status_change"));
        QVERIFY(online);
        QCOMPARE(online->value(s("user_id")).toInteger(), m_bob.id);
        QCOMPARE(online->value(s("is_online")).toBool(), true);
        QVERIFY(m_server->server().hub().isOnline(m_bob.id));

        bob->socket().close();
        auto offline = alice->waitForType(s("user_status_change"));
        QVERIFY(offline);
        QCOMPARE(offline->value(s("is_online")).toBool(), false);
        QVERIFY(QDateTime::fromString(offline->value(s("last_seen")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!m_server->server().hub().isOnline(m_bob.id));
        QVERIFY(m_server->server().store().userById(m_bob.id)->lastSeen.isValid());
    }

    void heartbeatPingPongAndConnectionCheck()
    {
        auto alice = connectTo(m_alice);
        QVERIFY(alice);
        alice->sendJson({{s("type"), s("ping")}, {s("timestamp"), s("2024-12-25T10:30:00Z")}});
        const auto pong = alice->waitForType(s("pong"));
        QVERIFY(pong);
        QCOMPARE(pong->value(s("timestamp")).toString(), s("2024-12-25T10:30:00Z"));
        QVERIFY(pong->value(s("server_time")).isString());

        // The server pings with a sequence number; answering keeps the link healthy.
        const auto ping1 = alice->waitForType(s("ping"));
        QVERIFY(ping1);
        alice->sendJson({{s("type"), s("pong")}, {s("client_time"), s("2024-12-25T10:30:01Z")}});
        const auto ping2 = alice->waitForType(s("ping"));
        QVERIFY(ping2);
        QCOMPARE(ping2->value(s("sequence")).toInt(), ping1->value(s("sequence")).toInt() + 1);

        alice->sendJson({{s("type"), s("connection_check")}, {s("timestamp"), s("2024-12-25T10:30:00Z")}});
        const auto status = alice->waitForType(s("connection_status"));
        QVERIFY(status);
        QCOMPARE(status->value(s("status")).toString(), s("healthy"));
        QVERIFY(status->value(s("duration_seconds")).isDouble());
        QVERIFY(status->value(s("last_activity")).isString());
    }

    void missedPongsSuggestAReconnect()
    {
        auto alice = connectTo(m_alice);
        QVERIFY(alice);
        // Never answer the server's pings.
        const auto suggestion = alice->waitForType(s("reconnect_suggested"), 5000);
        QVERIFY(suggestion);
        QCOMPARE(suggestion->value(s("reason")).toString(), s("ping_timeout"));
        QCOMPARE(suggestion->value(s("attempts")).toInt(), 2);
        QCOMPARE(suggestion->value(s("max_attempts")).toInt(), 3);
        QVERIFY(alice->waitForDisconnect(5000));
    }

    void idleConnectionsAreClosedAndActiveOnesStay()
    {
        auto config = TestServer::defaultConfig();
        config.connectionTimeout = std::chrono::milliseconds(300);
        m_server.reset();
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"),
                                         QJsonObject{{s("participant"), m_bob.id}}, m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(s("id")).toInteger();

        QElapsedTimer clock; // started before the server could start the quiet one's deadline
        clock.start();
        auto quiet = connectTo(m_alice);
        auto active = connectTo(m_bob);
        QVERIFY(quiet && active);
        // Each frame from the client restarts its idle deadline.
        while (!quiet->waitForDisconnect(100))
            active->sendJson({{s("type"), s("connection_check")}});
        QVERIFY(clock.elapsed() >= 300);
        QCOMPARE(quiet->closeCode(), QWebSocketProtocol::CloseCodeNormal);
        QCOMPARE(quiet->closeReason(), s("Connection timeout"));
        active->sendJson({{s("type"), s("connection_check")}});
        QVERIFY(active->waitForType(s("connection_status")));
    }

    void sessionTimersShareOneWheel()
    {
        auto *dispatcher = dynamic_cast<natter::engine::EpollEventDispatcher *>(
            QAbstractEventDispatcher::instance());
        if (!dispatcher)
            QSKIP("counts timers on the epoll dispatcher only");
        auto first = connectTo(m_alice);
        QVERIFY(first);
        const qsizetype timersWithOne = dispatcher->timerCount();
        std::vector<std::unique_ptr<WsClient>> more;
        for (int i = 0; i < 20; ++i) {
            more.push_back(connectTo(i % 2 ? m_alice : m_bob));
            QVERIFY(more.back());
        }
        // Heartbeat, pong and idle deadlines of 21 sessions: still one Qt timer.
        QCOMPARE(dispatcher->timerCount(), timersWithOne);
    }

    void badInputGetsAnErrorAndTheConnectionStays_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("error");
        QTest::newRow("malformed json") << s("{\"type\": \"message\", ") << s("Invalid JSON");
        QTest::newRow("not an object") << s("[1,2]") << s("Invalid JSON");
        QTest::newRow("no type") << s("{\"content\":\"hi\"}") << s("Missing field: type");
        QTest::newRow("unknown type") << s("{\"type\":\"dance\"}") << s("Unknown message type: dance");
        QTest::newRow("no content") << s("{\"type\":\"message\",\"temp_id\":\"x\"}") << s("Missing field: content");
        QTest::newRow("content not a string") << s("{\"type\":\"message\",\"content\":5}") << s("Missing field: content");
        QTest::newRow("empty content") << s("{\"type\":\"message\",\"content\":\"   \"}") << s("Message cannot be empty");
        QTest::newRow("too long") << s("{\"type\":\"message\",\"content\":\"%1\"}").arg(QString(1001, u'x'))
                                  << s("Message too long (max 1000 characters)");
        QTest::newRow("read without id") << s("{\"type\":\"message_read\"}") << s("Missing field: message_id");
        QTest::newRow("read unknown id") << s("{\"type\":\"message_read\",\"message_id\":987654}") << s("Message not found");
        QTest::newRow("delivered bad id") << s("{\"type\":\"message_delivered\",\"message_id\":\"abc\"}") << s("Missing field: message_id");
    }

    void badInputGetsAnErrorAndTheConnectionStays()
    {
        QFETCH(QString, frame);
        QFETCH(QString, error);
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        alice->sendText(frame);
        const auto reply = alice->waitForType(s("error"));
        QVERIFY(reply);
        QCOMPARE(reply->value(s("message")).toString(), error);
        QVERIFY(reply->value(s("timestamp")).isString());
        QCOMPARE(storedMessages(), 0);
        QCOMPARE(bob->countPending(isType(s("message"))), 0);

        // Still open and working.
        alice->sendJson({{s("type"), s("message")}, {s("content"), s("after")}});
        QVERIFY(bob->waitForType(s("message")));
        QCOMPARE(storedMessages(), 1);
    }

    void exactlyTheLimitIsAccepted()
    {
        auto alice = connectTo(m_alice);
        QVERIFY(alice);
        alice->sendJson({{s("type"), s("message")}, {s("content"), QString(1000, u'y')}});
        const auto echo = alice->waitForType(s("message"));
        QVERIFY(echo);
        QCOMPARE(echo->value(s("message")).toObject().value(s("content")).toString().size(), 1000);
    }

    void oversizeFramesCloseOnlyThatConnection()
    {
        auto alice = connectTo(m_alice);
        auto bob = connectTo(m_bob);
        QVERIFY(alice && bob);
        alice->sendText(QString(64 * 1024, u'z'));
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(storedMessages(), 0);
        // The server keeps serving everyone else.
        bob->sendJson({{s("type"), s("message")}, {s("content"), s("still here")}});
        QVERIFY(bob->waitForType(s("message")));
    }

    void messagesStayInTheirRoom()
    {
        // Alice and Carol's room: Bob's connection to the Alice–Bob room sees nothing of it.
        const auto other = m_server->post(s("/api/v1.0/chat/rooms/"),
                                          QJsonObject{{s("participant"), m_carol.id}}, m_alice.token);
        QCOMPARE(other.status, 201);
        const qint64 otherRoom = other.json.value(s("id")).toInteger();
        auto bob = connectTo(m_bob);
        auto carol = connectTo(m_carol, otherRoom);
        auto alice = connectTo(m_alice, otherRoom);
        QVERIFY(bob && carol && alice);
        alice->sendJson({{s("type"), s("message")}, {s("content"), s("for carol")}});
        QVERIFY(carol->waitForType(s("message")));
        bob->sendJson({{s("type"), s("ping")}});
        QVERIFY(bob->waitForType(s("pong")));
        QCOMPARE(bob->countPending(isType(s("message"))), 0);
    }
};

NATTER_SERVER_TEST_MAIN(TestRoomsDialect)
#include "tst_roomsdialect.moc"
