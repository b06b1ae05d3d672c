// The `gateway` dialect (spec 004) over a real WebSocket: HELLO → IDENTIFY →
// READY, every close code, SEND_MESSAGE → MESSAGE_SENT, message requests a
// TUTOR approves or blocks, the /thread routes, the other dialects, and the
// spec's /ws path on a second port.

#include "servertestmain.h"
#include "hub.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::HttpReply;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

constexpr int heartbeatMs = 45'000;

auto isOp(int opcode)
{
    return [opcode](const QJsonObject &frame) {
        return frame.value(QStringLiteral("o")).toInt(-1) == opcode;
    };
}

auto isEvent(const QString &event)
{
    return [event](const QJsonObject &frame) {
        return frame.value(QStringLiteral("o")).toInt(-1) == 0
            && frame.value(QStringLiteral("e")).toString() == event;
    };
}

auto isMessageEvent()
{
    return [](const QJsonObject &frame) {
        const QString event = frame.value(QStringLiteral("e")).toString();
        return event == u"MESSAGE" || event == u"MESSAGE_REQUEST";
    };
}

QJsonObject identifyPayload(const QString &token)
{
    return {{s("o"), 2},
            {s("d"), QJsonObject{{s("token"), token},
                                 {s("properties"), QJsonObject{{s("os"), s("linux")},
                                                               {s("device"), s("natter-test")}}}}}};
}

QJsonObject sendPayload(const QString &to, const QString &message, const QJsonValue &nonce = {})
{
    QJsonObject data{{s("to"), to}, {s("message"), message}};
    if (!nonce.isUndefined() && !nonce.isNull())
        data.insert(s("nonce"), nonce);
    return {{s("o"), 0}, {s("e"), s("SEND_MESSAGE")}, {s("d"), data}};
}
} // namespace

class TestGatewayDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice; // a plain user, "Alice Liddell"
    Account m_bob;   // a TUTOR, "Bob van der Berg"
    Account m_carol; // a plain user, "Carol"
    Account m_dave;  // a TUTOR in none of the threads

    server::Store &store() { return m_server->server().store(); }

    QString uuidOf(const Account &account)
    {
        return store().userById(account.id)->uuid.toString(QUuid::WithoutBraces);
    }

    static server::ServerConfig config()
    {
        auto config = TestServer::defaultConfig();
        config.gatewayHeartbeatInterval = std::chrono::milliseconds(heartbeatMs);
        return config;
    }

    bool startServer(const server::ServerConfig &config)
    {
        m_server.reset();
        m_server = std::make_unique<TestServer>(config);
        if (!m_server->start())
            return false;
        m_alice = m_server->registerUser(s("alice"), s("Alice Liddell"));
        m_bob = m_server->registerUser(s("bob"), s("Bob van der Berg"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        m_dave = m_server->registerUser(s("dave"), s("Dave"));
        // `natter users` makes tutors; registration only makes plain users.
        return m_alice.id && m_bob.id && m_carol.id && m_dave.id
            && store().setUserRole(m_bob.id, UserRole::Tutor)
            && store().setUserRole(m_dave.id, UserRole::Tutor);
    }

    QUrl gatewayUrl() const { return m_server->wsUrl(s("/gateway")); }

    // Opened and past HELLO, not identified.
    std::unique_ptr<WsClient> openGateway(const QUrl &url = {})
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(url.isEmpty() ? gatewayUrl() : url) || !client->waitFor(isOp(10)))
            return nullptr;
        return client;
    }

    // Opened, identified, READY received.
    std::unique_ptr<WsClient> connectAs(const Account &account, const QUrl &url = {})
    {
        auto client = openGateway(url);
        if (!client)
            return nullptr;
        client->sendJson(identifyPayload(account.token));
        if (!client->waitFor(isEvent(s("READY"))))
            return nullptr;
        return client;
    }

    // Every frame the server sent before this round trip has arrived.
    static bool roundTrip(WsClient &client)
    {
        client.sendJson({{s("o"), 1}, {s("d"), QJsonValue::Null}});
        return client.waitFor(isOp(11)).has_value();
    }

    static bool closedWith(WsClient &client, int code, const char *reason)
    {
        if (!client.waitForDisconnect()) {
            qWarning() << "still connected";
            return false;
        }
        if (static_cast<int>(client.closeCode()) != code || client.closeReason() != s(reason)) {
            qWarning() << "closed with" << client.closeCode() << client.closeReason();
            return false;
        }
        return true;
    }

    // Messages in every room of every user: "nothing stored" means this did not move.
    int totalMessages()
    {
        QSet<qint64> rooms;
        for (const auto &user : store().users()) {
            for (auto state : {MembershipState::Active, MembershipState::Requested,
                               MembershipState::Blocked, MembershipState::Invited}) {
                for (const auto &room : store().roomsOfUser(user.id, state))
                    rooms.insert(room.id);
            }
        }
        int count = 0;
        for (qint64 room : std::as_const(rooms))
            count += store().messageCount(room);
        return count;
    }

    std::optional<server::RoomRecord> thread(const Account &a, const Account &b)
    {
        return store().directRoom(a.id, b.id);
    }

    std::optional<MembershipState> stateOf(const Account &account, const server::RoomRecord &room)
    {
        const auto membership = store().membership(room.id, account.id);
        return membership ? std::optional(membership->state) : std::nullopt;
    }

    // Alice → Bob's first message; returns MESSAGE_SENT's data.
    QJsonObject sendAndAck(WsClient &client, const QString &to, const QString &text,
                           const QJsonValue &nonce = {})
    {
        client.sendJson(sendPayload(to, text, nonce));
        const auto sent = client.waitFor(isEvent(s("MESSAGE_SENT")));
        return sent ? sent->value(s("d")).toObject() : QJsonObject();
    }

    HttpReply post(const QString &path, const QString &token)
    {
        return m_server->post(path, QByteArray(), token);
    }

    static QJsonArray jsonArray(const HttpReply &reply)
    {
        return QJsonDocument::fromJson(reply.body).array();
    }

