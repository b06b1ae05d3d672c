// Limits on every door (README "Limits and hardening"): the token bucket and
// the failed-login backoff on their own (a clock the test moves), then each
// limit through a real server, answered in each dialect's own way, with
// nothing past a limit stored; and silent clients dropped within three
// heartbeats and the ping timeout on the dialects that have a heartbeat.

#include "servertestmain.h"
#include "authenticator.h"
#include "hub.h"
#include "loginthrottle.h"
#include "ratelimiter.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace natter;
using namespace natter::server;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;
using namespace std::chrono_literals;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

auto hasField(const char *name, const QString &value)
{
    return [name, value](const QJsonObject &frame) { return frame.value(s(name)).toString() == value; };
}
} // namespace

class TestLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    RoomRecord m_team; // alice and bob

    bool startServer(ServerConfig config)
    {
        m_server = std::make_unique<TestServer>(std::move(config));
        if (!m_server->start())
            return false;
        m_alice = m_server->registerUser(s("alice"));
        m_bob = m_server->registerUser(s("bob"));
        const auto team = m_server->server().hub().createGroup(s("team"), m_alice.id);
        if (!team || !m_server->server().store().setMembership(team->id, m_bob.id, MembershipState::Active))
            return false;
        m_team = *team;
        return m_alice.id && m_bob.id;
    }
    int stored() { return m_server->server().store().messageCount(m_team.id); }

    std::unique_ptr<WsClient> chats(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(m_server->wsUrl(s("/chats/ws?token=") + account.token)))
            return nullptr;
        return client;
    }
    std::unique_ptr<WsClient> rooms(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_team.id).arg(account.token)))
            || !client->waitForType(s("connection_established")))
            return nullptr;
        return client;
    }
    std::unique_ptr<WsClient> gateway(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(m_server->wsUrl(s("/gateway"))))
            return nullptr;
        client->sendJson({{s("o"), 2}, {s("d"), QJsonObject{{s("token"), account.token}}}});
        return client;
    }
    QString team() const { return m_team.uuid.toString(QUuid::WithoutBraces); }

    // A raw HTTP/1.1 connection (kept alive) that asks GET /api/natter and
    // returns the status of the answer (0: none, the connection closed).
    int askOn(QTcpSocket &socket)
    {
        if (socket.state() != QAbstractSocket::ConnectedState) {
            socket.connectToHost(QHostAddress::LocalHost, m_server->server().port());
            if (!socket.waitForConnected(5000))
                return 0;
        }
        // The server runs on this thread: wait by spinning the event loop (QSignalSpy::wait).
        QSignalSpy readable(&socket, &QTcpSocket::readyRead);
        QSignalSpy closed(&socket, &QTcpSocket::disconnected);
        socket.write("GET /api/natter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray answer;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 5000) {
            answer += socket.readAll();
            if (answer.contains("\r\n\r\n") || !closed.isEmpty())
                break;
            readable.wait(100);
        }
        answer += socket.readAll();
        m_lastHead = answer.left(answer.indexOf("\r\n\r\n"));
        const QList<QByteArray> statusLine = answer.left(answer.indexOf("\r\n")).split(' ');
        return statusLine.size() >= 2 ? statusLine[1].toInt() : 0;
    }
    // Opens a fresh connection and asks.
    int askAnew()
    {
        QTcpSocket socket;
        return askOn(socket);
    }
    QByteArray m_lastHead;

