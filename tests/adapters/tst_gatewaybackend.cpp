// The `gateway` client adapter (spec 004): against Natter's server in-process
// (HELLO/IDENTIFY/READY, SEND_MESSAGE → MESSAGE_SENT acks, message requests
// approved by a TUTOR, threads and history, refused tokens, catch-up, and a
// direct room shared with the `rooms` adapter), and against a wire-level fake
// of the spec (the handshake asserted frame by frame, acks in send order from a
// server that does not echo a nonce, close codes 4004 / 4003 → give up, 4009 →
// reconnect, 4008 → reconnect later).

#include "backendtesting.h"
#include "gateway/gatewaybackend.h"
#include "rooms/roomsbackend.h"
#include "store.h"
#include "testserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::waitConnected;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

// A spec 004 server driven by the test: records every client payload (per
// connection) and sends what the test says.
class FakeGateway : public QObject
{
public:
    FakeGateway()
        : m_server(s("fake gateway"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                const int index = int(sockets.size());
                sockets.append(socket);
                paths.append(socket->requestUrl().path());
                queries.append(socket->requestUrl().query());
                frames.append(QList<QJsonObject>());
                connect(socket, &QWebSocket::textMessageReceived, this, [this, index](const QString &text) {
                    frames[index].append(QJsonDocument::fromJson(text.toUtf8()).object());
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        QUrl url(s("http://127.0.0.1"));
        url.setPort(m_server.serverPort());
        return url;
    }
    void send(const QJsonObject &payload, int connection = -1)
    {
        QWebSocket *socket = connection < 0 ? sockets.last() : sockets.at(connection);
        socket->sendTextMessage(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)));
    }
    void hello(int connection = -1)
    {
        send({{s("o"), 10}, {s("d"), QJsonObject{{s("heartbeat_interval"), 45000}}}}, connection);
    }
    void ready(int connection = -1)
    {
        send({{s("o"), 0},
              {s("e"), s("READY")},
              {s("d"), QJsonObject{{s("user"), QJsonObject{{s("id"), s("me-uuid")},
                                                           {s("first_name"), s("Ann")},
                                                           {s("last_name"), s("Lee")}}}}}},
             connection);
    }
    void close(int code, const QString &reason)
    {
        sockets.last()->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
    }

    QList<QWebSocket *> sockets;
    QStringList paths;
    QStringList queries;
    QList<QList<QJsonObject>> frames; // per connection

private:
    QWebSocketServer m_server;
};

QJsonObject identifyFrame(const QString &token)
{
    return {{s("o"), 2},
            {s("d"), QJsonObject{{s("token"), token},
                                 {s("properties"), QJsonObject{{s("os"), GatewayBackend::identifyOs()},
                                                               {s("device"), GatewayBackend::identifyDevice()}}}}}};
}

} // namespace

class TestGatewayBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob; // a TUTOR
    QString m_aliceUuid;
    QString m_bobUuid;

    Backend::Settings settingsFor(const QString &user) const { return test::passwordSignIn(*m_server, user); }
    std::unique_ptr<GatewayBackend> signedIn(const QString &user) const
    {
        return std::make_unique<GatewayBackend>(settingsFor(user));
    }
    QString uuidOf(const Account &account)
    {
        return m_server->get(s("/api/auth/me"), account.token).json.value(s("uuid")).toString();
    }

    static OutgoingMessage to(const QString &recipient, const QString &clientId, const QString &body,
                              const QString &roomKey = {})
    {
        OutgoingMessage message;
        message.roomKey = roomKey;
        message.recipientId = recipient;
        message.clientId = clientId;
        message.text = body;
        return message;
    }

    static bool anyText(const QSignalSpy &spy, const QString &text)
    {
        return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == text;
        });
    }

    std::unique_ptr<GatewayBackend> fakeClient(FakeGateway &fake, const QString &path = {})
    {
        Backend::Settings settings;
        settings.serverUrl = fake.url();
        settings.path = path;
        settings.signIn.token = s("tok-123");
        auto client = std::make_unique<GatewayBackend>(settings);
        client->reconnectPolicy() =
            ReconnectPolicy(std::chrono::milliseconds(20), std::chrono::milliseconds(40), 2.0, 0.0);
        return client;
    }

    // Connects a fake-backed client through HELLO → IDENTIFY → READY.
    static bool handshake(FakeGateway &fake, GatewayBackend &client, int connection = 0)
    {
        QSignalSpy connected(&client, &Backend::connected);
        if (client.connectionState() == Backend::ConnectionState::Disconnected)
            client.connectToServer();
        if (!QTest::qWaitFor([&] { return fake.sockets.size() > connection; }, 5000))
            return false;
        fake.hello(connection);
        if (!QTest::qWaitFor([&] { return !fake.frames.at(connection).isEmpty(); }, 5000))
            return false;
        fake.ready(connection);
        return connected.wait(5000) || !connected.isEmpty();
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice Smith"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        QVERIFY(m_server->server().store().setUserRole(m_bob.id, UserRole::Tutor));
        m_aliceUuid = uuidOf(m_alice);
        m_bobUuid = uuidOf(m_bob);
        QVERIFY(!m_aliceUuid.isEmpty());
    }
    void cleanup() { m_server.reset(); }

    // ---- against Natter's server --------------------------------------------

    void identifiesAndSendsWithAck()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QCOMPARE(alice->self().id, m_aliceUuid);
        QCOMPARE(alice->self().displayName, s("Alice Smith"));
        QVERIFY(alice->can(Backend::Capability::MessageRequests));
        QVERIFY(alice->can(Backend::Capability::DirectByPerson));
        QVERIFY(alice->can(Backend::Capability::History));
        QVERIFY(!alice->can(Backend::Capability::Typing));

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(to(m_bobUuid, s("n-1"), s("Hello tutor")));
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(0).toString(), s("n-1"));
        const auto stored = acked.first().at(1).value<ChatMessage>();
        QVERIFY(!stored.id.isEmpty());
        QVERIFY(!QUuid::fromString(stored.roomKey).isNull()); // the thread's UUID
        QVERIFY(stored.outgoing);
        QCOMPARE(stored.text, s("Hello tutor"));

        // The thread is known now: a send by room key alone finds the recipient.
        acked.clear();
        alice->send(to({}, s("n-2"), s("again"), stored.roomKey));
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(1).value<ChatMessage>().roomKey, stored.roomKey);

        // Refused by the server (Natter's ERROR dispatch): sendFailed with its reason.
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        alice->send(to(QUuid::createUuid().toString(QUuid::WithoutBraces), s("n-3"), s("nobody")));
        QVERIFY(failed.wait());
        QCOMPARE(failed.first().at(0).toString(), s("n-3"));
        QCOMPARE(failed.first().at(1).toString(), s("No user with that id"));
    }

    void messageRequestApprovedByTutor()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        alice->connectToServer();
        bob->connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(*bob));

        QSignalSpy requests(bob.get(), &Backend::messageRequestReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(to(m_bobUuid, s("q-1"), s("May I ask something?")));
        QVERIFY(acked.wait());
        const QString thread = acked.first().at(1).value<ChatMessage>().roomKey;
        QTRY_VERIFY(!requests.isEmpty());
        const auto request = requests.first().first().value<MessageRequest>();
        QCOMPARE(request.threadKey, thread);
        QCOMPARE(request.from.id, m_aliceUuid);
        QCOMPARE(request.text, s("May I ask something?"));

        // Only a TUTOR answers: alice (a plain user) cannot.
        QSignalSpy aliceAnswered(alice.get(), &GatewayBackend::threadAnswered);
        alice->approveThread(thread);
        QVERIFY(aliceAnswered.wait());
        QCOMPARE(aliceAnswered.first().at(2).toBool(), false);

        QSignalSpy answered(bob.get(), &GatewayBackend::threadAnswered);
        bob->approveThread(thread);
        QVERIFY(answered.wait());
        QCOMPARE(answered.first().at(0).toString(), thread);
        QCOMPARE(answered.first().at(1).toBool(), true);
        QCOMPARE(answered.first().at(2).toBool(), true);

        QSignalSpy received(bob.get(), &Backend::messageReceived);
        alice->send(to(m_bobUuid, s("q-2"), s("Thanks!")));
        QTRY_VERIFY(anyText(received, s("Thanks!")));
        const auto message = received.last().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, thread);
        QCOMPARE(message.sender.id, m_aliceUuid);
        QVERIFY(!message.outgoing);

        // Bob answers in the thread by its key alone (recipient learnt from the messages).
        QSignalSpy aliceReceived(alice.get(), &Backend::messageReceived);
        QSignalSpy bobAcked(bob.get(), &Backend::messageAcked);
        bob->send(to({}, s("b-1"), s("You're welcome"), thread));
        QVERIFY(bobAcked.wait());
        QTRY_VERIFY(anyText(aliceReceived, s("You're welcome")));

        // Threads and history.
        // The approval's THREAD_UPDATE re-lists too: its answer may still be on
        // the way, so wait for the list that has the newest message.
        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        alice->listRooms();
        auto lastListed = [&listed] {
            return listed.isEmpty() ? QList<RoomSummary>() : listed.last().first().value<QList<RoomSummary>>();
        };
        QTRY_VERIFY(lastListed().size() == 1 && lastListed().first().lastMessage.has_value()
                    && lastListed().first().lastMessage->text == s("You're welcome"));
        const auto threads = lastListed();
        QCOMPARE(threads.first().key, thread);
        QCOMPARE(threads.first().other.id, m_bobUuid);
        QCOMPARE(threads.first().name, s("Bob"));

        QSignalSpy history(alice.get(), &Backend::historyLoaded);
        alice->loadHistory(thread, {}, 2);
        QVERIFY(history.wait());
        auto args = history.takeFirst();
        auto page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 2);
        QCOMPARE(page.first().text, s("You're welcome")); // newest first
        QVERIFY(!page.first().outgoing);
        QCOMPARE(page.last().text, s("Thanks!"));
        QVERIFY(page.last().outgoing);
        QCOMPARE(args.at(2).toBool(), false);
        alice->loadHistory(thread, page.last().id, 2);
        QVERIFY(history.wait());
        args = history.takeFirst();
        page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 1);
        QCOMPARE(page.first().text, s("May I ask something?"));
        QCOMPARE(args.at(2).toBool(), true);
    }

    void pendingRequestsAreReportedOnConnect()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(to(m_bobUuid, s("p-1"), s("while you were offline")));
        QVERIFY(acked.wait());

        auto bob = signedIn(s("bob"));
        QSignalSpy requests(bob.get(), &Backend::messageRequestReceived);
        bob->connectToServer();
        QVERIFY(waitConnected(*bob));
        QTRY_VERIFY(!requests.isEmpty());
        const auto request = requests.first().first().value<MessageRequest>();
        QCOMPARE(request.threadKey, acked.first().at(1).value<ChatMessage>().roomKey);
        QCOMPARE(request.from.id, m_aliceUuid);
        QCOMPARE(request.text, s("while you were offline"));
    }

    void invalidTokenGivesUp()
    {
        Backend::Settings settings;
        settings.serverUrl = m_server->url(QString());
        settings.signIn.token = s("not-a-token");
        GatewayBackend client(settings);
        client.reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(50), std::chrono::milliseconds(100));
        QSignalSpy errors(&client, &Backend::errorOccurred);
        client.connectToServer();
        QTRY_VERIFY(!errors.isEmpty());
        QVERIFY(errors.first().first().toString().contains(s("4004")));
        QTRY_VERIFY(client.connectionState() == Backend::ConnectionState::Disconnected);
    }

    void reconnectsAndCatchesUp()
    {
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        const QString thread = room.json.value(s("uuid")).toString();
        const qint64 roomId = room.json.value(s("id")).toInteger();

        auto alice = signedIn(s("alice"));
        alice->reconnectPolicy() =
            ReconnectPolicy(std::chrono::milliseconds(1500), std::chrono::milliseconds(1500), 1.0, 0.0);
        alice->subscribe(thread);
        QSignalSpy subscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QTRY_VERIFY(!subscribed.isEmpty());
        QSignalSpy received(alice.get(), &Backend::messageReceived);

        m_server->stop();
        QVERIFY(m_server->start());
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), roomId}, {s("content"), s("while you were out")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(anyText(received, s("while you were out")), 10000);
        QCOMPARE(received.last().first().value<ChatMessage>().roomKey, thread);
        QVERIFY2(subscribed.size() >= 2, qPrintable(QString::number(subscribed.size()))); // again after the reconnect
    }

    // Alice speaks `gateway`, Bob speaks `rooms`: one direct room, one conversation.
    void crossDialectWithRooms()
    {
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        const QString roomId = QString::number(room.json.value(s("id")).toInteger());
        const QString thread = room.json.value(s("uuid")).toString();

        auto alice = signedIn(s("alice"));
        RoomsBackend bob(settingsFor(s("bob")));
        bob.subscribe(roomId);
        QSignalSpy bobSubscribed(&bob, &Backend::subscribed);
        alice->connectToServer();
        bob.connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(bob));
        QTRY_VERIFY(!bobSubscribed.isEmpty());

        QSignalSpy aliceAcked(alice.get(), &Backend::messageAcked);
        QSignalSpy bobReceived(&bob, &Backend::messageReceived);
        alice->send(to(m_bobUuid, s("x-1"), s("from gateway")));
        QVERIFY(aliceAcked.wait());
        const auto stored = aliceAcked.first().at(1).value<ChatMessage>();
        QCOMPARE(stored.roomKey, thread); // the existing direct room is the thread
        QTRY_VERIFY(anyText(bobReceived, s("from gateway")));
        const auto atBob = bobReceived.last().first().value<ChatMessage>();
        QCOMPARE(atBob.roomKey, roomId);
        QCOMPARE(atBob.id, stored.id);

        QSignalSpy aliceReceived(alice.get(), &Backend::messageReceived);
        QSignalSpy bobAcked(&bob, &Backend::messageAcked);
        bob.send({roomId, {}, s("r-1"), MessageKind::Text, s("from rooms"), {}, 0, 0});
        QVERIFY(bobAcked.wait());
        QTRY_VERIFY(anyText(aliceReceived, s("from rooms")));
        const auto atAlice = aliceReceived.last().first().value<ChatMessage>();
        QCOMPARE(atAlice.roomKey, thread);
        QCOMPARE(atAlice.id, bobAcked.first().at(1).value<ChatMessage>().id);
        QCOMPARE(atAlice.sender.id, m_bobUuid);
        QVERIFY(!atAlice.outgoing);
    }

    // ---- against a wire-level fake of spec 004 --------------------------------

    void fakeHelloIdentifyReady()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        QSignalSpy connected(client.get(), &Backend::connected);
        client->connectToServer();
        QTRY_COMPARE(fake.sockets.size(), 1);
        QCOMPARE(fake.paths.first(), s("/gateway"));
        QVERIFY(fake.queries.first().isEmpty()); // the token goes in IDENTIFY, not in the URL
        // Before HELLO the client sends nothing; after it, exactly IDENTIFY.
        QVERIFY(fake.frames.first().isEmpty());
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connecting);
        fake.hello();
        QTRY_COMPARE(fake.frames.first().size(), 1);
        QCOMPARE(fake.frames.first().first(), identifyFrame(s("tok-123")));
        QVERIFY(connected.isEmpty()); // not before READY
        fake.ready();
        QVERIFY(connected.wait());
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);
        QCOMPARE(client->self().id, s("me-uuid"));
        QCOMPARE(client->self().displayName, s("Ann Lee"));
        QCOMPARE(fake.frames.first().size(), 1); // no heartbeat opcode: the spec has none

        // SEND_MESSAGE, frame by frame; MESSAGE_SENT without a nonce acks in send order.
        QSignalSpy acked(client.get(), &Backend::messageAcked);
        client->send(to(s("u-2"), s("c1"), s("first")));
        client->send(to(s("u-3"), s("c2"), s("second")));
        QTRY_COMPARE(fake.frames.first().size(), 3);
        QCOMPARE(fake.frames.first().at(1),
                 (QJsonObject{{s("o"), 0},
                              {s("e"), s("SEND_MESSAGE")},
                              {s("d"), QJsonObject{{s("to"), s("u-2")}, {s("message"), s("first")}, {s("nonce"), s("c1")}}}}));
        QCOMPARE(fake.frames.first().at(2).value(s("d")).toObject().value(s("to")).toString(), s("u-3"));
        fake.send({{s("o"), 0}, {s("e"), s("MESSAGE_SENT")}, {s("d"), QJsonObject{{s("message_id"), s("m-41")}}}});
        fake.send({{s("o"), 0}, {s("e"), s("MESSAGE_SENT")}, {s("d"), QJsonObject{{s("message_id"), s("m-42")}}}});
        QTRY_COMPARE(acked.size(), 2);
        QCOMPARE(acked.at(0).at(0).toString(), s("c1"));
        QCOMPARE(acked.at(0).at(1).value<ChatMessage>().id, s("m-41"));
        QCOMPARE(acked.at(1).at(0).toString(), s("c2"));
        QCOMPARE(acked.at(1).at(1).value<ChatMessage>().id, s("m-42"));

        // MESSAGE and MESSAGE_REQUEST exactly as the spec shows them.
        QSignalSpy received(client.get(), &Backend::messageReceived);
        QSignalSpy requests(client.get(), &Backend::messageRequestReceived);
        const QJsonObject from{{s("id"), s("sender-id")}, {s("first_name"), s("First")}, {s("last_name"), s("Last")}};
        fake.send({{s("o"), 0},
                   {s("e"), s("MESSAGE")},
                   {s("d"), QJsonObject{{s("thread_id"), s("a2d40043-9282-45dd-9eab-b72588c3a6d6")},
                                        {s("from"), from},
                                        {s("message"), s("Message content")},
                                        {s("timestamp"), s("2024-01-02T03:04:05Z")}}}});
        QVERIFY(received.wait());
        const auto message = received.first().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, s("a2d40043-9282-45dd-9eab-b72588c3a6d6"));
        QCOMPARE(message.sender.id, s("sender-id"));
        QCOMPARE(message.sender.displayName, s("First Last"));
        QCOMPARE(message.text, s("Message content"));
        QCOMPARE(message.createdAt, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC));
        QVERIFY(!message.outgoing);
        fake.send({{s("o"), 0},
                   {s("e"), s("MESSAGE_REQUEST")},
                   {s("d"), QJsonObject{{s("thread_id"), s("t-2")}, {s("from"), from}, {s("message"), s("hi?")},
                                        {s("timestamp"), s("2024-01-02T03:04:06Z")}}}});
        QVERIFY(requests.wait());
        const auto request = requests.first().first().value<MessageRequest>();
        QCOMPARE(request.threadKey, s("t-2"));
        QCOMPARE(request.from.id, s("sender-id"));
        QCOMPARE(request.text, s("hi?"));
        // The request's message is also the first message of its thread (shown there, with Approve/Block).
        QCOMPARE(received.size(), 2);
        QCOMPARE(received.last().first().value<ChatMessage>().roomKey, s("t-2"));
        QCOMPARE(received.last().first().value<ChatMessage>().text, s("hi?"));

        // Replying in that thread by key alone goes to the person who wrote.
        client->send(to({}, s("c3"), s("reply"), s("t-2")));
        QTRY_COMPARE(fake.frames.first().size(), 4);
        QCOMPARE(fake.frames.first().at(3).value(s("d")).toObject().value(s("to")).toString(), s("sender-id"));
    }

    void fakePathOverride()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake, s("/ws"));
        QVERIFY(handshake(fake, *client));
        QCOMPARE(fake.paths.first(), s("/ws"));
    }

    void fakeAuthenticationFailedGivesUp()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        QSignalSpy errors(client.get(), &Backend::errorOccurred);
        client->connectToServer();
        QTRY_COMPARE(fake.sockets.size(), 1);
        fake.hello();
        QTRY_COMPARE(fake.frames.first().size(), 1);
        QSignalSpy states(client.get(), &Backend::connectionStateChanged);
        fake.close(4004, s("AUTHENTICATION_FAILED")); // no INVALID_SESSION first: the code alone is enough
        QTRY_VERIFY(client->connectionState() == Backend::ConnectionState::Disconnected);
        QVERIFY(!errors.isEmpty());
        QVERIFY(errors.last().first().toString().contains(s("4004")));
        // Given up: straight to Disconnected, no reconnect scheduled.
        QCOMPARE(states.size(), 1);
        QCOMPARE(fake.sockets.size(), 1);

        // Connecting again later (say, with a new token) is the user's call; a
        // connection lost then without a close frame reconnects: the old code does not stick.
        QVERIFY(handshake(fake, *client, 1));
        states.clear();
        fake.sockets.last()->abort();
        QTRY_COMPARE(fake.sockets.size(), 3);
        QCOMPARE(states.first().first().value<Backend::ConnectionState>(), Backend::ConnectionState::Reconnecting);
    }

    void fakeNotAuthenticatedGivesUp()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        QVERIFY(handshake(fake, *client));
        // INVALID_SESSION, then the close, as Natter does it.
        QSignalSpy states(client.get(), &Backend::connectionStateChanged);
        fake.send({{s("o"), 9}, {s("d"), false}});
        fake.close(4003, s("NOT_AUTHENTICATED"));
        QTRY_VERIFY(client->connectionState() == Backend::ConnectionState::Disconnected);
        QCOMPARE(states.size(), 1); // Connected → Disconnected, never Reconnecting
        QCOMPARE(fake.sockets.size(), 1);
    }

    void fakeSessionTimeoutReconnects()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->subscribe(s("t-1"));
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        QVERIFY(handshake(fake, *client));
        QTRY_COMPARE(subscribed.size(), 1);

        QSignalSpy states(client.get(), &Backend::connectionStateChanged);
        fake.close(4009, s("SESSION_TIMEOUT"));
        QTRY_COMPARE(fake.sockets.size(), 2); // back, with the usual backoff
        QVERIFY(std::any_of(states.cbegin(), states.cend(), [](const QList<QVariant> &args) {
            return args.first().value<Backend::ConnectionState>() == Backend::ConnectionState::Reconnecting;
        }));
        // The whole greeting again on the new connection.
        QVERIFY(fake.frames.at(1).isEmpty());
        fake.hello(1);
        QTRY_COMPARE(fake.frames.at(1).size(), 1);
        QCOMPARE(fake.frames.at(1).first(), identifyFrame(s("tok-123")));
        QSignalSpy connected(client.get(), &Backend::connected);
        fake.ready(1);
        QVERIFY(connected.wait());
        QTRY_COMPARE(subscribed.size(), 2); // subscribed again
    }

    void fakeRateLimitedWaitsLonger()
    {
        FakeGateway fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->setRateLimitedDelay(std::chrono::milliseconds(1500));
        QVERIFY(handshake(fake, *client));
        QElapsedTimer sinceClose;
        sinceClose.start();
        fake.close(4008, s("RATE_LIMITED"));
        QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 2, 5000);
        QVERIFY2(sinceClose.elapsed() >= 1300, /* coarse timers: ±5% */ qPrintable(QString::number(sinceClose.elapsed())));
        QVERIFY(client->connectionState() != Backend::ConnectionState::Disconnected);

        // The next ordinary loss reconnects at the usual pace again.
        QVERIFY(handshake(fake, *client, 1));
        sinceClose.restart();
        fake.close(4009, s("SESSION_TIMEOUT"));
        QTRY_COMPARE_WITH_TIMEOUT(fake.sockets.size(), 3, 5000);
        QVERIFY2(sinceClose.elapsed() < 1300, qPrintable(QString::number(sinceClose.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestGatewayBackend)
#include "tst_gatewaybackend.moc"