private slots:
    void init() { QVERIFY(startServer(config())); }
    void cleanup() { m_server.reset(); }

    // --- the handshake ---------------------------------------------------

    void helloThenIdentifyGivesReady()
    {
        WsClient client;
        QVERIFY(client.open(gatewayUrl()));
        const auto hello = client.waitFor(isOp(10));
        QVERIFY(hello);
        QCOMPARE(hello->value(s("d")).toObject().value(s("heartbeat_interval")).toInteger(), heartbeatMs);

        client.sendJson(identifyPayload(m_alice.token));
        const auto ready = client.waitFor(isEvent(s("READY")));
        QVERIFY(ready);
        const QJsonObject user = ready->value(s("d")).toObject().value(s("user")).toObject();
        QCOMPARE(user.value(s("id")).toString(), uuidOf(m_alice));
        QVERIFY(!QUuid::fromString(user.value(s("id")).toString()).isNull());
        QCOMPARE(user.value(s("first_name")).toString(), s("Alice"));
        QCOMPARE(user.value(s("last_name")).toString(), s("Liddell"));
        QCOMPARE(user.value(s("username")).toString(), s("alice"));
        QCOMPARE(user.value(s("role")).toString(), s("USER"));
        QVERIFY(ready->value(s("d")).toObject().value(s("threads")).isArray());
        QVERIFY(m_server->server().hub().isOnline(m_alice.id));
    }

    void readyNamesAndThreads()
    {
        // first_name is the display name up to its first space, last_name the rest.
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QJsonObject ack = sendAndAck(*alice, uuidOf(m_bob), s("Hello tutor"));
        QVERIFY(ack.value(s("message_id")).toInteger() > 0);

        auto bobClient = openGateway();
        QVERIFY(bobClient);
        bobClient->sendJson(identifyPayload(m_bob.token));
        const auto ready = bobClient->waitFor(isEvent(s("READY")));
        QVERIFY(ready);
        const QJsonObject d = ready->value(s("d")).toObject();
        QCOMPARE(d.value(s("user")).toObject().value(s("first_name")).toString(), s("Bob"));
        QCOMPARE(d.value(s("user")).toObject().value(s("last_name")).toString(), s("van der Berg"));
        QCOMPARE(d.value(s("user")).toObject().value(s("role")).toString(), s("TUTOR"));
        const QJsonArray threads = d.value(s("threads")).toArray();
        QCOMPARE(threads.size(), 1);
        const QJsonObject thread = threads.at(0).toObject();
        QCOMPARE(thread.value(s("id")).toString(), ack.value(s("thread_id")).toString());
        QCOMPARE(thread.value(s("state")).toString(), s("requested"));
        QCOMPARE(thread.value(s("membership")).toString(), s("requested"));
        QCOMPARE(thread.value(s("other")).toObject().value(s("id")).toString(), uuidOf(m_alice));
        QCOMPARE(thread.value(s("last_message")).toObject().value(s("message")).toString(), s("Hello tutor"));

        // A one-word display name has an empty last name.
        auto carol = connectAs(m_carol);
        QVERIFY(carol);
        carol->sendJson(sendPayload(uuidOf(m_alice), s("hi")));
        const auto fromCarol = alice->waitFor(isEvent(s("MESSAGE_REQUEST")));
        QVERIFY(fromCarol);
        const QJsonObject from = fromCarol->value(s("d")).toObject().value(s("from")).toObject();
        QCOMPARE(from.value(s("first_name")).toString(), s("Carol"));
        QCOMPARE(from.value(s("last_name")).toString(), s(""));
    }

    void heartbeatIsAcknowledged()
    {
        auto client = openGateway(); // allowed before IDENTIFY too
        QVERIFY(client);
        QVERIFY(roundTrip(*client));
        client->sendJson(identifyPayload(m_alice.token));
        QVERIFY(client->waitFor(isEvent(s("READY"))));
        QVERIFY(roundTrip(*client));
        QVERIFY(client->isConnected());
    }

    void plainHttpOnTheGatewayPathIs426()
    {
        QCOMPARE(m_server->get(s("/gateway")).status, 426);
        // The door answers with or without a trailing slash.
        QVERIFY(connectAs(m_alice, m_server->wsUrl(s("/gateway/"))));
    }

    // --- close codes -------------------------------------------------------

    void unknownEventClosesWith4000()
    {
        auto client = connectAs(m_alice);
        QVERIFY(client);
        client->sendJson({{s("o"), 0}, {s("e"), s("DELETE_EVERYTHING")}, {s("d"), QJsonObject()}});
        QVERIFY(closedWith(*client, 4000, "UNKNOWN_ERROR"));
        QCOMPARE(totalMessages(), 0);
    }

    void unknownOpcodeClosesWith4001_data()
    {
        QTest::addColumn<bool>("identified");
        QTest::addColumn<int>("opcode");
        QTest::newRow("7, identified") << true << 7;
        QTest::newRow("HELLO is the server's") << true << 10;
        QTest::newRow("INVALID_SESSION is the server's") << true << 9;
        QTest::newRow("99 before IDENTIFY") << false << 99;
    }

    void unknownOpcodeClosesWith4001()
    {
        QFETCH(bool, identified);
        QFETCH(int, opcode);
        auto client = identified ? connectAs(m_alice) : openGateway();
        QVERIFY(client);
        client->sendJson({{s("o"), opcode},
                          {s("d"), QJsonObject{{s("to"), uuidOf(m_bob)}, {s("message"), s("x")}}}});
        QVERIFY(closedWith(*client, 4001, "UNKNOWN_OPCODE"));
        QCOMPARE(totalMessages(), 0);
        QVERIFY(!thread(m_alice, m_bob));
        // The server is fine: a new connection works.
        QVERIFY(connectAs(m_alice));
    }

    void undecodablePayloadClosesWith4002_data()
    {
        QTest::addColumn<bool>("identified");
        QTest::addColumn<QString>("text");
        QTest::newRow("malformed JSON") << false << s("{\"o\": 2, \"d\": {");
        QTest::newRow("not an object") << false << s("[2, {}]");
        QTest::newRow("a string") << false << s("\"IDENTIFY\"");
        QTest::newRow("o missing") << false << s("{\"d\": {\"token\": \"x\"}}");
        QTest::newRow("o a string") << false << s("{\"o\": \"2\", \"d\": {}}");
        QTest::newRow("o a fraction") << false << s("{\"o\": 2.5, \"d\": {}}");
        QTest::newRow("o null") << false << s("{\"o\": null}");
        QTest::newRow("IDENTIFY d a string") << false << s("{\"o\": 2, \"d\": \"token\"}");
        QTest::newRow("IDENTIFY d missing") << false << s("{\"o\": 2}");
        QTest::newRow("IDENTIFY token a number") << false << s("{\"o\": 2, \"d\": {\"token\": 5}}");
        QTest::newRow("IDENTIFY properties a list") << false
            << s("{\"o\": 2, \"d\": {\"token\": \"x\", \"properties\": []}}");
        QTest::newRow("DISPATCH without e") << true << s("{\"o\": 0, \"d\": {\"to\": \"TO\", \"message\": \"x\"}}");
        QTest::newRow("e a number") << true << s("{\"o\": 0, \"e\": 1, \"d\": {\"to\": \"TO\", \"message\": \"x\"}}");
        QTest::newRow("SEND_MESSAGE d a list") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": [\"TO\", \"x\"]}");
        QTest::newRow("SEND_MESSAGE d missing") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\"}");
        QTest::newRow("to missing") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": {\"message\": \"x\"}}");
        QTest::newRow("to a number") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": {\"to\": 2, \"message\": \"x\"}}");
        QTest::newRow("message missing") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": {\"to\": \"TO\"}}");
        QTest::newRow("message an object") << true << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": {\"to\": \"TO\", \"message\": {}}}");
        QTest::newRow("nonce an object") << true
            << s("{\"o\": 0, \"e\": \"SEND_MESSAGE\", \"d\": {\"to\": \"TO\", \"message\": \"x\", \"nonce\": {}}}");
        QTest::newRow("binary frame") << true << s("BINARY");
    }

    void undecodablePayloadClosesWith4002()
    {
        QFETCH(bool, identified);
        QFETCH(QString, text);
        auto client = identified ? connectAs(m_alice) : openGateway();
        QVERIFY(client);
        if (text == u"BINARY")
            client->socket().sendBinaryMessage(QJsonDocument(sendPayload(uuidOf(m_bob), s("x"))).toJson());
        else
            client->sendText(QString(text).replace(s("TO"), uuidOf(m_bob)));
        QVERIFY(closedWith(*client, 4002, "DECODE_ERROR"));
        QCOMPARE(totalMessages(), 0);
        QVERIFY(!thread(m_alice, m_bob));
        QVERIFY(connectAs(m_alice));
    }

    void dispatchBeforeIdentifyClosesWith4003()
    {
        auto client = openGateway();
        QVERIFY(client);
        client->sendJson(sendPayload(uuidOf(m_bob), s("sneaky")));
        QVERIFY(closedWith(*client, 4003, "NOT_AUTHENTICATED"));
        QCOMPARE(totalMessages(), 0);
        QVERIFY(!thread(m_alice, m_bob));
    }

    void badTokenClosesWith4004_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("garbage") << s("abc.def.ghi");
        QTest::newRow("empty") << s("");
        QTest::newRow("missing") << s("MISSING");
        QTest::newRow("logged out") << s("LOGGED_OUT");
    }

    void badTokenClosesWith4004()
    {
        QFETCH(QString, token);
        if (token == u"LOGGED_OUT") {
            const Account erin = m_server->registerUser(s("erin"), s("Erin"));
            QCOMPARE(post(s("/api/auth/logout"), erin.token).status, 204);
            token = erin.token;
        }
        auto client = openGateway();
        QVERIFY(client);
        client->sendJson(token == u"MISSING" ? QJsonObject{{s("o"), 2}, {s("d"), QJsonObject()}}
                                        : identifyPayload(token));
        // INVALID_SESSION (nothing to resume) comes first, then the close.
        const auto invalid = client->waitFor(isOp(9));
        QVERIFY(invalid);
        QCOMPARE(invalid->value(s("d")), QJsonValue(false));
        QVERIFY(closedWith(*client, 4004, "AUTHENTICATION_FAILED"));
        QCOMPARE(client->countPending(isEvent(s("READY"))), 0);
        QCOMPARE(m_server->server().hub().sessionCount(), 0);
        QCOMPARE(totalMessages(), 0);
    }

    void secondIdentifyClosesWith4005()
    {
        auto client = connectAs(m_alice);
        QVERIFY(client);
        client->sendJson(identifyPayload(m_bob.token));
        QVERIFY(closedWith(*client, 4005, "ALREADY_AUTHENTICATED"));
        QCOMPARE(client->countPending(isEvent(s("READY"))), 0);
        QVERIFY(!m_server->server().hub().isOnline(m_bob.id));
        QTRY_VERIFY(!m_server->server().hub().isOnline(m_alice.id));
        QCOMPARE(totalMessages(), 0);
    }

    void tooManyPayloadsCloseWith4008()
    {
        auto limited = config();
        limited.gatewayRateLimit = 3; // IDENTIFY and two sends per minute
        limited.gatewayRateWindow = std::chrono::milliseconds(60'000);
        QVERIFY(startServer(limited));
        auto client = connectAs(m_alice);
        QVERIFY(client);
        const QString bob = uuidOf(m_bob);
        QVERIFY(sendAndAck(*client, bob, s("one")).value(s("message_id")).toInteger() > 0);
        QVERIFY(sendAndAck(*client, bob, s("two")).value(s("message_id")).toInteger() > 0);
        client->sendJson(sendPayload(bob, s("three")));
        QVERIFY(closedWith(*client, 4008, "RATE_LIMITED"));
        QCOMPARE(client->countPending(isEvent(s("MESSAGE_SENT"))), 0);
        QCOMPARE(totalMessages(), 2);
        QCOMPARE(store().lastMessage(thread(m_alice, m_bob)->id)->body, s("two"));
    }

    void rateWindowSlides()
    {
        auto limited = config();
        limited.gatewayRateLimit = 2;
        limited.gatewayRateWindow = std::chrono::milliseconds(400);
        QVERIFY(startServer(limited));
        auto client = connectAs(m_alice); // 1 of 2
        QVERIFY(client);
        // Spread-out payloads never hit the limit: each is sent after the previous
        // one left the window. What is awaited is the window's passing itself.
        for (int i = 0; i < 3; ++i) {
            QDeadlineTimer spacing(420);
            QTRY_VERIFY(spacing.hasExpired());
            QVERIFY(roundTrip(*client));
        }
        QVERIFY(client->isConnected()); // four payloads in all, the limit is two
        // Within one window the limit still holds.
        QDeadlineTimer spacing(420);
        QTRY_VERIFY(spacing.hasExpired());
        for (int i = 0; i < 3; ++i)
            client->sendJson({{s("o"), 1}, {s("d"), QJsonValue::Null}});
        QVERIFY(closedWith(*client, 4008, "RATE_LIMITED"));
    }

    void noIdentifyInTimeClosesWith4009()
    {
        auto quick = config();
        quick.gatewayIdentifyTimeout = std::chrono::milliseconds(1000);
        quick.gatewayRateLimit = 1'000'000; // the round trips below are many
        QVERIFY(startServer(quick));
        auto client = openGateway();
        QVERIFY(client);
        QVERIFY(closedWith(*client, 4009, "SESSION_TIMEOUT"));
        QCOMPARE(totalMessages(), 0);

        // Identified in time: the deadline is gone.
        auto identified = connectAs(m_alice);
        QVERIFY(identified);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 1500)
            QVERIFY(roundTrip(*identified));
        QVERIFY(identified->isConnected());
    }

    // --- sending -------------------------------------------------------------

    void sendMessageIsAcknowledgedAfterCommit()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        alice->sendJson(sendPayload(uuidOf(m_bob), s("Can we meet on Monday?"), s("n-1")));
        const auto sent = alice->waitFor(isEvent(s("MESSAGE_SENT")));
        QVERIFY(sent);
        const QJsonObject d = sent->value(s("d")).toObject();
        const qint64 id = d.value(s("message_id")).toInteger();
        QVERIFY(id > 0);
        QCOMPARE(d.value(s("nonce")).toString(), s("n-1"));
        QCOMPARE(d.value(s("to")).toString(), uuidOf(m_bob));
        QCOMPARE(d.value(s("request")).toBool(), true);

        const auto stored = store().messageById(id);
        QVERIFY(stored);
        QCOMPARE(stored->body, s("Can we meet on Monday?"));
        QCOMPARE(stored->senderId, m_alice.id);
        QCOMPARE(stored->clientId, s("n-1"));
        const auto room = thread(m_alice, m_bob);
        QVERIFY(room);
        QCOMPARE(stored->roomId, room->id);
        QCOMPARE(d.value(s("thread_id")).toString(), room->uuid.toString(QUuid::WithoutBraces));
        QCOMPARE(d.value(s("room_id")).toInteger(), room->id);
        // The sending session gets MESSAGE_SENT, not its own message back.
        QVERIFY(roundTrip(*alice));
        QCOMPARE(alice->countPending(isMessageEvent()), 0);
    }

    void resentNonceIsStoredOnce()
    {
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        const QJsonObject first = sendAndAck(*alice, uuidOf(m_bob), s("once"), s("same"));
        const QJsonObject again = sendAndAck(*alice, uuidOf(m_bob), s("once"), s("same"));
        QVERIFY(first.value(s("message_id")).toInteger() > 0);
        QCOMPARE(again.value(s("message_id")), first.value(s("message_id")));
        QCOMPARE(again.value(s("duplicate")).toBool(), true);
        // temp_id works as the nonce too, and numbers are accepted.
        QJsonObject withTempId = sendPayload(uuidOf(m_bob), s("marker"));
        QJsonObject data = withTempId.value(s("d")).toObject();
        data.insert(s("temp_id"), 42);
        withTempId.insert(s("d"), data);
        alice->sendJson(withTempId);
        const auto marker = alice->waitFor(isEvent(s("MESSAGE_SENT")));
        QVERIFY(marker);
        QCOMPARE(marker->value(s("d")).toObject().value(s("nonce")).toString(), s("42"));
        QVERIFY(bob->waitFor([](const QJsonObject &f) {
            return f.value(s("d")).toObject().value(s("message")).toString() == s("marker");
        }));
        QCOMPARE(bob->countPending(isMessageEvent()), 1); // "once", delivered once
        QCOMPARE(totalMessages(), 2);
    }

    void refusedSendsGetAnErrorAndStoreNothing_data()
    {
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("nonce");
        const QString nonce = s("nonce-7");
        QTest::newRow("unknown user") << QUuid::createUuid().toString(QUuid::WithoutBraces) << s("hi")
                                      << s("UNKNOWN_RECIPIENT") << nonce;
        QTest::newRow("not a uuid") << s("bob") << s("hi") << s("UNKNOWN_RECIPIENT") << nonce;
        QTest::newRow("a user's integer id as text") << s("2") << s("hi") << s("UNKNOWN_RECIPIENT") << nonce;
        QTest::newRow("empty") << s("BOB") << s("") << s("INVALID_MESSAGE") << nonce;
        QTest::newRow("blank") << s("BOB") << s("  \n ") << s("INVALID_MESSAGE") << nonce;
        QTest::newRow("too long") << s("BOB") << QString(1001, u'x') << s("INVALID_MESSAGE") << nonce;
        QTest::newRow("nonce too long") << s("BOB") << s("hi") << s("INVALID_MESSAGE") << QString(129, u'n');
    }

    void refusedSendsGetAnErrorAndStoreNothing()
    {
        QFETCH(QString, to);
        QFETCH(QString, message);
        QFETCH(QString, code);
        QFETCH(QString, nonce);
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        alice->sendJson(sendPayload(to == u"BOB" ? uuidOf(m_bob) : to, message, nonce));
        const auto error = alice->waitFor(isEvent(s("ERROR")));
        QVERIFY(error);
        const QJsonObject d = error->value(s("d")).toObject();
        QCOMPARE(d.value(s("code")).toString(), code);
        QVERIFY(!d.value(s("message")).toString().isEmpty());
        QCOMPARE(d.value(s("event")).toString(), s("SEND_MESSAGE"));
        QCOMPARE(d.value(s("nonce")).toString(), nonce);
        QCOMPARE(totalMessages(), 0);
        QVERIFY(!thread(m_alice, m_bob)); // no thread opened either
        QCOMPARE(alice->countPending(isEvent(s("MESSAGE_SENT"))), 0);
        QVERIFY(roundTrip(*alice)); // still connected
    }

    void messagingYourselfIsANoteToSelf()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QJsonObject ack = sendAndAck(*alice, uuidOf(m_alice), s("remember the milk"));
        QVERIFY(ack.value(s("message_id")).toInteger() > 0);
        QCOMPARE(ack.value(s("request")).toBool(), false);
        const auto room = thread(m_alice, m_alice);
        QVERIFY(room);
        QCOMPARE(store().members(room->id).size(), 1);
        QCOMPARE(store().messageCount(room->id), 1);
    }

    void otherSessionsOfTheSenderSeeTheMessage()
    {
        auto laptop = connectAs(m_alice);
        auto phone = connectAs(m_alice);
        QVERIFY(laptop && phone);
        const QJsonObject ack = sendAndAck(*laptop, uuidOf(m_bob), s("from the laptop"));
        const auto copy = phone->waitFor(isEvent(s("MESSAGE")));
        QVERIFY(copy);
        QCOMPARE(copy->value(s("d")).toObject().value(s("message_id")), ack.value(s("message_id")));
        QCOMPARE(copy->value(s("d")).toObject().value(s("from")).toObject().value(s("id")).toString(),
                 uuidOf(m_alice));
    }

    // --- message requests ----------------------------------------------------

    void firstMessageIsARequest()
    {
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        const QJsonObject ack = sendAndAck(*alice, uuidOf(m_bob), s("Hello, can you help me?"));
        const auto request = bob->waitFor(isEvent(s("MESSAGE_REQUEST")));
        QVERIFY(request);
        const QJsonObject d = request->value(s("d")).toObject();
        QCOMPARE(d.value(s("thread_id")).toString(), ack.value(s("thread_id")).toString());
        QCOMPARE(d.value(s("message")).toString(), s("Hello, can you help me?"));
        QCOMPARE(d.value(s("message_id")), ack.value(s("message_id")));
        QVERIFY(QDateTime::fromString(d.value(s("timestamp")).toString(), Qt::ISODateWithMs).isValid());
        const QJsonObject from = d.value(s("from")).toObject();
        QCOMPARE(from.value(s("id")).toString(), uuidOf(m_alice));
        QCOMPARE(from.value(s("first_name")).toString(), s("Alice"));
        QCOMPARE(from.value(s("last_name")).toString(), s("Liddell"));
        QCOMPARE(bob->countPending(isEvent(s("MESSAGE"))), 0); // a request, not a message

        const auto room = thread(m_alice, m_bob);
        QVERIFY(room);
        QVERIFY(stateOf(m_bob, *room) == MembershipState::Requested);
        QVERIFY(stateOf(m_alice, *room) == MembershipState::Active);

        // Until Bob approves, he cannot answer.
        bob->sendJson(sendPayload(uuidOf(m_alice), s("sure"), s("b-1")));
        const auto error = bob->waitFor(isEvent(s("ERROR")));
        QVERIFY(error);
        QCOMPARE(error->value(s("d")).toObject().value(s("code")).toString(), s("NOT_APPROVED"));
        QCOMPARE(totalMessages(), 1);
    }

    void approvedThreadDeliversMessages()
    {
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        const QString threadId = sendAndAck(*alice, uuidOf(m_bob), s("request")).value(s("thread_id")).toString();
        QVERIFY(bob->waitFor(isEvent(s("MESSAGE_REQUEST"))));

        const HttpReply approved = post(s("/thread/%1/approve").arg(threadId), m_bob.token);
        QCOMPARE(approved.status, 200);
        QCOMPARE(approved.json.value(s("id")).toString(), threadId);
        QCOMPARE(approved.json.value(s("state")).toString(), s("active"));
        QVERIFY(stateOf(m_bob, *thread(m_alice, m_bob)) == MembershipState::Active);
        // Natter's THREAD_UPDATE tells the side that opened the thread.
        const auto update = alice->waitFor([&](const QJsonObject &frame) {
            const QJsonObject d = frame.value(s("d")).toObject();
            return isEvent(s("THREAD_UPDATE"))(frame) && d.value(s("user")).toString() == uuidOf(m_bob)
                && d.value(s("state")).toString() == s("active");
        });
        QVERIFY(update);
        QCOMPARE(update->value(s("d")).toObject().value(s("thread_id")).toString(), threadId);
        QCOMPARE(update->value(s("d")).toObject().value(s("user")).toString(), uuidOf(m_bob));
        // Approving again changes nothing.
        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), m_bob.token).status, 200);

        const QJsonObject ack = sendAndAck(*alice, uuidOf(m_bob), s("thanks for approving"));
        QCOMPARE(ack.value(s("request")).toBool(), false);
        const auto message = bob->waitFor(isEvent(s("MESSAGE")));
        QVERIFY(message);
        const QJsonObject d = message->value(s("d")).toObject();
        QCOMPARE(d.value(s("thread_id")).toString(), threadId);
        QCOMPARE(d.value(s("message")).toString(), s("thanks for approving"));
        QCOMPARE(d.value(s("from")).toObject().value(s("id")).toString(), uuidOf(m_alice));
        QCOMPARE(bob->countPending(isEvent(s("MESSAGE_REQUEST"))), 0);

        // And Bob can answer now.
        bob->sendJson(sendPayload(uuidOf(m_alice), s("you are welcome")));
        QVERIFY(bob->waitFor(isEvent(s("MESSAGE_SENT"))));
        const auto reply = alice->waitFor(isEvent(s("MESSAGE")));
        QVERIFY(reply);
        QCOMPARE(reply->value(s("d")).toObject().value(s("message")).toString(), s("you are welcome"));
        QCOMPARE(reply->value(s("d")).toObject().value(s("from")).toObject().value(s("first_name")).toString(), s("Bob"));
        QCOMPARE(totalMessages(), 3);
    }

    void onlyTutorsApproveOrBlock()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QString threadId = sendAndAck(*alice, uuidOf(m_carol), s("hi Carol")).value(s("thread_id")).toString();
        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), m_carol.token).status, 403);
        QCOMPARE(post(s("/thread/%1/block").arg(threadId), m_carol.token).status, 403);
        QVERIFY(stateOf(m_carol, *thread(m_alice, m_carol)) == MembershipState::Requested);
    }

    void onlyTheRequestedSideAnswers()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QString threadId = sendAndAck(*alice, uuidOf(m_bob), s("hi Bob")).value(s("thread_id")).toString();
        // The side that opened the thread cannot approve it, even as a tutor.
        QVERIFY(store().setUserRole(m_alice.id, UserRole::Tutor));
        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), m_alice.token).status, 404);
        // A tutor outside the thread, an unknown thread, a malformed id: 404.
        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), m_dave.token).status, 404);
        QCOMPARE(post(s("/thread/%1/approve").arg(QUuid::createUuid().toString(QUuid::WithoutBraces)),
                      m_bob.token).status, 404);
        QCOMPARE(post(s("/thread/not-a-uuid/block"), m_bob.token).status, 404);
        // A group room's uuid is not a thread.
        const QString lobby = store().lobby()->uuid.toString(QUuid::WithoutBraces);
        QCOMPARE(post(s("/thread/%1/approve").arg(lobby), m_bob.token).status, 404);
        // No token: 401.
        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), QString()).status, 401);
        QVERIFY(stateOf(m_bob, *thread(m_alice, m_bob)) == MembershipState::Requested);
    }

    void blockedSenderIsRefused()
    {
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        const QString threadId = sendAndAck(*alice, uuidOf(m_bob), s("first")).value(s("thread_id")).toString();
        QVERIFY(bob->waitFor(isEvent(s("MESSAGE_REQUEST"))));
        const HttpReply blocked = post(s("/thread/%1/block").arg(threadId), m_bob.token);
        QCOMPARE(blocked.status, 200);
        QCOMPARE(blocked.json.value(s("state")).toString(), s("blocked"));
        QVERIFY(stateOf(m_bob, *thread(m_alice, m_bob)) == MembershipState::Blocked);

        alice->sendJson(sendPayload(uuidOf(m_bob), s("are you there?"), s("n-blocked")));
        const auto error = alice->waitFor(isEvent(s("ERROR")));
        QVERIFY(error);
        QCOMPARE(error->value(s("d")).toObject().value(s("code")).toString(), s("BLOCKED"));
        QCOMPARE(error->value(s("d")).toObject().value(s("nonce")).toString(), s("n-blocked"));
        QCOMPARE(alice->countPending(isEvent(s("MESSAGE_SENT"))), 0);
        QCOMPARE(totalMessages(), 1);
        QVERIFY(!store().messageByClientId(m_alice.id, s("n-blocked")));
        QVERIFY(roundTrip(*bob));
        QCOMPARE(bob->countPending(isMessageEvent()), 0);

        // The blocker does not write into the thread either, until they approve it again.
        bob->sendJson(sendPayload(uuidOf(m_alice), s("go away")));
        const auto own = bob->waitFor(isEvent(s("ERROR")));
        QVERIFY(own);
        QCOMPARE(own->value(s("d")).toObject().value(s("code")).toString(), s("BLOCKED"));
        QCOMPARE(totalMessages(), 1);

        QCOMPARE(post(s("/thread/%1/approve").arg(threadId), m_bob.token).status, 200);
        sendAndAck(*alice, uuidOf(m_bob), s("sorry"));
        QVERIFY(bob->waitFor(isEvent(s("MESSAGE"))));
        QCOMPARE(totalMessages(), 2);
    }

    // --- REST -----------------------------------------------------------------

    void threadListAndMessages()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QString bobThread = sendAndAck(*alice, uuidOf(m_bob), s("one")).value(s("thread_id")).toString();
        sendAndAck(*alice, uuidOf(m_bob), s("two"));
        const QString carolThread = sendAndAck(*alice, uuidOf(m_carol), s("to carol")).value(s("thread_id")).toString();

        HttpReply list = m_server->get(s("/thread"), m_alice.token);
        QCOMPARE(list.status, 200);
        QJsonArray threads = jsonArray(list);
        QCOMPARE(threads.size(), 2);
        // Most recent activity first.
        QCOMPARE(threads.at(0).toObject().value(s("id")).toString(), carolThread);
        const QJsonObject first = threads.at(1).toObject();
        QCOMPARE(first.value(s("id")).toString(), bobThread);
        QCOMPARE(first.value(s("room_id")).toInteger(), thread(m_alice, m_bob)->id);
        QCOMPARE(first.value(s("state")).toString(), s("requested"));
        QCOMPARE(first.value(s("membership")).toString(), s("active"));
        QCOMPARE(first.value(s("opened_by")).toString(), uuidOf(m_alice));
        QCOMPARE(first.value(s("other")).toObject().value(s("id")).toString(), uuidOf(m_bob));
        QCOMPARE(first.value(s("participants")).toArray().size(), 2);
        QCOMPARE(first.value(s("last_message")).toObject().value(s("message")).toString(), s("two"));

        // Bob sees only his thread; the lobby (a group) is no thread.
        threads = jsonArray(m_server->get(s("/thread"), m_bob.token));
        QCOMPARE(threads.size(), 1);
        QCOMPARE(threads.at(0).toObject().value(s("membership")).toString(), s("requested"));
        QCOMPARE(jsonArray(m_server->get(s("/thread"), m_dave.token)).size(), 0);

        // Messages, oldest first; the requested side can read the request.
        for (const Account &reader : {m_alice, m_bob}) {
            const HttpReply messages = m_server->get(s("/thread/%1").arg(bobThread), reader.token);
            QCOMPARE(messages.status, 200);
            const QJsonArray array = jsonArray(messages);
            QCOMPARE(array.size(), 2);
            const QJsonObject message = array.at(0).toObject();
            QCOMPARE(message.value(s("message")).toString(), s("one"));
            QCOMPARE(message.value(s("thread_id")).toString(), bobThread);
            QCOMPARE(message.value(s("from")).toObject().value(s("id")).toString(), uuidOf(m_alice));
            QCOMPARE(message.value(s("from")).toObject().value(s("first_name")).toString(), s("Alice"));
            QVERIFY(message.value(s("message_id")).toInteger() > 0);
            QVERIFY(message.value(s("timestamp")).isString());
            QCOMPARE(array.at(1).toObject().value(s("message")).toString(), s("two"));
        }
        // Paging: the newest one, then the one before.
        QJsonArray page = jsonArray(m_server->get(s("/thread/%1?limit=1").arg(bobThread), m_alice.token));
        QCOMPARE(page.size(), 1);
        QCOMPARE(page.at(0).toObject().value(s("message")).toString(), s("two"));
        page = jsonArray(m_server->get(s("/thread/%1?limit=1&offset=1").arg(bobThread), m_alice.token));
        QCOMPARE(page.at(0).toObject().value(s("message")).toString(), s("one"));
        QCOMPARE(m_server->get(s("/thread/%1?limit=zero").arg(bobThread), m_alice.token).status, 400);

        // Not a member, no such thread, not a thread: 404. No credentials: 401.
        QCOMPARE(m_server->get(s("/thread/%1").arg(bobThread), m_carol.token).status, 404);
        QCOMPARE(m_server->get(s("/thread/%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces)),
                               m_alice.token).status, 404);
        QCOMPARE(m_server->get(s("/thread/%1").arg(store().lobby()->uuid.toString(QUuid::WithoutBraces)),
                               m_alice.token).status, 404);
        QCOMPARE(m_server->get(s("/thread")).status, 401);
        QCOMPARE(m_server->get(s("/thread/%1").arg(bobThread)).status, 401);
        // ?token= and the session cookie work as well as Bearer.
        QCOMPARE(m_server->get(s("/thread?token=%1").arg(m_bob.token)).status, 200);
        QCOMPARE(m_server->get(s("/thread"), QString(),
                               {{"Cookie", "natter_session=" + m_bob.token.toUtf8()}}).status, 200);
    }

    // --- other dialects and doors ----------------------------------------------

    void crossDialectWithRooms()
    {
        // A direct room the rooms dialect opened: both active, so plain MESSAGEs.
        const HttpReply created = m_server->post(s("/api/v1.0/chat/rooms/"),
                                                 QJsonObject{{s("participant"), m_alice.id}}, m_carol.token);
        QCOMPARE(created.status, 201);
        const qint64 roomId = created.json.value(s("id")).toInteger();
        const QString roomUuid = created.json.value(s("uuid")).toString();

        WsClient carol;
        QVERIFY(carol.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(roomId).arg(m_carol.token))));
        QVERIFY(carol.waitFor([](const QJsonObject &f) { return f.value(s("type")) == s("connection_established"); }));
        auto alice = connectAs(m_alice);
        QVERIFY(alice);

        carol.sendJson({{s("type"), s("message")}, {s("content"), s("from the rooms dialect")}, {s("temp_id"), s("t1")}});
        const auto message = alice->waitFor(isEvent(s("MESSAGE")));
        QVERIFY(message);
        const QJsonObject d = message->value(s("d")).toObject();
        QCOMPARE(d.value(s("thread_id")).toString(), roomUuid);
        QCOMPARE(d.value(s("message")).toString(), s("from the rooms dialect"));
        QCOMPARE(d.value(s("from")).toObject().value(s("id")).toString(), uuidOf(m_carol));
        QCOMPARE(alice->countPending(isEvent(s("MESSAGE_REQUEST"))), 0);

        const QJsonObject ack = sendAndAck(*alice, uuidOf(m_carol), s("from the gateway"));
        QCOMPARE(ack.value(s("thread_id")).toString(), roomUuid);
        QCOMPARE(ack.value(s("request")).toBool(), false);
        const auto received = carol.waitFor([](const QJsonObject &f) {
            return f.value(s("type")) == s("message")
                && f.value(s("message")).toObject().value(s("content")) == s("from the gateway");
        });
        QVERIFY(received);
        QCOMPARE(received->value(s("message")).toObject().value(s("id")), ack.value(s("message_id")));
        QCOMPARE(received->value(s("message")).toObject().value(s("sender_id")).toInteger(), m_alice.id);
        QCOMPARE(store().messageCount(roomId), 2);
    }

    void groupMessagesAreNotThreads()
    {
        // The lobby is a group every user is in: the gateway carries threads only.
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const qint64 lobby = store().lobby()->id;
        WsClient carol;
        QVERIFY(carol.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(lobby).arg(m_carol.token))));
        QVERIFY(carol.waitFor([](const QJsonObject &f) { return f.value(s("type")) == s("connection_established"); }));
        carol.sendJson({{s("type"), s("message")}, {s("content"), s("hello lobby")}});
        QVERIFY(carol.waitFor([](const QJsonObject &f) { return f.value(s("type")) == s("message"); }));
        QVERIFY(roundTrip(*alice));
        QCOMPARE(alice->countPending(isMessageEvent()), 0);
    }

    void mountedAtWsOnASecondPort()
    {
        auto mounted = config();
        mounted.extraMounts.append(server::Mount{s("gateway"), s("/ws"), 0});
        QVERIFY(startServer(mounted));
        const QList<quint16> ports = m_server->server().ports();
        QCOMPARE(ports.size(), 2);
        QVERIFY(ports.at(1) != ports.at(0));

        QUrl url(s("ws://127.0.0.1/ws"));
        url.setPort(ports.at(1));
        auto alice = connectAs(m_alice, url); // a client that hard-codes the spec's /ws
        QVERIFY(alice);
        auto bob = connectAs(m_bob); // the default door still works
        QVERIFY(bob);
        sendAndAck(*alice, uuidOf(m_bob), s("via /ws"));
        const auto request = bob->waitFor(isEvent(s("MESSAGE_REQUEST")));
        QVERIFY(request);
        QCOMPARE(request->value(s("d")).toObject().value(s("message")).toString(), s("via /ws"));
    }

    void serverShutdownClosesWith1001()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        m_server->server().stop();
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }
};

NATTER_SERVER_TEST_MAIN(TestGatewayDialect)
#include "tst_gatewaydialect.moc"
