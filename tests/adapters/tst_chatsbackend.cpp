// The `chats` client adapter (spec 001):
// (1) against Natter's embedded server: sign-in, room list by uuid, subscribe
//     results, sends acked in order, send errors, a cross-dialect room shared
//     with a `rooms` client, bad token, reconnect and catch-up;
// (2) against a wire-level fake of the spec: exact client frames, mixed
//     subscribe results, each error string → sendFailed / errorOccurred,
//     incoming messages, malformed-JSON close → reconnect, 1008 → give up.

#include "backendtesting.h"
#include "chats/chatsbackend.h"
#include "fakewsserver.h"
#include "rooms/roomsbackend.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::FakeWsServer;
using natter::test::TestServer;
using natter::test::waitConnected;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

template<typename Predicate>
bool anyMessage(const QSignalSpy &spy, int argument, Predicate predicate)
{
    return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) {
        return predicate(args.at(argument).value<ChatMessage>());
    });
}

bool anyString(const QSignalSpy &spy, const QString &text)
{
    return std::any_of(spy.cbegin(), spy.cend(),
                       [&](const QList<QVariant> &args) { return args.first().toString() == text; });
}

const QString chatA = QStringLiteral("0b9a7c1e-1111-4a6e-9a57-aaaaaaaaaaaa");
const QString chatB = QStringLiteral("0b9a7c1e-2222-4a6e-9a57-bbbbbbbbbbbb");

QJsonObject messageFrame(const QString &chatId, const QString &text)
{
    return {{s("action"), s("message")}, {s("chat_id"), chatId}, {s("text"), text}};
}

} // namespace

class TestChatsBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    qint64 m_roomId = 0;
    QString m_chat;       // alice & bob's direct room, by uuid
    QString m_carolsChat; // carol & bob's: alice has no access

    std::unique_ptr<ChatsBackend> signedIn(const QString &user, const QString &password = s("password123"))
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, user, password);
        return std::make_unique<ChatsBackend>(settings);
    }

    static std::unique_ptr<ChatsBackend> fakeClient(const FakeWsServer &fake)
    {
        Backend::Settings settings;
        settings.serverUrl = fake.serverUrl();
        settings.signIn.token = s("t0k3n");
        settings.signIn.username = s("me");
        auto backend = std::make_unique<ChatsBackend>(settings);
        backend->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(50), std::chrono::milliseconds(50), 1.0, 0.0);
        return backend;
    }

    // A connected fake client subscribed to chatA (the fake answers success).
    static std::unique_ptr<ChatsBackend> connectedFakeClient(FakeWsServer &fake)
    {
        auto client = fakeClient(fake);
        client->subscribe(chatA);
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        client->connectToServer();
        if (!QTest::qWaitFor([&] { return fake.count() == 1 && fake.at(0).frames.size() == 1; }))
            return nullptr;
        fake.send(0, {{s("action"), s("subscribe_response")},
                      {s("results"), QJsonArray{QJsonObject{{s("chat_id"), chatA}, {s("status"), s("success")}}}}});
        if (!QTest::qWaitFor([&] { return subscribed.size() == 1; }))
            return nullptr;
        return client;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}}, m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(s("id")).toInteger();
        m_chat = room.json.value(s("uuid")).toString();
        QVERIFY(!m_chat.isEmpty());
        room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}}, m_carol.token);
        QCOMPARE(room.status, 201);
        m_carolsChat = room.json.value(s("uuid")).toString();
    }
    void cleanup() { m_server.reset(); }

    // ---- against Natter's server ------------------------------------------------

    void listsRoomsByUuid()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QCOMPARE(alice->self().id, s("alice")); // people are usernames in this dialect
        QVERIFY(!alice->can(Backend::Capability::Stamps));
        QVERIFY(!alice->can(Backend::Capability::Typing));
        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        alice->listRooms();
        QVERIFY(listed.wait());
        const auto rooms = listed.first().first().value<QList<RoomSummary>>();
        QCOMPARE(rooms.size(), 2); // the lobby and the direct room
        const auto direct = std::find_if(rooms.cbegin(), rooms.cend(), [this](const RoomSummary &r) { return r.key == m_chat; });
        QVERIFY(direct != rooms.cend());
        QCOMPARE(direct->uuid, m_chat);
        QCOMPARE(direct->id, m_roomId);
        QVERIFY(direct->kind == RoomKind::Direct);
        QCOMPARE(direct->name, s("Bob"));
        QCOMPARE(direct->other.id, s("bob"));
        QVERIFY(alice->can(Backend::Capability::RoomList));
        QVERIFY(alice->can(Backend::Capability::History));
    }

    void subscribesSendsAndReceives()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        QSignalSpy aliceSubscribed(alice.get(), &Backend::subscribed);
        QSignalSpy bobSubscribed(bob.get(), &Backend::subscribed);
        alice->subscribe(m_chat);
        bob->subscribe(m_chat);
        alice->connectToServer();
        bob->connectToServer();
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QTRY_COMPARE(bobSubscribed.size(), 1);
        QCOMPARE(aliceSubscribed.first().first().toString(), m_chat);

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        // In one go: acks and failures must land on the right sends, in order.
        alice->send({m_chat, {}, s("c-1"), MessageKind::Text, s("one"), {}, 0, 0});
        alice->send({m_carolsChat, {}, s("c-2"), MessageKind::Text, s("not yours"), {}, 0, 0});
        alice->send({m_chat, {}, s("c-3"), MessageKind::Text, s("three"), {}, 0, 0});
        alice->send({m_chat, {}, s("c-4"), MessageKind::Text, s("   "), {}, 0, 0});
        alice->send({m_chat, {}, s("c-5"), MessageKind::Stamp, {}, s("1"), 0, 0});
        QTRY_COMPARE(acked.size(), 2);
        QTRY_COMPARE(failed.size(), 3);
        QCOMPARE(acked.at(0).at(0).toString(), s("c-1"));
        QCOMPARE(acked.at(1).at(0).toString(), s("c-3"));
        const auto one = acked.at(0).at(1).value<ChatMessage>();
        const auto three = acked.at(1).at(1).value<ChatMessage>();
        QCOMPARE(one.text, s("one"));
        QCOMPARE(one.roomKey, m_chat);
        QVERIFY(one.outgoing);
        QVERIFY(!one.id.isEmpty()); // Natter's extra
        QVERIFY(three.id.toLongLong() > one.id.toLongLong());
        QMap<QString, QString> failures;
        for (const auto &args : std::as_const(failed))
            failures.insert(args.at(0).toString(), args.at(1).toString());
        QCOMPARE(failures.value(s("c-2")), s("no access"));
        QCOMPARE(failures.value(s("c-4")), s("Message cannot be empty"));
        QVERIFY(failures.contains(s("c-5")));

        QTRY_VERIFY(anyMessage(received, 0, [&](const ChatMessage &m) { return m.id == three.id; }));
        QVERIFY(anyMessage(received, 0, [&](const ChatMessage &m) {
            return m.id == one.id && m.text == s("one") && m.roomKey == m_chat && m.sender.id == s("alice")
                && m.sender.username == s("alice") && !m.outgoing;
        }));
        QVERIFY(!anyMessage(received, 0, [](const ChatMessage &m) { return m.text == s("not yours"); }));
    }

    void mixedSubscribeResults()
    {
        auto carol = signedIn(s("carol"));
        carol->connectToServer();
        QVERIFY(waitConnected(*carol));
        QSignalSpy listed(carol.get(), &Backend::roomsListed);
        carol->listRooms();
        QVERIFY(listed.wait());
        QSignalSpy subscribed(carol.get(), &Backend::subscribed);
        QSignalSpy errors(carol.get(), &Backend::errorOccurred);
        for (const RoomSummary &room : listed.first().first().value<QList<RoomSummary>>())
            carol->subscribe(room.key);
        carol->subscribe(m_chat); // alice & bob's
        QTRY_COMPARE(subscribed.size(), 2);
        QTRY_VERIFY(anyString(errors, s("This server does not let you into chat %1 (\"no access\"): check the id, or ask to be added.").arg(m_chat)));
        QVERIFY(!anyString(subscribed, m_chat));
        QVERIFY(anyString(subscribed, m_carolsChat));
    }

    void badTokenGivesUp()
    {
        Backend::Settings settings;
        settings.serverUrl = m_server->url(QString());
        settings.signIn.token = s("not-a-token");
        ChatsBackend backend(settings);
        QSignalSpy errors(&backend, &Backend::errorOccurred);
        backend.connectToServer();
        QTRY_VERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const QList<QVariant> &args) {
            return args.first().toString().contains(s("authentication failed"));
        }));
        QTRY_VERIFY(backend.connectionState() == Backend::ConnectionState::Disconnected);
        QCOMPARE(backend.reconnectPolicy().attempts(), 0);
    }

    void crossDialectWithRooms()
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, s("alice"), s("password123"));
        RoomsBackend alice(settings);
        auto bob = signedIn(s("bob"));
        const QString roomKey = QString::number(m_roomId);
        QSignalSpy aliceSubscribed(&alice, &Backend::subscribed);
        QSignalSpy bobSubscribed(bob.get(), &Backend::subscribed);
        alice.subscribe(roomKey);
        bob->subscribe(m_chat);
        alice.connectToServer();
        bob->connectToServer();
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QTRY_COMPARE(bobSubscribed.size(), 1);

        QSignalSpy bobReceived(bob.get(), &Backend::messageReceived);
        QSignalSpy aliceAcked(&alice, &Backend::messageAcked);
        alice.send({roomKey, {}, s("r-1"), MessageKind::Text, s("from rooms"), {}, 0, 0});
        QVERIFY(aliceAcked.wait());
        const QString roomsId = aliceAcked.first().at(1).value<ChatMessage>().id;
        QTRY_VERIFY(anyMessage(bobReceived, 0, [&](const ChatMessage &m) {
            return m.id == roomsId && m.text == s("from rooms") && m.roomKey == m_chat && m.sender.id == s("alice");
        }));

        QSignalSpy aliceReceived(&alice, &Backend::messageReceived);
        QSignalSpy bobAcked(bob.get(), &Backend::messageAcked);
        bob->send({m_chat, {}, s("k-1"), MessageKind::Text, s("from chats"), {}, 0, 0});
        QVERIFY(bobAcked.wait());
        const QString chatsId = bobAcked.first().at(1).value<ChatMessage>().id;
        QTRY_VERIFY(anyMessage(aliceReceived, 0, [&](const ChatMessage &m) {
            return m.id == chatsId && m.text == s("from chats") && m.roomKey == roomKey
                && m.sender.id == QString::number(m_bob.id);
        }));
    }

    void reconnectsAndCatchesUp()
    {
        auto alice = signedIn(s("alice"));
        // Slow enough that Bob's message lands before Alice is back: it must come from catch-up.
        alice->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(1500), std::chrono::milliseconds(1500), 1.0, 0.0);
        alice->subscribe(m_chat);
        QSignalSpy subscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QTRY_COMPARE(subscribed.size(), 1);
        QSignalSpy received(alice.get(), &Backend::messageReceived);

        m_server->stop();
        QVERIFY(m_server->start());
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_roomId}, {s("content"), s("while you were out")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(anyMessage(received, 0, [this](const ChatMessage &m) {
            return m.text == s("while you were out") && m.roomKey == m_chat && m.sender.id == s("bob") && !m.outgoing;
        }), 10000);
        // Re-subscribed too (the catch-up may land before or after the subscribe answer).
        QTRY_COMPARE(subscribed.size(), 2);
    }

    // ---- against a wire-level fake of the spec ------------------------------------

    void subscribeFrameAndMixedResults()
    {
        FakeWsServer fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->subscribe(chatA);
        client->subscribe(chatB);
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        QSignalSpy errors(client.get(), &Backend::errorOccurred);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        QCOMPARE(fake.at(0).url.path(), s("/chats/ws"));
        QCOMPARE(QUrlQuery(fake.at(0).url).queryItemValue(s("token")), s("t0k3n"));
        QTRY_COMPARE(fake.at(0).frames.size(), 1); // both chats in one frame
        const QJsonObject frame = fake.frame(0, 0);
        QCOMPARE(frame.size(), 2);
        QCOMPARE(frame.value(s("action")).toString(), s("subscribe"));
        QStringList ids;
        for (const QJsonValue &id : frame.value(s("chat_ids")).toArray())
            ids.append(id.toString());
        ids.sort();
        QCOMPARE(ids, (QStringList{chatA, chatB}));

        fake.send(0, {{s("action"), s("subscribe_response")},
                      {s("results"), QJsonArray{QJsonObject{{s("chat_id"), chatA}, {s("status"), s("success")}},
                                                QJsonObject{{s("chat_id"), chatB}, {s("status"), s("error")},
                                                            {s("error"), s("no access")}}}}});
        QTRY_COMPARE(subscribed.size(), 1);
        QCOMPARE(subscribed.first().first().toString(), chatA);
        QTRY_COMPARE(errors.size(), 1);
        QCOMPARE(errors.first().first().toString(), s("This server does not let you into chat %1 (\"no access\"): check the id, or ask to be added.").arg(chatB));

        // Not Natter: the room list is what was subscribed, less the refused.
        QSignalSpy listed(client.get(), &Backend::roomsListed);
        client->listRooms();
        QVERIFY(listed.wait());
        const auto rooms = listed.first().first().value<QList<RoomSummary>>();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().key, chatA);
        QVERIFY(!client->can(Backend::Capability::RoomList));
    }

    void sendErrorsAndAcksInOrder()
    {
        FakeWsServer fake;
        QVERIFY(fake.listen());
        auto client = connectedFakeClient(fake);
        QVERIFY(client);
        QSignalSpy acked(client.get(), &Backend::messageAcked);
        QSignalSpy failed(client.get(), &Backend::sendFailed);
        QSignalSpy errors(client.get(), &Backend::errorOccurred);

        const QStringList texts{s("t1"), s("t2"), s("t3"), s("t4"), s("t5"), s("t6")};
        for (int i = 0; i < texts.size(); ++i)
            client->send({chatA, {}, s("c-%1").arg(i + 1), MessageKind::Text, texts.at(i), {}, 0, 0});
        QTRY_COMPARE(fake.at(0).frames.size(), 1 + texts.size());
        for (int i = 0; i < texts.size(); ++i)
            QCOMPARE(fake.frame(0, i + 1), messageFrame(chatA, texts.at(i)));

        // One answer per send, in send order; "Unknown action" answers no send.
        fake.send(0, {{s("error"), s("Couldn't send message")}, {s("status"), s("error")}}); // c-1
        fake.send(0, {{s("action"), s("message_response")}, {s("status"), s("success")}});   // c-2
        fake.send(0, {{s("error"), s("Unknown action")}, {s("status"), s("error")}});         // none
        fake.send(0, {{s("error"), s("no access")}, {s("status"), s("error")}});              // c-3
        fake.send(0, {{s("error"), s("Message cannot be empty")}, {s("status"), s("error")}}); // c-4
        fake.send(0, {{s("error"), s("Missing chat_id")}, {s("status"), s("error")}});        // c-5
        fake.send(0, {{s("action"), s("message_response")}, {s("status"), s("success")}});   // c-6
        fake.send(0, {{s("error"), s("Missing chat_id")}, {s("status"), s("error")}});        // nothing waits
        QTRY_COMPARE(acked.size(), 2);
        QTRY_COMPARE(failed.size(), 4);
        QTRY_COMPARE(errors.size(), 2);
        QCOMPARE(acked.at(0).at(0).toString(), s("c-2"));
        const auto stored = acked.at(0).at(1).value<ChatMessage>();
        QCOMPARE(stored.text, s("t2"));
        QCOMPARE(stored.roomKey, chatA);
        QCOMPARE(stored.clientId, s("c-2"));
        QVERIFY(stored.outgoing);
        QVERIFY(stored.id.isEmpty()); // the spec's response carries no id
        QCOMPARE(acked.at(1).at(0).toString(), s("c-6"));
        const QList<QPair<QString, QString>> expectedFailures{{s("c-1"), s("Couldn't send message")},
                                                              {s("c-3"), s("no access")},
                                                              {s("c-4"), s("Message cannot be empty")},
                                                              {s("c-5"), s("Missing chat_id")}};
        for (int i = 0; i < expectedFailures.size(); ++i) {
            QCOMPARE(failed.at(i).at(0).toString(), expectedFailures.at(i).first);
            QCOMPARE(failed.at(i).at(1).toString(), expectedFailures.at(i).second);
        }
        QCOMPARE(errors.at(0).first().toString(), s("Unknown action"));
        QCOMPARE(errors.at(1).first().toString(), s("Missing chat_id"));
    }

    void incomingMessages()
    {
        FakeWsServer fake;
        QVERIFY(fake.listen());
        auto client = connectedFakeClient(fake);
        QVERIFY(client);
        QSignalSpy received(client.get(), &Backend::messageReceived);
        fake.sendText(0, s("this is not JSON")); // ignored, the link stays
        fake.send(0, {{s("from"), s("zoe")}, {s("message"), s("Hello, world!")}, {s("chat_id"), chatA}});
        fake.send(0, {{s("from"), s("me")}, {s("message"), s("from my phone")}, {s("chat_id"), chatA}});
        // With ids (Natter's extra) a repeat is dropped; without, each frame is news.
        fake.send(0, {{s("from"), s("zoe")}, {s("message"), s("numbered")}, {s("chat_id"), chatA}, {s("id"), 7}});
        fake.send(0, {{s("from"), s("zoe")}, {s("message"), s("numbered")}, {s("chat_id"), chatA}, {s("id"), 7}});
        fake.send(0, {{s("from"), s("zoe")}, {s("message"), s("last")}, {s("chat_id"), chatA}, {s("id"), 8}});
        QTRY_COMPARE(received.size(), 4);
        QCOMPARE(received.at(2).first().value<ChatMessage>().id, s("7"));
        QCOMPARE(received.at(3).first().value<ChatMessage>().id, s("8"));
        const auto hello = received.at(0).first().value<ChatMessage>();
        QCOMPARE(hello.roomKey, chatA);
        QCOMPARE(hello.text, s("Hello, world!"));
        QCOMPARE(hello.sender.id, s("zoe"));
        QCOMPARE(hello.sender.username, s("zoe"));
        QVERIFY(!hello.outgoing);
        QVERIFY(hello.createdAt.isValid());
        QVERIFY(received.at(1).first().value<ChatMessage>().outgoing);
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);
        QCOMPARE(fake.count(), 1);
    }

    void malformedJsonCloseReconnects()
    {
        FakeWsServer fake;
        QVERIFY(fake.listen());
        auto client = connectedFakeClient(fake);
        QVERIFY(client);
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        QSignalSpy acked(client.get(), &Backend::messageAcked);
        client->send({chatA, {}, s("c-1"), MessageKind::Text, s("lost?"), {}, 0, 0});
        QTRY_COMPARE(fake.at(0).frames.size(), 2);
        // "Connection will be closed on malformed JSON": the server closes; we come back.
        fake.close(0, QWebSocketProtocol::CloseCodeWrongDatatype, s("Malformed JSON"));
        QTRY_COMPARE(fake.count(), 2);
        QTRY_COMPARE(fake.at(1).frames.size(), 1);
        QCOMPARE(fake.frame(1, 0), (QJsonObject{{s("action"), s("subscribe")}, {s("chat_ids"), QJsonArray{chatA}}}));
        fake.send(1, {{s("action"), s("subscribe_response")},
                      {s("results"), QJsonArray{QJsonObject{{s("chat_id"), chatA}, {s("status"), s("success")}}}}});
        QTRY_COMPARE(subscribed.size(), 1);
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);
        // The send of the lost link is forgotten: a response on the new link acks the new send only.
        client->send({chatA, {}, s("c-2"), MessageKind::Text, s("again"), {}, 0, 0});
        QTRY_COMPARE(fake.at(1).frames.size(), 2);
        fake.send(1, {{s("action"), s("message_response")}, {s("status"), s("success")}});
        QTRY_COMPARE(acked.size(), 1);
        QCOMPARE(acked.first().at(0).toString(), s("c-2"));
    }

    void policyCloseGivesUp()
    {
        FakeWsServer fake;
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        QSignalSpy errors(client.get(), &Backend::errorOccurred);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        fake.close(0, QWebSocketProtocol::CloseCodePolicyViolated, s("authentication failed"));
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("authentication failed")));
        QTRY_VERIFY(client->connectionState() == Backend::ConnectionState::Disconnected);
        QCOMPARE(client->reconnectPolicy().attempts(), 0);
        QCOMPARE(fake.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestChatsBackend)
#include "tst_chatsbackend.moc"