private slots:
    void cleanup() { m_server.reset(); }

    // --- the parts ---------------------------------------------------------------

    void tokenBucketAllowsTheBurstThenTheRate()
    {
        RateLimiter limiter(2, 3); // 2 a second, 3 at once
        const auto t0 = RateLimiter::Clock::time_point{} + 1h;
        QVERIFY(limiter.take(1, t0));
        QVERIFY(limiter.take(1, t0));
        QVERIFY(limiter.take(1, t0));
        QVERIFY(!limiter.take(1, t0));
        QCOMPARE(limiter.retryAfter(1, t0), 500ms);
        QVERIFY(limiter.take(2, t0)); // another key has its own bucket
        QVERIFY(!limiter.take(1, t0 + 499ms));
        QVERIFY(limiter.take(1, t0 + 1000ms)); // refilled at 2/s: two by now
        QVERIFY(limiter.take(1, t0 + 1000ms));
        QVERIFY(!limiter.take(1, t0 + 1000ms));
        // Full buckets are forgotten: memory follows the active keys only.
        QVERIFY(limiter.take(3, t0 + 1h));
        QCOMPARE(limiter.trackedKeys(), 1);
        RateLimiter off(0, 1);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(off.take(1, t0));
    }

    void failedLoginsBackOffAndASuccessResets()
    {
        LoginThrottle throttle(3, 10, 60s);
        const auto t0 = LoginThrottle::Clock::time_point{} + 1h;
        const QString address = s("192.0.2.7");
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(throttle.waitFor(s("alice"), address, t0), 0ms);
            throttle.failed(s("Alice"), address, t0); // names fold case
        }
        QCOMPARE(throttle.waitFor(s("alice"), address, t0), 0ms); // three allowed
        throttle.failed(s("alice"), address, t0);
        QVERIFY(throttle.waitFor(s("alice"), address, t0) > 900ms); // 1 s
        QCOMPARE(throttle.waitFor(s("bob"), address, t0), 0ms);     // the address has 6 left
        throttle.failed(s("alice"), address, t0 + 1s);
        QVERIFY(throttle.waitFor(s("alice"), address, t0 + 1s) > 1900ms); // doubled: 2 s
        for (int i = 0; i < 20; ++i)
            throttle.failed(s("alice"), address, t0 + 2s);
        QVERIFY(throttle.waitFor(s("alice"), s("198.51.100.1"), t0 + 2s) <= 60001ms); // capped
        QVERIFY(throttle.waitFor(s("bob"), address, t0 + 2s) > 0ms); // the address is out of attempts too
        throttle.succeeded(s("alice"), address);
        QCOMPARE(throttle.waitFor(s("alice"), address, t0 + 2s), 0ms);
        QCOMPARE(throttle.waitFor(s("bob"), address, t0 + 2s), 0ms);
        QCOMPARE(throttle.trackedEntries(), 0);
    }

    // --- through a server ---------------------------------------------------------

    // Messages per user per second: the same bucket for every door, nothing
    // stored past it, each dialect answering its own way.
    void messagesPastTheRateAreRefusedOnEveryDoor()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.messagesPerSecond = 0.001; // nothing refills during the test
        config.messageBurst = 2;
        QVERIFY(startServer(config));

        auto chatsClient = chats(m_alice);
        QVERIFY(chatsClient);
        for (const char *text : {"one", "two", "three"})
            chatsClient->sendJson({{s("action"), s("message")}, {s("chat_id"), team()}, {s("text"), s(text)}});
        QVERIFY(chatsClient->waitFor(hasField("action", s("message_response"))));
        QVERIFY(chatsClient->waitFor(hasField("action", s("message_response"))));
        const auto refused = chatsClient->waitFor(hasField("error", s("Too many messages")));
        QVERIFY(refused);
        QCOMPARE(stored(), 2);

        // The same user on another door shares the bucket.
        auto roomsClient = rooms(m_alice);
        QVERIFY(roomsClient);
        roomsClient->sendJson({{s("type"), s("message")}, {s("content"), s("four")}, {s("temp_id"), s("t4")}});
        const auto error = roomsClient->waitForType(s("error"));
        QVERIFY(error);
        QVERIFY(error->value(s("message")).toString().startsWith(s("Too many messages")));
        const test::HttpReply rest = m_server->post(s("/api/v1.0/chat/messages/"),
                                                    QJsonObject{{s("room"), m_team.id}, {s("content"), s("five")}},
                                                    m_alice.token);
        QCOMPARE(rest.status, 429);
        QVERIFY(rest.header("Retry-After").toInt() >= 1);
        QCOMPARE(stored(), 2);

        // Another user is not held back.
        auto bobClient = chats(m_bob);
        QVERIFY(bobClient);
        bobClient->sendJson({{s("action"), s("message")}, {s("chat_id"), team()}, {s("text"), s("bob")}});
        QVERIFY(bobClient->waitFor(hasField("action", s("message_response"))));
        QCOMPARE(stored(), 3);

        // The gateway closes with 4008 RATE_LIMITED, as spec 004 says.
        auto gatewayClient = gateway(m_alice);
        QVERIFY(gatewayClient);
        QVERIFY(gatewayClient->waitFor([](const QJsonObject &frame) { return frame.value(s("e")) == s("READY"); }));
        gatewayClient->sendJson({{s("o"), 0},
                                 {s("e"), s("SEND_MESSAGE")},
                                 {s("d"), QJsonObject{{s("to"), m_server->server().store().userById(m_bob.id)
                                                                    ->uuid.toString(QUuid::WithoutBraces)},
                                                      {s("message"), s("six")}}}});
        QVERIFY(gatewayClient->waitForDisconnect());
        QCOMPARE(int(gatewayClient->closeCode()), 4008);
        QCOMPARE(stored(), 3);
    }

    void connectionsPerUserAreBounded()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.maxConnectionsPerUser = 2;
        QVERIFY(startServer(config));
        auto first = rooms(m_alice);
        auto second = chats(m_alice);
        QVERIFY(first && second);
        QTRY_COMPARE(m_server->server().hub().sessionsOf(m_alice.id).size(), 2);

        WsClient third;
        third.open(m_server->wsUrl(s("/chats/ws?token=") + m_alice.token)); // it may close before this returns
        QVERIFY(third.waitForDisconnect());
        QCOMPARE(third.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(third.closeReason(), s("Too many connections"));
        auto fourth = gateway(m_alice);
        QVERIFY(fourth);
        QVERIFY(fourth->waitForDisconnect());
        QCOMPARE(int(fourth->closeCode()), 4008);
        QCOMPARE(m_server->server().hub().sessionsOf(m_alice.id).size(), 2);
        QVERIFY(chats(m_bob)); // others are not affected

        // One closes: room for another.
        second.reset();
        QTRY_COMPARE(m_server->server().hub().sessionsOf(m_alice.id).size(), 1);
        QVERIFY(rooms(m_alice));
    }

    // Connections count per client address from accept until they close,
    // HTTP and WebSocket alike (a WebSocket keeps the slot of the connection it
    // was upgraded from); one more gets 429 with Retry-After.
    void connectionsPerAddressAreBounded()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.maxConnectionsPerAddress = 3;
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        // No HTTP client of the harness holds a connection: the account is made directly.
        const auto alice = m_server->server().hub().registerUser(s("alice"), s("Alice"), "x", UserRole::User);
        QVERIFY(alice);
        const QString token = m_server->server().authenticator().startSession(*alice);

        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(std::make_unique<QTcpSocket>());
            QCOMPARE(askOn(*held.back()), 200);
        }
        QCOMPARE(askAnew(), 429);
        QVERIFY2(m_lastHead.contains("Retry-After: "), m_lastHead.constData());
        QCOMPARE(askOn(*held.front()), 200); // those admitted are served as before

        held.pop_back(); // one closes: room for one more
        QTRY_COMPARE(askAnew(), 200);

        // A WebSocket holds its slot after the upgrade, until it closes.
        // (The last probe's slot goes once the server has seen it close.)
        WsClient ws;
        QTRY_VERIFY(ws.open(m_server->wsUrl(s("/chats/ws?token=") + token)));
        QCOMPARE(askAnew(), 429);
        ws.socket().close();
        QVERIFY(ws.waitForDisconnect());
        QTRY_COMPARE(askAnew(), 200);
    }

    // A client that never completes its request head is dropped when the
    // head deadline passes (slowloris); one longer than the cap gets 431.
    void incompleteRequestHeadsAreDropped()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.requestHeadTimeout = 300ms;
        config.maxRequestHeadBytes = 2048;
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());

        QTcpSocket slow;
        slow.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QVERIFY(slow.waitForConnected(5000));
        QSignalSpy dropped(&slow, &QTcpSocket::disconnected);
        QElapsedTimer clock;
        clock.start();
        slow.write("GET /api/natter HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // never the blank line
        QVERIFY(dropped.wait(5000));
        QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));

        QTcpSocket big;
        big.connectToHost(QHostAddress::LocalHost, m_server->server().port());
        QVERIFY(big.waitForConnected(5000));
        big.write("GET /api/natter HTTP/1.1\r\nX-Padding: " + QByteArray(4096, 'a') + "\r\n\r\n");
        QByteArray answer;
        QTRY_VERIFY((answer += big.readAll()).contains("\r\n\r\n"));
        QVERIFY2(answer.startsWith("HTTP/1.1 431"), answer.constData());
    }

    void subscriptionsPerConnectionAreBounded()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.maxSubscriptionsPerConnection = 1;
        QVERIFY(startServer(config));
        const auto lobby = m_server->server().store().lobby();
        QVERIFY(lobby);
        auto client = chats(m_alice);
        QVERIFY(client);
        client->sendJson({{s("action"), s("subscribe")},
                          {s("chat_ids"), QJsonArray{team(), lobby->uuid.toString(QUuid::WithoutBraces), team()}}});
        const auto answer = client->waitFor(hasField("action", s("subscribe_response")));
        QVERIFY(answer);
        const QJsonArray results = answer->value(s("results")).toArray();
        QCOMPARE(results.size(), 3);
        QCOMPARE(results.at(0).toObject().value(s("status")).toString(), s("success"));
        QCOMPARE(results.at(1).toObject().value(s("error")).toString(), s("too many subscriptions"));
        QCOMPARE(results.at(2).toObject().value(s("status")).toString(), s("success")); // already followed
        QCOMPARE(m_server->server().hub().followerCount(lobby->id), 0);

        WsClient cable;
        QVERIFY(cable.open(m_server->wsUrl(s("/cable?token=") + m_alice.token)));
        QVERIFY(cable.waitForType(s("welcome")));
        const QString first = s(R"({"channel":"MessageChannel"})");
        const QString second = s(R"({"channel":"MessageChannel","room_id":%1})").arg(m_team.id);
        cable.sendJson({{s("command"), s("subscribe")}, {s("identifier"), first}});
        QVERIFY(cable.waitForType(s("confirm_subscription")));
        cable.sendJson({{s("command"), s("subscribe")}, {s("identifier"), second}});
        QVERIFY(cable.waitForType(s("reject_subscription")));
        const auto why = cable.waitForType(s("error"));
        QVERIFY(why);
        QVERIFY(why->value(s("message")).toString().startsWith(s("Too many subscriptions")));
    }

    void failedLoginsGet429WithRetryAfter()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.loginFailuresPerUsername = 3;
        QVERIFY(startServer(config));
        auto login = [this](const char *password) {
            return m_server->post(s("/api/auth/login"),
                                  QJsonObject{{s("username"), s("alice")}, {s("password"), s(password)}});
        };
        for (int i = 0; i < 3; ++i)
            QCOMPARE(login("wrong-password").status, 401);
        QCOMPARE(login("password123").status, 200); // three allowed: a success resets
        for (int i = 0; i < 4; ++i)
            QCOMPARE(login("wrong-password").status, 401);
        const test::HttpReply refused = login("password123"); // even the right one waits now
        QCOMPARE(refused.status, 429);
        QVERIFY(refused.header("Retry-After").toInt() >= 1);
        QVERIFY(refused.json.value(s("error")).toString().startsWith(s("Too many failed logins")));
        // Another account from the same address is not locked by alice's name.
        QCOMPARE(m_server->post(s("/api/auth/login"),
                                QJsonObject{{s("username"), s("bob")}, {s("password"), s("password123")}})
                     .status,
                 200);
    }

    // A rooms client that answers nothing is gone within three heartbeats and
    // the ping timeout; one that answers the pings stays.
    void silentRoomsClientIsDropped()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.heartbeatInterval = 100ms;
        config.pingTimeout = 200ms;
        QVERIFY(startServer(config));
        auto silent = rooms(m_alice);
        auto lively = rooms(m_bob);
        QVERIFY(silent && lively);
        connect(&lively->socket(), &QWebSocket::textMessageReceived, lively.get(), [&lively](const QString &text) {
            if (text.contains(s("\"ping\"")))
                lively->sendJson({{s("type"), s("pong")}});
        });
        QElapsedTimer clock;
        clock.start();
        QVERIFY(silent->waitForDisconnect(5000));
        QCOMPARE(silent->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QVERIFY2(clock.elapsed() < 3 * 100 + 200 + 1500, qPrintable(QString::number(clock.elapsed())));
        // The answering one has seen many more pings than the silence allows, and is still there.
        QSignalSpy frames(&lively->socket(), &QWebSocket::textMessageReceived);
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 8, 5000);
        QVERIFY(lively->isConnected());
    }

    void silentGatewayClientIsDropped()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.gatewayHeartbeatInterval = 100ms;
        config.pingTimeout = 200ms;
        QVERIFY(startServer(config));
        auto silent = gateway(m_alice);
        QVERIFY(silent);
        QVERIFY(silent->waitFor([](const QJsonObject &frame) { return frame.value(s("e")) == s("READY"); }));
        QVERIFY(silent->waitForDisconnect(5000));
        QCOMPARE(int(silent->closeCode()), 4009); // SESSION_TIMEOUT
    }
};

NATTER_SERVER_TEST_MAIN(TestLimits)
#include "tst_limits.moc"
