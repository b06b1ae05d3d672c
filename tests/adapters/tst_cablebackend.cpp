// The `cable` client adapter (spec 000, ActionCable):
// (1) against Natter's embedded server: sign-in, room list, stamps, text /
//     stamp / location sends acked by the echo, the lobby, rejection, a
//     cross-dialect room shared with a `rooms` client, reconnect and catch-up;
// (2) against a wire-level fake of the spec: exact client frames, welcome
//     before subscribe, ping silence → reconnect, reject_subscription,
//     disconnect with reconnect:false → give up.

#include "backendtesting.h"
#include "cable/cablebackend.h"
#include "fakewsserver.h"
#include "rooms/roomsbackend.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::FakeWsServer;
using natter::test::TestServer;
using natter::test::waitConnected;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

QJsonObject parse(const QString &text) { return QJsonDocument::fromJson(text.toUtf8()).object(); }

template<typename Predicate>
bool anyMessage(const QSignalSpy &spy, int argument, Predicate predicate)
{
    return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) {
        return predicate(args.at(argument).value<ChatMessage>());
    });
}

const QString lobbyIdentifier = QStringLiteral(R"({"channel":"MessageChannel"})");
const QString room7Identifier = QStringLiteral(R"({"channel":"MessageChannel","room_id":7})");

} // namespace

class TestCableBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    QString m_room; // alice & bob's direct room, by id

    std::unique_ptr<CableBackend> signedIn(const QString &user, const QString &password = s("password123"))
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, user, password);
        return std::make_unique<CableBackend>(settings);
    }

    static std::unique_ptr<CableBackend> fakeClient(const FakeWsServer &fake)
    {
        Backend::Settings settings;
        settings.serverUrl = fake.serverUrl();
        settings.signIn.token = s("t0k3n");
        auto backend = std::make_unique<CableBackend>(settings);
        backend->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(50), std::chrono::milliseconds(50), 1.0, 0.0);
        return backend;
    }

    // Welcome, and confirm every subscribe the client sent on this connection.
    static void welcomeAndConfirm(FakeWsServer &fake, int connection, int expectedSubscribes)
    {
        fake.send(connection, {{s("type"), s("welcome")}});
        QTRY_COMPARE(fake.at(connection).frames.size(), expectedSubscribes);
        for (const QString &text : fake.at(connection).frames) {
            const QJsonObject frame = parse(text);
            fake.send(connection, {{s("identifier"), frame.value(s("identifier"))}, {s("type"), s("confirm_subscription")}});
        }
    }

    // The client subscribes to room 7 on `fake`, which welcomes and confirms it.
    static void subscribeToRoom7(FakeWsServer &fake, CableBackend &client)
    {
        client.subscribe(s("7"));
        QSignalSpy subscribed(&client, &Backend::subscribed);
        client.connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        welcomeAndConfirm(fake, 0, 1);
        QTRY_COMPARE(subscribed.size(), 1);
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        m_room = QString::number(room.json.value(s("id")).toInteger());
    }
    void cleanup() { m_server.reset(); }

    // ---- against Natter's server ------------------------------------------------

    void signsInListsRoomsAndStamps()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QCOMPARE(alice->self().id, QString::number(m_alice.id));
        QVERIFY(alice->can(Backend::Capability::Stamps));
        QVERIFY(alice->can(Backend::Capability::Locations));
        QVERIFY(!alice->can(Backend::Capability::Typing));
        QVERIFY(!alice->can(Backend::Capability::Receipts));

        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        alice->listRooms();
        QVERIFY(listed.wait());
        const auto rooms = listed.first().first().value<QList<RoomSummary>>();
        QCOMPARE(rooms.size(), 2); // the lobby and the direct room
        const auto direct = std::find_if(rooms.cbegin(), rooms.cend(), [this](const RoomSummary &r) { return r.key == m_room; });
        QVERIFY(direct != rooms.cend());
        QVERIFY(direct->kind == RoomKind::Direct);
        QCOMPARE(direct->name, s("Bob"));
        QCOMPARE(direct->other.id, QString::number(m_bob.id));
        QVERIFY(alice->can(Backend::Capability::RoomList));

        QSignalSpy stamps(alice.get(), &Backend::stampsLoaded);
        alice->loadStamps();
        QVERIFY(stamps.wait());
        const auto catalogue = stamps.first().first().value<QList<Stamp>>();
        QVERIFY(catalogue.size() >= 3);
        QCOMPARE(catalogue.first().id, s("1"));
        QVERIFY(!catalogue.first().name.isEmpty());
        QCOMPARE(alice->stamps().size(), catalogue.size());
        // Again: answered 304 from the cache (If-None-Match), same catalogue.
        alice->loadStamps();
        QVERIFY(stamps.wait());
        QCOMPARE(stamps.at(1).first().value<QList<Stamp>>().size(), catalogue.size());
    }

    void wrongPasswordGivesUp()
    {
        auto alice = signedIn(s("alice"), s("not-the-password"));
        QSignalSpy errors(alice.get(), &Backend::errorOccurred);
        alice->connectToServer();
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("refused")));
        QTRY_VERIFY(alice->connectionState() == Backend::ConnectionState::Disconnected);
    }

    void badTokenGivesUp()
    {
        Backend::Settings settings;
        settings.serverUrl = m_server->url(QString());
        settings.signIn.token = s("not-a-token");
        CableBackend backend(settings);
        QSignalSpy errors(&backend, &Backend::errorOccurred);
        backend.connectToServer();
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("unauthorized")));
        QTRY_VERIFY(backend.connectionState() == Backend::ConnectionState::Disconnected);
        QCOMPARE(backend.reconnectPolicy().attempts(), 0);
    }

    void sendsTextStampLocationWithAcks()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        QSignalSpy aliceSubscribed(alice.get(), &Backend::subscribed);
        QSignalSpy bobSubscribed(bob.get(), &Backend::subscribed);
        alice->subscribe(m_room);
        bob->subscribe(m_room);
        alice->connectToServer();
        bob->connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(*bob));
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QTRY_COMPARE(bobSubscribed.size(), 1);
        QCOMPARE(aliceSubscribed.first().first().toString(), m_room);
        QVERIFY(alice->canSendTo(m_room));

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy aliceReceived(alice.get(), &Backend::messageReceived);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        alice->send({m_room, {}, s("c-1"), MessageKind::Text, s("Hello!"), {}, 0, 0});
        OutgoingMessage stamp{m_room, {}, s("c-2"), MessageKind::Stamp, {}, s("3"), 0, 0};
        alice->send(stamp);
        alice->send({m_room, {}, s("c-3"), MessageKind::Location, {}, {}, 52.52, 13.405});
        QTRY_COMPARE(acked.size(), 3);

        const auto text = acked.at(0).at(1).value<ChatMessage>();
        QCOMPARE(acked.at(0).at(0).toString(), s("c-1"));
        QVERIFY(!text.id.isEmpty());
        QVERIFY(text.outgoing);
        QCOMPARE(text.roomKey, m_room);
        QCOMPARE(text.text, s("Hello!"));
        const auto stored = acked.at(1).at(1).value<ChatMessage>();
        QCOMPARE(acked.at(1).at(0).toString(), s("c-2"));
        QVERIFY(stored.kind == MessageKind::Stamp);
        QCOMPARE(stored.stampId, s("3"));
        const auto place = acked.at(2).at(1).value<ChatMessage>();
        QVERIFY(place.kind == MessageKind::Location);
        QCOMPARE(place.latitude, 52.52);
        QCOMPARE(place.longitude, 13.405);
        // The echo is the ack, not news.
        QVERIFY(!anyMessage(aliceReceived, 0, [](const ChatMessage &m) { return m.clientId.startsWith(s("c-")); }));

        QTRY_VERIFY(anyMessage(received, 0, [&](const ChatMessage &m) { return m.id == place.id; }));
        QVERIFY(anyMessage(received, 0, [&](const ChatMessage &m) {
            return m.id == text.id && m.text == s("Hello!") && m.sender.username == s("alice")
                && m.sender.id == QString::number(m_alice.id) && !m.outgoing && m.roomKey == m_room;
        }));
        QVERIFY(anyMessage(received, 0, [&](const ChatMessage &m) {
            return m.id == stored.id && m.kind == MessageKind::Stamp && m.stampId == s("3");
        }));
    }

    void resendWithSameClientIdIsStoredOnce()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        QSignalSpy aliceSubscribed(alice.get(), &Backend::subscribed);
        QSignalSpy bobSubscribed(bob.get(), &Backend::subscribed);
        alice->subscribe(m_room);
        bob->subscribe(m_room);
        alice->connectToServer();
        bob->connectToServer();
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QTRY_COMPARE(bobSubscribed.size(), 1);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        const OutgoingMessage message{m_room, {}, s("same-id"), MessageKind::Text, s("once"), {}, 0, 0};
        alice->send(message);
        QTRY_COMPARE(acked.size(), 1);
        alice->send(message); // e.g. the ack got lost and MessageSender tried again
        QTRY_COMPARE(acked.size(), 2);
        QCOMPARE(acked.at(1).at(1).value<ChatMessage>().id, acked.at(0).at(1).value<ChatMessage>().id);
        const QString id = acked.at(0).at(1).value<ChatMessage>().id;
        QTRY_VERIFY(anyMessage(received, 0, [&](const ChatMessage &m) { return m.id == id; }));
        const auto copies = std::count_if(received.cbegin(), received.cend(), [](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == s("once");
        });
        QCOMPARE(int(copies), 1); // stored once, delivered once (live and catch-up overlap)
    }

    void lobbyAndRejection()
    {
        auto alice = signedIn(s("alice"));
        auto carol = signedIn(s("carol"));
        QSignalSpy aliceSubscribed(alice.get(), &Backend::subscribed);
        QSignalSpy carolSubscribed(carol.get(), &Backend::subscribed);
        QSignalSpy carolErrors(carol.get(), &Backend::errorOccurred);
        alice->subscribe(CableBackend::lobbyKey());
        carol->subscribe(CableBackend::lobbyKey());
        carol->subscribe(m_room); // not hers
        alice->connectToServer();
        carol->connectToServer();
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QCOMPARE(aliceSubscribed.first().first().toString(), s("lobby"));
        QTRY_COMPARE(carolSubscribed.size(), 1);
        QTRY_VERIFY(std::any_of(carolErrors.cbegin(), carolErrors.cend(), [](const QList<QVariant> &args) {
            return args.first().toString().contains(s("rejected"));
        }));
        QVERIFY(!carol->canSendTo(m_room));
        QVERIFY(carol->canSendTo(CableBackend::lobbyKey()));
        QSignalSpy failed(carol.get(), &Backend::sendFailed);
        carol->send({m_room, {}, s("x-1"), MessageKind::Text, s("let me in"), {}, 0, 0});
        QCOMPARE(failed.size(), 1);

        QSignalSpy received(alice.get(), &Backend::messageReceived);
        QSignalSpy acked(carol.get(), &Backend::messageAcked);
        carol->send({CableBackend::lobbyKey(), {}, s("l-1"), MessageKind::Text, s("hello lobby"), {}, 0, 0});
        QVERIFY(acked.wait());
        QTRY_VERIFY(anyMessage(received, 0, [](const ChatMessage &m) {
            return m.roomKey == s("lobby") && m.text == s("hello lobby") && m.sender.username == s("carol");
        }));
    }

    void crossDialectWithRooms()
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, s("alice"), s("password123"));
        RoomsBackend alice(settings);
        auto bob = signedIn(s("bob"));
        QSignalSpy aliceSubscribed(&alice, &Backend::subscribed);
        QSignalSpy bobSubscribed(bob.get(), &Backend::subscribed);
        alice.subscribe(m_room);
        bob->subscribe(m_room);
        alice.connectToServer();
        bob->connectToServer();
        QTRY_COMPARE(aliceSubscribed.size(), 1);
        QTRY_COMPARE(bobSubscribed.size(), 1);

        QSignalSpy bobReceived(bob.get(), &Backend::messageReceived);
        QSignalSpy aliceAcked(&alice, &Backend::messageAcked);
        alice.send({m_room, {}, s("r-1"), MessageKind::Text, s("from rooms"), {}, 0, 0});
        QVERIFY(aliceAcked.wait());
        const QString roomsId = aliceAcked.first().at(1).value<ChatMessage>().id;
        QTRY_VERIFY(anyMessage(bobReceived, 0, [&](const ChatMessage &m) {
            return m.id == roomsId && m.text == s("from rooms") && m.roomKey == m_room
                && m.sender.id == QString::number(m_alice.id);
        }));

        QSignalSpy aliceReceived(&alice, &Backend::messageReceived);
        QSignalSpy bobAcked(bob.get(), &Backend::messageAcked);
        bob->send({m_room, {}, s("k-1"), MessageKind::Text, s("from cable"), {}, 0, 0});
        QVERIFY(bobAcked.wait());
        const QString cableId = bobAcked.first().at(1).value<ChatMessage>().id;
        QTRY_VERIFY(anyMessage(aliceReceived, 0, [&](const ChatMessage &m) {
            return m.id == cableId && m.text == s("from cable") && m.sender.username == s("bob");
        }));
    }

    void reconnectsAndCatchesUp()
    {
        auto alice = signedIn(s("alice"));
        // Slow enough that Bob's message lands before Alice is back: it must come from catch-up.
        alice->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(1500), std::chrono::milliseconds(1500), 1.0, 0.0);
        alice->subscribe(m_room);
        QSignalSpy subscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QTRY_COMPARE(subscribed.size(), 1);
        QSignalSpy received(alice.get(), &Backend::messageReceived);

        m_server->stop();
        QVERIFY(m_server->start());
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_room.toLongLong()}, {s("content"), s("while you were out")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(anyMessage(received, 0, [this](const ChatMessage &m) {
            return m.text == s("while you were out") && m.roomKey == m_room && !m.id.isEmpty() && !m.outgoing;
        }), 10000);
        QCOMPARE(subscribed.size(), 2);
    }

    void loadsHistoryFromNatter()
    {
        for (int i = 0; i < 25; ++i)
            QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                    QJsonObject{{s("room"), m_room.toLongLong()}, {s("content"), QString::number(i)}},
                                    m_alice.token).status, 201);
        auto bob = signedIn(s("bob"));
        bob->connectToServer();
        QVERIFY(waitConnected(*bob));
        QVERIFY(bob->can(Backend::Capability::History));
        QSignalSpy history(bob.get(), &Backend::historyLoaded);
        bob->loadHistory(m_room, {}, 20);
        QVERIFY(history.wait());
        auto page = history.takeFirst().at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 20);
        QCOMPARE(page.first().text, s("24"));
        bob->loadHistory(m_room, page.last().id, 20);
        QVERIFY(history.wait());
        const auto args = history.takeFirst();
        page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 5);
        QCOMPARE(page.last().text, s("0"));
        QCOMPARE(args.at(2).toBool(), true);
    }

    // ---- against a wire-level fake of the spec ------------------------------------

    void identifiers()
    {
        QCOMPARE(CableBackend::identifierFor(s("lobby")), lobbyIdentifier);
        QCOMPARE(CableBackend::identifierFor(s("7")), room7Identifier);
        QCOMPARE(CableBackend::roomKeyFor(QJsonValue(room7Identifier)).value_or(QString()), s("7"));
        QCOMPARE(CableBackend::roomKeyFor(QJsonValue(s(R"({ "room_id": "7", "channel": "MessageChannel" })")))
                     .value_or(QString()),
                 s("7"));
        QCOMPARE(CableBackend::roomKeyFor(QJsonObject{{s("channel"), s("MessageChannel")}}).value_or(QString()),
                 s("lobby"));
        QVERIFY(!CableBackend::roomKeyFor(QJsonValue(s(R"({"channel":"OtherChannel"})"))));
    }

    void welcomeComesBeforeSubscribing()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->setStaleThreshold(std::chrono::milliseconds(300));
        client->subscribe(s("7"));
        client->subscribe(s("lobby"));
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        QCOMPARE(fake.at(0).url.path(), s("/cable"));
        QCOMPARE(QUrlQuery(fake.at(0).url).queryItemValue(s("token")), s("t0k3n"));
        QCOMPARE(fake.at(0).subprotocol, s("actioncable-v1-json"));

        // No welcome: the client waits, says nothing, and after the silence starts over.
        QTRY_COMPARE(fake.count(), 2);
        client->setStaleThreshold(std::chrono::milliseconds(5000)); // from the next frame on
        QVERIFY(fake.at(0).frames.isEmpty());
        QVERIFY(client->connectionState() != Backend::ConnectionState::Connected);

        welcomeAndConfirm(fake, 1, 2);
        QSet<QString> identifiers;
        for (int i = 0; i < 2; ++i) {
            const QJsonObject frame = fake.frame(1, i);
            QCOMPARE(frame.size(), 2);
            QCOMPARE(frame.value(s("command")).toString(), s("subscribe"));
            QVERIFY(frame.value(s("identifier")).isString()); // JSON inside a JSON string
            identifiers.insert(frame.value(s("identifier")).toString());
        }
        QCOMPARE(identifiers, (QSet<QString>{lobbyIdentifier, room7Identifier}));
        QTRY_COMPARE(subscribed.size(), 2);
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);
        QVERIFY(client->canSendTo(s("7")));
        QVERIFY(!client->can(Backend::Capability::RoomList)); // not Natter: no extras
    }

    void sendFramesAndEchoAcks()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        subscribeToRoom7(fake, *client);
        if (QTest::currentTestFailed())
            return;

        client->send({s("7"), {}, s("c-1"), MessageKind::Text, s("Hello!"), {}, 0, 0});
        client->send({s("7"), {}, s("c-2"), MessageKind::Stamp, {}, s("3"), 0, 0});
        client->send({s("7"), {}, s("c-3"), MessageKind::Location, {}, {}, 35.5, -120.25});
        QTRY_COMPARE(fake.at(0).frames.size(), 4);
        const QJsonObject expectedData[] = {
            {{s("action"), s("send_message")}, {s("message"), s("Hello!")}, {s("temp_id"), s("c-1")}},
            {{s("action"), s("send_stamp")}, {s("stamp_id"), 3}, {s("temp_id"), s("c-2")}},
            {{s("action"), s("send_location")}, {s("latitude"), 35.5}, {s("longitude"), -120.25}, {s("temp_id"), s("c-3")}},
        };
        for (int i = 0; i < 3; ++i) {
            const QJsonObject frame = fake.frame(0, i + 1);
            QCOMPARE(frame.size(), 3);
            QCOMPARE(frame.value(s("command")).toString(), s("message"));
            QCOMPARE(frame.value(s("identifier")).toString(), room7Identifier);
            QVERIFY(frame.value(s("data")).isString()); // ActionCable sends data as JSON text
            QCOMPARE(parse(frame.value(s("data")).toString()), expectedData[i]);
        }

        // The echo with our temp id is the ack; a message without one is news.
        QSignalSpy acked(client.get(), &Backend::messageAcked);
        QSignalSpy received(client.get(), &Backend::messageReceived);
        QSignalSpy failed(client.get(), &Backend::sendFailed);
        fake.send(0, {{s("identifier"), room7Identifier},
                      {s("message"), QJsonObject{{s("id"), 99}, {s("message"), s("Hello!")}, {s("temp_id"), s("c-1")},
                                                 {s("user"), QJsonObject{{s("id"), 5}, {s("username"), s("me")}}}}}});
        fake.send(0, {{s("identifier"), room7Identifier},
                      {s("message"), QJsonObject{{s("id"), 100}, {s("kind"), s("stamp")}, {s("stamp_id"), 4},
                                                 {s("user"), QJsonObject{{s("id"), 6}, {s("username"), s("zoe")}}}}}});
        // Natter's error frame for a refused send.
        fake.send(0, {{s("type"), s("error")}, {s("message"), s("Unknown stamp: 3")}, {s("temp_id"), s("c-2")}});
        QTRY_COMPARE(acked.size(), 1);
        QCOMPARE(acked.first().at(0).toString(), s("c-1"));
        QCOMPARE(acked.first().at(1).value<ChatMessage>().id, s("99"));
        // The same message again (e.g. live and from catch-up) is news once; the next one is news.
        const QJsonObject again{{s("identifier"), room7Identifier},
                                {s("message"), QJsonObject{{s("id"), 100}, {s("kind"), s("stamp")}, {s("stamp_id"), 4}}}};
        fake.send(0, again);
        fake.send(0, {{s("identifier"), room7Identifier},
                      {s("message"), QJsonObject{{s("id"), 101}, {s("message"), s("next")}}}});
        QTRY_COMPARE(received.size(), 2);
        QCOMPARE(received.at(1).first().value<ChatMessage>().id, s("101"));
        const auto news = received.first().first().value<ChatMessage>();
        QCOMPARE(news.roomKey, s("7"));
        QCOMPARE(news.id, s("100"));
        QVERIFY(news.kind == MessageKind::Stamp);
        QCOMPARE(news.stampId, s("4"));
        QCOMPARE(news.sender.id, s("6"));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), s("c-2"));
        QCOMPARE(failed.first().at(1).toString(), s("Unknown stamp: 3"));
    }

    // A server that is not Natter broadcasts our message without the temp id:
    // the echo from us (or, while we do not know who we are, the same content
    // within moments) acks it once, and the send is never written again.
    void echoWithoutTempIdAcksOnceAndIsNotWrittenAgain()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake); // "t0k3n" is no JWT: we do not know who we are
        subscribeToRoom7(fake, *client);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(client->self().id.isEmpty());

        QSignalSpy acked(client.get(), &Backend::messageAcked);
        QSignalSpy received(client.get(), &Backend::messageReceived);
        const OutgoingMessage hello{s("7"), {}, s("c-1"), MessageKind::Text, s("Hello!"), {}, 0, 0};
        const OutgoingMessage again{s("7"), {}, s("c-2"), MessageKind::Text, s("Hello!"), {}, 0, 0};
        client->send(hello);
        client->send(again); // the same text twice on purpose
        QTRY_COMPARE(fake.at(0).frames.size(), 3);

        auto broadcast = [&](int id, int userId, const QString &text) {
            fake.send(0, {{s("identifier"), room7Identifier},
                          {s("message"), QJsonObject{{s("id"), id}, {s("message"), text}, {s("user_id"), userId},
                                                     {s("user"), QJsonObject{{s("id"), userId}, {s("username"), s("me")}}}}}});
        };
        // Someone else's text in another room first: news.
        fake.send(0, {{s("identifier"), room7Identifier},
                      {s("message"), QJsonObject{{s("id"), 40}, {s("message"), s("Hi there")}, {s("user_id"), 9}}}});
        QTRY_COMPARE(received.size(), 1);
        broadcast(41, 5, s("Hello!"));
        QTRY_COMPARE(acked.size(), 1);
        QCOMPARE(acked.at(0).at(0).toString(), s("c-1"));
        QCOMPARE(acked.at(0).at(1).value<ChatMessage>().id, s("41"));
        QVERIFY(acked.at(0).at(1).value<ChatMessage>().outgoing);
        QCOMPARE(client->self().id, s("5")); // learnt from our own echo

        // The outbox's ack timeout (or a reconnect) sends a client id again: nothing is written.
        client->send(again);
        client->send(hello);
        broadcast(42, 5, s("Hello!"));
        QTRY_COMPARE(acked.size(), 2);
        QCOMPARE(acked.at(1).at(0).toString(), s("c-2"));
        // Now known as 5: another user's identical text is news, not an ack.
        broadcast(43, 9, s("Hello!"));
        QTRY_COMPARE(received.size(), 2);
        QVERIFY(!received.at(1).first().value<ChatMessage>().outgoing);
        QCOMPARE(fake.at(0).frames.size(), 3);
        QCOMPARE(acked.size(), 2);

        // A send the sender gave up on is the user's new try: written again.
        const OutgoingMessage lost{s("7"), {}, s("c-3"), MessageKind::Text, s("lost"), {}, 0, 0};
        client->send(lost);
        QTRY_COMPARE(fake.at(0).frames.size(), 4);
        client->send(lost);
        client->abandonSend(s("c-3"));
        client->send(lost);
        QTRY_COMPARE(fake.at(0).frames.size(), 5);
    }

    // A token whose claims name the user as user_id (not sub) says who we are.
    void userIdClaimNamesSelf()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        Backend::Settings settings;
        settings.serverUrl = fake.serverUrl();
        auto part = [](const char *json) {
            return QByteArray(json).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        settings.signIn.token = QString::fromLatin1(part(R"({"alg":"HS256","typ":"JWT"})") + '.'
                                                    + part(R"({"user_id":12,"username":"kim"})") + ".c2ln");
        CableBackend client(settings);
        QSignalSpy connected(&client, &Backend::connected);
        client.connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        fake.send(0, {{s("type"), s("welcome")}});
        QTRY_COMPARE(connected.size(), 1);
        QCOMPARE(client.self().id, s("12"));
        QCOMPARE(client.self().username, s("kim"));
    }

    void pingsKeepTheLinkSilenceReconnects()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->setStaleThreshold(std::chrono::milliseconds(400));
        client->subscribe(s("7"));
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        welcomeAndConfirm(fake, 0, 1);
        QTRY_COMPARE(subscribed.size(), 1);

        // Pings every 100 ms for 1.5 s (well past the threshold): the link stays.
        int pings = 0;
        QTimer pinger;
        QObject::connect(&pinger, &QTimer::timeout, &pinger, [&] {
            fake.send(0, {{s("type"), s("ping")}, {s("message"), QDateTime::currentSecsSinceEpoch()}});
            ++pings;
        });
        pinger.start(100);
        QTRY_VERIFY_WITH_TIMEOUT(pings >= 15, 5000);
        pinger.stop();
        QCOMPARE(fake.count(), 1);
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);

        // Silence: dead link, reconnect, welcome, subscribed again.
        QTRY_COMPARE(fake.count(), 2);
        QTRY_VERIFY(fake.at(0).closed);
        welcomeAndConfirm(fake, 1, 1);
        QCOMPARE(fake.frame(1, 0).value(s("identifier")).toString(), room7Identifier);
        QTRY_COMPARE(subscribed.size(), 2);
    }

    void rejectedSubscription()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->subscribe(s("7"));
        QSignalSpy errors(client.get(), &Backend::errorOccurred);
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        fake.send(0, {{s("type"), s("welcome")}});
        QTRY_COMPARE(fake.at(0).frames.size(), 1);
        fake.send(0, {{s("identifier"), room7Identifier}, {s("type"), s("reject_subscription")}});
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("rejected")));
        QVERIFY(errors.first().first().toString().contains(s("7")));
        QVERIFY(subscribed.isEmpty());
        QVERIFY(!client->canSendTo(s("7")));
        QSignalSpy failed(client.get(), &Backend::sendFailed);
        client->send({s("7"), {}, s("c-1"), MessageKind::Text, s("no"), {}, 0, 0});
        QCOMPARE(failed.size(), 1);
        QCOMPARE(fake.at(0).frames.size(), 1); // nothing went out
        QVERIFY(client->connectionState() == Backend::ConnectionState::Connected);
    }

    void disconnectWithoutReconnectGivesUp()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        QSignalSpy errors(client.get(), &Backend::errorOccurred);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        fake.send(0, {{s("type"), s("disconnect")}, {s("reason"), s("unauthorized")}, {s("reconnect"), false}});
        fake.close(0, QWebSocketProtocol::CloseCodeNormal);
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("unauthorized")));
        QTRY_VERIFY(client->connectionState() == Backend::ConnectionState::Disconnected);
        QTRY_VERIFY(fake.at(0).closed);
        QCOMPARE(client->reconnectPolicy().attempts(), 0); // no reconnect was scheduled
        QCOMPARE(fake.count(), 1);
    }

    void disconnectWithReconnectComesBack()
    {
        FakeWsServer fake({s("actioncable-v1-json")});
        QVERIFY(fake.listen());
        auto client = fakeClient(fake);
        client->subscribe(s("lobby"));
        QSignalSpy subscribed(client.get(), &Backend::subscribed);
        client->connectToServer();
        QTRY_COMPARE(fake.count(), 1);
        welcomeAndConfirm(fake, 0, 1);
        QTRY_COMPARE(subscribed.size(), 1);
        fake.send(0, {{s("type"), s("disconnect")}, {s("reason"), s("server_restart")}, {s("reconnect"), true}});
        QTRY_COMPARE(fake.count(), 2);
        welcomeAndConfirm(fake, 1, 1);
        QCOMPARE(fake.frame(1, 0).value(s("identifier")).toString(), lobbyIdentifier);
        QTRY_COMPARE(subscribed.size(), 2);
        QCOMPARE(subscribed.at(1).first().toString(), s("lobby"));
    }
};

QTEST_GUILESS_MAIN(TestCableBackend)
#include "tst_cablebackend.moc"
