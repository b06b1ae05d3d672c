// The `cable` dialect (spec 000, ActionCable) over a real WebSocket: a client
// written from the spec and Rails' wire behaviour — welcome, pings,
// subscriptions, the three message kinds, cross-dialect fan-out — every bad
// input, and the stamp catalogue with its ETag.

#include "servertestmain.h"
#include "cableformat.h"
#include "hub.h"
#include "stampcatalogue.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocketHandshakeOptions>

using namespace natter;
namespace cable = natter::server::cable;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

QString lobbyIdentifier() { return s(R"({"channel":"MessageChannel"})"); }
QString roomIdentifier(qint64 roomId)
{
    return s(R"({"channel":"MessageChannel","room_id":%1})").arg(roomId);
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

auto isType(const QString &type)
{
    return [type](const QJsonObject &frame) { return frame.value(s("type")).toString() == type; };
}

// A message frame ({"identifier", "message"}, no type) for this identifier.
auto isMessageFor(const QJsonValue &identifier)
{
    return [identifier](const QJsonObject &frame) {
        return !frame.contains(s("type")) && frame.value(s("identifier")) == identifier
            && frame.value(s("message")).isObject();
    };
}

auto isMessageWithText(const QString &text)
{
    return [text](const QJsonObject &frame) {
        return !frame.contains(s("type"))
            && frame.value(s("message")).toObject().value(s("message")).toString() == text;
    };
}

auto isSubscriptionAnswer(const QString &type, const QJsonValue &identifier)
{
    return [type, identifier](const QJsonObject &frame) {
        return frame.value(s("type")).toString() == type && frame.value(s("identifier")) == identifier;
    };
}

} // namespace

class TestCableDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    qint64 m_lobbyId = 0;
    qint64 m_groupId = 0; // alice and bob
    qint64 m_otherId = 0; // bob and carol, not alice

    server::Store &store() { return m_server->server().store(); }

    QUrl cableUrl(const QString &token) const
    {
        return m_server->wsUrl(token.isNull() ? s("/cable") : s("/cable?token=") + token);
    }

    std::unique_ptr<WsClient> connectCable(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(cableUrl(account.token)) || !client->waitForType(s("welcome")))
            return nullptr;
        return client;
    }

    static bool subscribe(WsClient &client, const QJsonValue &identifier)
    {
        client.sendJson({{s("command"), s("subscribe")}, {s("identifier"), identifier}});
        return client.waitFor(isSubscriptionAnswer(s("confirm_subscription"), identifier)).has_value();
    }

    std::unique_ptr<WsClient> subscribed(const Account &account, const QJsonValue &identifier)
    {
        auto client = connectCable(account);
        if (!client || !subscribe(*client, identifier))
            return nullptr;
        return client;
    }

    // A `message` command; `data` as the JSON text Rails clients send, or as an object.
    static void perform(WsClient &client, const QJsonValue &identifier, const QJsonObject &data,
                        bool dataAsString = true)
    {
        client.sendJson({{s("command"), s("message")},
                         {s("identifier"), identifier},
                         {s("data"), dataAsString ? QJsonValue(compact(data)) : QJsonValue(data)}});
    }

    static QJsonObject say(const QString &text)
    {
        return {{s("action"), s("send_message")}, {s("message"), text}};
    }

    int stored(qint64 roomId) { return store().messageCount(roomId); }

    // Connected (welcome received) with QWebSocketHandshakeOptions asking for actioncable-v1-json.
    static std::unique_ptr<WsClient> subprotocolClient(const QUrl &url)
    {
        auto client = std::make_unique<WsClient>();
        QWebSocketHandshakeOptions options;
        options.setSubprotocols({s("actioncable-v1-json")});
        QSignalSpy connected(&client->socket(), &QWebSocket::connected);
        client->socket().open(url, options);
        if (!connected.wait() || !client->waitForType(s("welcome")))
            return nullptr;
        return client;
    }

private slots:
    void init()
    {
        auto config = TestServer::defaultConfig();
        config.cablePingInterval = std::chrono::milliseconds(150);
        config.allowedOrigins = {s("https://www.wh00.ooo")};
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        m_lobbyId = store().lobby()->id;

        const auto group = m_server->post(s("/api/groups"), QJsonObject{{s("name"), s("Team")}}, m_alice.token);
        QCOMPARE(group.status, 201);
        m_groupId = group.json.value(s("id")).toInteger();
        QVERIFY(store().setMembership(m_groupId, m_bob.id, MembershipState::Active));

        const auto other = m_server->post(s("/api/groups"), QJsonObject{{s("name"), s("Other")}}, m_bob.token);
        QCOMPARE(other.status, 201);
        m_otherId = other.json.value(s("id")).toInteger();
        QVERIFY(store().setMembership(m_otherId, m_carol.id, MembershipState::Active));
    }

    void cleanup() { m_server.reset(); }

    // --- connecting -----------------------------------------------------------

    void welcomeOnConnect_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("prefix");
        QTest::newRow("query token") << s("?token=") << QByteArray() << QByteArray();
        QTest::newRow("bearer") << QString() << QByteArray("Authorization") << QByteArray("Bearer ");
        QTest::newRow("natter cookie") << QString() << QByteArray("Cookie") << QByteArray("natter_session=");
        QTest::newRow("spec cookie") << QString() << QByteArray("Cookie")
                                     << QByteArray("theme=dark; _message_backend_session=");
    }

    void welcomeOnConnect()
    {
        QFETCH(QString, query);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, prefix);
        WsClient client;
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!header.isEmpty())
            headers.append({header, prefix + m_alice.token.toUtf8()});
        QVERIFY(client.open(m_server->wsUrl(s("/cable") + (query.isEmpty() ? QString() : query + m_alice.token)),
                            headers));
        const auto welcome = client.waitForType(s("welcome"));
        QVERIFY(welcome);
        QCOMPARE(*welcome, QJsonObject({{s("type"), s("welcome")}}));
        QVERIFY(m_server->server().hub().isOnline(m_alice.id));
    }

    void pingsArriveWithUnixSeconds()
    {
        auto client = connectCable(m_alice);
        QVERIFY(client);
        for (int i = 0; i < 2; ++i) {
            const auto ping = client->waitForType(s("ping"), 3000);
            QVERIFY(ping);
            QCOMPARE(ping->size(), 2);
            QVERIFY(ping->value(s("message")).isDouble());
            const qint64 seconds = ping->value(s("message")).toInteger();
            QVERIFY(qAbs(seconds - QDateTime::currentSecsSinceEpoch()) <= 2);
        }
    }

    void badTokenGetsDisconnectAndClose_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("no token") << QString();
        QTest::newRow("garbage") << s("abc.def.ghi");
        QTest::newRow("logged out") << s("LOGGED_OUT");
    }

    void badTokenGetsDisconnectAndClose()
    {
        QFETCH(QString, token);
        if (token == u"LOGGED_OUT") {
            token = m_carol.token;
            QCOMPARE(m_server->post(s("/api/auth/logout"), QByteArray(), token).status, 204);
        }
        // Like Rails: the upgrade succeeds, then the refusal comes as a frame.
        QVERIFY(test::rawUpgradeStatusLine(cableUrl(token)).startsWith("HTTP/1.1 101"));
        WsClient client;
        QSignalSpy connected(&client.socket(), &QWebSocket::connected);
        client.open(cableUrl(token)); // may already be closed again when it returns
        QCOMPARE(connected.size(), 1);
        const auto disconnect = client.waitForType(s("disconnect"));
        QVERIFY(disconnect);
        QCOMPARE(*disconnect, QJsonObject({{s("type"), s("disconnect")},
                                           {s("reason"), s("unauthorized")},
                                           {s("reconnect"), false}}));
        QVERIFY(client.waitForDisconnect());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeNormal);
        QCOMPARE(client.countPending(isType(s("welcome"))), 0);
    }

    void cookieUpgradesAreOriginChecked_data()
    {
        QTest::addColumn<QString>("auth");
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("cookie, foreign origin") << s("cookie") << QByteArray("http://evil.example") << QByteArray("403");
        QTest::newRow("cookie, own origin") << s("cookie") << QByteArray("OWN") << QByteArray("101");
        QTest::newRow("cookie, allowed origin") << s("cookie") << QByteArray("https://www.wh00.ooo") << QByteArray("101");
        QTest::newRow("cookie, no origin") << s("cookie") << QByteArray() << QByteArray("101");
        QTest::newRow("token, foreign origin") << s("token") << QByteArray("http://evil.example") << QByteArray("101");
    }

    void cookieUpgradesAreOriginChecked()
    {
        QFETCH(QString, auth);
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, status);
        const QUrl url = cableUrl(auth == u"token" ? m_alice.token : QString());
        QList<QByteArray> headers;
        if (auth == u"cookie")
            headers.append("Cookie: natter_session=" + m_alice.token.toUtf8());
        if (origin == "OWN")
            origin = "http://" + url.authority().toUtf8();
        if (!origin.isEmpty())
            headers.append("Origin: " + origin);
        const QByteArray line = test::rawUpgradeStatusLine(url, headers);
        QVERIFY2(line.startsWith(QByteArray(QByteArray("HTTP/1.1 ") + status)), line.constData());
    }

    // --- the actioncable-v1-json subprotocol ------------------------------------

    void upgradeNamesTheSubprotocol()
    {
        // What Rails consumers and browsers insist on: the 101 must select it.
        const QByteArray head = test::rawUpgradeHead(
            cableUrl(m_alice.token), {"Sec-WebSocket-Protocol: actioncable-unsupported, actioncable-v1-json"});
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        QCOMPARE(test::headerValue(head, "Sec-WebSocket-Protocol"), QByteArray("actioncable-v1-json"));
    }

    void upgradeWithoutSubprotocolSelectsNone()
    {
        // The spec's own example asks for none.
        const QByteArray head = test::rawUpgradeHead(cableUrl(m_alice.token));
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        QVERIFY(test::headerValue(head, "Sec-WebSocket-Protocol").isEmpty());
        const QByteArray unknown = test::rawUpgradeHead(cableUrl(m_alice.token),
                                                        {"Sec-WebSocket-Protocol: actioncable-unsupported"});
        QVERIFY2(unknown.startsWith("HTTP/1.1 101"), unknown.constData());
        QVERIFY(test::headerValue(unknown, "Sec-WebSocket-Protocol").isEmpty());
    }

    void qtClientAskingForTheSubprotocolGetsIt()
    {
        auto client = subprotocolClient(cableUrl(m_alice.token));
        QVERIFY(client);
        QCOMPARE(client->socket().subprotocol(), s("actioncable-v1-json"));
        QVERIFY(subscribe(*client, lobbyIdentifier()));
        auto bob = subscribed(m_bob, lobbyIdentifier()); // a client asking for none, beside it
        QVERIFY(bob);
        QVERIFY(bob->socket().subprotocol().isEmpty());
        perform(*bob, lobbyIdentifier(), say(s("hello")));
        QVERIFY(client->waitFor(isMessageWithText(s("hello"))));
    }

    void upgradeHeadInPieces()
    {
        // The front door waits for the whole head, however it arrives.
        const QUrl url = cableUrl(m_alice.token);
        const QByteArray request = "GET " + url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority).toUtf8()
            + " HTTP/1.1\r\nHost: " + url.authority().toUtf8()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
              "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: actioncable-v1-json\r\n\r\n";
        QTcpSocket socket;
        QByteArray received;
        connect(&socket, &QTcpSocket::readyRead, &socket, [&] { received += socket.readAll(); });
        QSignalSpy connected(&socket, &QTcpSocket::connected);
        socket.connectToHost(url.host(), static_cast<quint16>(url.port()));
        QVERIFY(connected.wait());
        const qsizetype half = request.size() / 2;
        socket.write(request.first(half));
        QTimer::singleShot(100, &socket, [&] { socket.write(request.sliced(half)); });
        QTRY_VERIFY(received.contains("\r\n\r\n"));
        QVERIFY2(received.startsWith("HTTP/1.1 101"), received.constData());
        QCOMPARE(test::headerValue(received.first(received.indexOf("\r\n\r\n")), "Sec-WebSocket-Protocol"),
                 QByteArray("actioncable-v1-json"));
    }

    void refusalsStillComeBeforeTheUpgrade()
    {
        const QByteArray head = test::rawUpgradeHead(
            cableUrl({}), {"Cookie: natter_session=" + m_alice.token.toUtf8(), "Origin: http://evil.example",
                           "Sec-WebSocket-Protocol: actioncable-v1-json"});
        QVERIFY2(head.startsWith("HTTP/1.1 403"), head.constData());
        QVERIFY(test::headerValue(head, "Sec-WebSocket-Protocol").isEmpty());
    }

    void plainHttpAndOtherDialectsShareThePort()
    {
        QCOMPARE(m_server->get(s("/api/stamp_messages"), m_alice.token).status, 200);
        QCOMPARE(m_server->get(s("/cable?token=") + m_alice.token).status, 426);
        QCOMPARE(m_server->get(s("/no/such/route")).status, 404);
        const QByteArray chats = test::rawUpgradeStatusLine(m_server->wsUrl(s("/chats/ws?token=") + m_alice.token));
        QVERIFY2(chats.startsWith("HTTP/1.1 101"), chats.constData());
    }

    void subprotocolOnAnExtraPortAndShutdown()
    {
        auto config = TestServer::defaultConfig();
        config.extraMounts.append(server::Mount{s("cable"), s("/actioncable"), 0});
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        const Account alice = m_server->registerUser(s("alice"), s("Alice"));
        const QList<quint16> ports = m_server->server().ports();
        QCOMPARE(ports.size(), 2);
        QUrl url(s("ws://127.0.0.1/actioncable?token=") + alice.token);
        url.setPort(ports.at(1));
        auto extra = subprotocolClient(url);
        QVERIFY(extra);
        QCOMPARE(extra->socket().subprotocol(), s("actioncable-v1-json"));
        auto main = subprotocolClient(cableUrl(alice.token));
        QVERIFY(main);

        QSignalSpy stopped(&m_server->server(), &server::ChatServer::stopped);
        m_server->server().shutdown();
        for (WsClient *client : {extra.get(), main.get()}) {
            QVERIFY(client->waitForDisconnect());
            QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        }
        QTRY_COMPARE(stopped.size(), 1);
    }

    void shutdownSendsServerRestart()
    {
        auto client = connectCable(m_alice);
        QVERIFY(client);
        m_server->server().hub().closeAllSessions();
        const auto disconnect = client->waitForType(s("disconnect"));
        QVERIFY(disconnect);
        QCOMPARE(disconnect->value(s("reason")).toString(), s("server_restart"));
        QCOMPARE(disconnect->value(s("reconnect")).toBool(), true);
        QVERIFY(client->waitForDisconnect());
        QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }

    // --- subscriptions --------------------------------------------------------

    void subscribeLobbyAndMemberRoomConfirm()
    {
        auto client = connectCable(m_alice);
        QVERIFY(client);
        client->sendJson({{s("command"), s("subscribe")}, {s("identifier"), lobbyIdentifier()}});
        const auto lobby = client->waitForType(s("confirm_subscription"));
        QVERIFY(lobby);
        QCOMPARE(*lobby, QJsonObject({{s("identifier"), lobbyIdentifier()},
                                      {s("type"), s("confirm_subscription")}}));
        QVERIFY(subscribe(*client, roomIdentifier(m_groupId)));
        // room_id as a string, as Rails params often are.
        QVERIFY(subscribe(*client, s(R"({"channel":"MessageChannel","room_id":"%1"})").arg(m_groupId)));
        // A direct room opened through the rooms REST API.
        const auto direct = m_server->post(s("/api/v1.0/chat/rooms/"),
                                           QJsonObject{{s("participant"), m_carol.id}}, m_alice.token);
        QCOMPARE(direct.status, 201);
        QVERIFY(subscribe(*client, roomIdentifier(direct.json.value(s("id")).toInteger())));
    }

    void subscriptionsRejected_data()
    {
        QTest::addColumn<QString>("identifier");
        QTest::newRow("not a member") << s(R"({"channel":"MessageChannel","room_id":OTHER})");
        QTest::newRow("invited only") << s(R"({"channel":"MessageChannel","room_id":INVITED})");
        QTest::newRow("no such room") << s(R"({"channel":"MessageChannel","room_id":999999})");
        QTest::newRow("bad room id") << s(R"({"channel":"MessageChannel","room_id":"abc"})");
        QTest::newRow("unknown channel") << s(R"({"channel":"ChatChannel"})");
        QTest::newRow("no channel") << s(R"({"room_id":1})");
        QTest::newRow("not JSON") << s(R"({"channel":"MessageChannel")");
        QTest::newRow("spec as printed") << s(R"("{"channel":"MessageChannel"}")");
    }

    void subscriptionsRejected()
    {
        QFETCH(QString, identifier);
        const auto invited = m_server->post(s("/api/groups"), QJsonObject{{s("name"), s("Later")}}, m_bob.token);
        const qint64 invitedId = invited.json.value(s("id")).toInteger();
        QVERIFY(store().setMembership(invitedId, m_alice.id, MembershipState::Invited));
        identifier.replace(s("OTHER"), QString::number(m_otherId))
            .replace(s("INVITED"), QString::number(invitedId));

        auto client = connectCable(m_alice);
        QVERIFY(client);
        client->sendJson({{s("command"), s("subscribe")}, {s("identifier"), identifier}});
        const auto reject = client->waitForType(s("reject_subscription"));
        QVERIFY(reject);
        QCOMPARE(*reject, QJsonObject({{s("identifier"), identifier},
                                       {s("type"), s("reject_subscription")}}));
        // Nothing follows from a rejected identifier.
        perform(*client, identifier, say(s("hi")));
        const auto error = client->waitForType(s("error"));
        QVERIFY(error);
        QCOMPARE(error->value(s("message")).toString(), s("Not subscribed to this identifier"));
        QVERIFY(client->isConnected());
    }

    void identifierEchoedExactlyAsEachClientSpellsIt()
    {
        const QString aliceSpelling = roomIdentifier(m_groupId);
        const QString bobSpelling = s(R"({ "room_id" : "%1",  "channel" : "MessageChannel" })").arg(m_groupId);
        auto alice = subscribed(m_alice, aliceSpelling);
        auto bob = subscribed(m_bob, bobSpelling);
        QVERIFY(alice && bob);
        perform(*alice, aliceSpelling, say(s("spelled")));
        const auto mine = alice->waitFor(isMessageFor(aliceSpelling));
        const auto theirs = bob->waitFor(isMessageFor(bobSpelling));
        QVERIFY(mine && theirs);
        QCOMPARE(mine->value(s("message")), theirs->value(s("message")));
    }

    void identifierAsPlainObjectIsAccepted()
    {
        // The spec prints the identifier as an object; replies echo the object.
        const QJsonObject object{{s("channel"), s("MessageChannel")}};
        auto alice = connectCable(m_alice);
        auto bob = subscribed(m_bob, lobbyIdentifier());
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*alice, object));
        perform(*alice, object, say(s("Hello!")), false);
        const auto echo = alice->waitFor(isMessageFor(object));
        QVERIFY(echo);
        QCOMPARE(echo->value(s("message")).toObject().value(s("message")).toString(), s("Hello!"));
        QVERIFY(bob->waitFor(isMessageFor(lobbyIdentifier())));
        // The same identifier as a string names the same subscription.
        perform(*alice, lobbyIdentifier(), say(s("as string")));
        QVERIFY(alice->waitFor(isMessageFor(object)));
        QCOMPARE(stored(m_lobbyId), 2);
    }

    void doubleSubscribeConfirmsAgainAndDeliversOnce()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        QVERIFY(subscribe(*alice, lobbyIdentifier()));
        perform(*alice, lobbyIdentifier(), say(s("one")));
        QVERIFY(alice->waitFor(isMessageWithText(s("one"))));
        perform(*alice, lobbyIdentifier(), say(s("two")));
        QVERIFY(alice->waitFor(isMessageWithText(s("two"))));
        QCOMPARE(alice->countPending(isMessageFor(lobbyIdentifier())), 0);
    }

    void unsubscribeStopsDelivery()
    {
        auto alice = connectCable(m_alice);
        auto bob = subscribed(m_bob, roomIdentifier(m_groupId));
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*alice, roomIdentifier(m_groupId)));
        QVERIFY(subscribe(*alice, lobbyIdentifier()));
        QVERIFY(subscribe(*bob, lobbyIdentifier()));
        QVERIFY(m_server->server().hub().sessionsOf(m_alice.id).first()->followsRoom(m_groupId));
        alice->sendJson({{s("command"), s("unsubscribe")}, {s("identifier"), roomIdentifier(m_groupId)}});
        perform(*alice, roomIdentifier(m_groupId), say(s("gone")));
        const auto error = alice->waitForType(s("error"));
        QVERIFY(error);
        QCOMPARE(error->value(s("message")).toString(), s("Not subscribed to this identifier"));
        QVERIFY(!m_server->server().hub().sessionsOf(m_alice.id).first()->followsRoom(m_groupId));

        // Bob's room message no longer reaches Alice; his lobby message after it does.
        perform(*bob, roomIdentifier(m_groupId), say(s("in the room")));
        perform(*bob, lobbyIdentifier(), say(s("in the lobby")));
        QVERIFY(alice->waitFor(isMessageWithText(s("in the lobby"))));
        QCOMPARE(alice->countPending(isMessageWithText(s("in the room"))), 0);
        QCOMPARE(stored(m_groupId), 1);
    }

    // Natter's room_update rides on the lobby's subscription: a room someone
    // opens with us, an invitation and its answer arrive without a room list poll.
    void roomChangesArriveOnTheLobbySubscription()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        auto isRoomUpdate = [](const QString &change) {
            return [change](const QJsonObject &frame) {
                const QJsonObject message = frame.value(s("message")).toObject();
                return frame.value(s("identifier")).toString() == lobbyIdentifier()
                    && message.value(s("type")).toString() == s("room_update")
                    && message.value(s("change")).toString() == change;
            };
        };
        server::Hub &hub = m_server->server().hub();
        const auto direct = hub.openDirectRoom(m_carol.id, m_alice.id);
        QVERIFY(direct && direct->created);
        const auto created = alice->waitFor(isRoomUpdate(s("created")));
        QVERIFY(created);
        const QJsonObject update = created->value(s("message")).toObject();
        QCOMPARE(update.value(s("room_id")).toInteger(), direct->room.id);
        QCOMPARE(update.value(s("room_uuid")).toString(), direct->room.uuid.toString(QUuid::WithoutBraces));
        QVERIFY(!update.contains(s("id"))); // never taken for a chat message

        const auto group = hub.createGroup(s("Chess"), m_carol.id);
        QVERIFY(group);
        QVERIFY(hub.inviteToGroup(m_carol.id, group->id, m_alice.id) == server::MembershipOutcome::Done);
        const auto invited = alice->waitFor(isRoomUpdate(s("membership")));
        QVERIFY(invited);
        QCOMPARE(invited->value(s("message")).toObject().value(s("state")).toString(), s("invited"));
        QCOMPARE(invited->value(s("message")).toObject().value(s("member_id")).toInteger(), m_alice.id);

        // Without a lobby subscription nothing can carry it.
        auto bob = connectCable(m_bob);
        QVERIFY(bob);
        QVERIFY(hub.openDirectRoom(m_carol.id, m_bob.id));
        QVERIFY(subscribe(*bob, roomIdentifier(m_groupId))); // a frame after the event: the order proves it
        QCOMPARE(bob->countPending(isRoomUpdate(s("created"))), 0);
    }

    // --- messages -------------------------------------------------------------

    void dataAsStringAndAsObjectBothWork()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        auto bob = subscribed(m_bob, lobbyIdentifier());
        QVERIFY(alice && bob);
        perform(*alice, lobbyIdentifier(), say(s("as string")), true);
        perform(*alice, lobbyIdentifier(), say(s("as object")), false);
        QVERIFY(bob->waitFor(isMessageWithText(s("as string"))));
        QVERIFY(bob->waitFor(isMessageWithText(s("as object"))));
        QCOMPARE(stored(m_lobbyId), 2);
    }

    void sendMessageReachesCableAndRoomsSubscribersOnce()
    {
        const QString identifier = roomIdentifier(m_groupId);
        auto alice = subscribed(m_alice, identifier);
        auto bob = subscribed(m_bob, identifier);
        QVERIFY(alice && bob);
        WsClient bobRooms;
        QVERIFY(bobRooms.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_groupId).arg(m_bob.token))));
        QVERIFY(bobRooms.waitForType(s("connection_established")));

        QJsonObject data = say(s("Hello!"));
        data.insert(s("temp_id"), s("tmp-1"));
        perform(*alice, identifier, data);
        const auto received = bob->waitFor(isMessageFor(identifier));
        QVERIFY(received);
        QCOMPARE(received->size(), 2); // identifier and message, nothing else
        const QJsonObject message = received->value(s("message")).toObject();
        const qint64 id = message.value(s("id")).toInteger();
        QVERIFY(id > 0);
        QCOMPARE(message.value(s("room_id")).toInteger(), m_groupId);
        QCOMPARE(message.value(s("room_uuid")).toString(),
                 store().roomById(m_groupId)->uuid.toString(QUuid::WithoutBraces));
        QCOMPARE(message.value(s("kind")).toString(), s("text"));
        QCOMPARE(message.value(s("message")).toString(), s("Hello!"));
        QCOMPARE(message.value(s("temp_id")).toString(), s("tmp-1"));
        QCOMPARE(message.value(s("user")).toObject(),
                 QJsonObject({{s("id"), m_alice.id}, {s("username"), s("alice")}, {s("display_name"), s("Alice")}}));
        QVERIFY(QDateTime::fromString(message.value(s("created_at")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!message.contains(s("stamp_id")));
        QVERIFY(!message.contains(s("latitude")));
        // The sender's own subscription is its acknowledgement.
        const auto echo = alice->waitFor(isMessageFor(identifier));
        QVERIFY(echo);
        QCOMPARE(echo->value(s("message")).toObject(), message);

        const auto roomsFrame = bobRooms.waitForType(s("message"));
        QVERIFY(roomsFrame);
        QCOMPARE(roomsFrame->value(s("message")).toObject().value(s("id")).toInteger(), id);
        QCOMPARE(roomsFrame->value(s("message")).toObject().value(s("content")).toString(), s("Hello!"));

        // Once: a later message arrives with nothing in between.
        perform(*alice, identifier, say(s("marker")));
        QVERIFY(bob->waitFor(isMessageWithText(s("marker"))));
        QVERIFY(bobRooms.waitFor([](const QJsonObject &f) {
            return f.value(s("message")).toObject().value(s("content")).toString() == s("marker");
        }));
        QCOMPARE(bob->countPending(isMessageFor(identifier)), 0);
        QCOMPARE(bobRooms.countPending(isType(s("message"))), 0);
        QCOMPARE(stored(m_groupId), 2);
    }

    void roomsMessageReachesCableInCableFormat()
    {
        const QString identifier = roomIdentifier(m_groupId);
        auto alice = subscribed(m_alice, identifier);
        QVERIFY(alice);
        WsClient bobRooms;
        QVERIFY(bobRooms.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_groupId).arg(m_bob.token))));
        QVERIFY(bobRooms.waitForType(s("connection_established")));
        // Typing has no cable frame; the message that follows is the next thing Alice gets.
        bobRooms.sendJson({{s("type"), s("typing_on")}});
        bobRooms.sendJson({{s("type"), s("message")}, {s("content"), s("From rooms")}, {s("temp_id"), s("r-9")}});
        const auto frame = alice->waitFor([](const QJsonObject &f) { return !f.contains(s("type")); });
        QVERIFY(frame);
        QCOMPARE(frame->value(s("identifier")).toString(), identifier);
        const QJsonObject message = frame->value(s("message")).toObject();
        QCOMPARE(message.value(s("message")).toString(), s("From rooms"));
        QCOMPARE(message.value(s("kind")).toString(), s("text"));
        QCOMPARE(message.value(s("room_id")).toInteger(), m_groupId);
        QCOMPARE(message.value(s("temp_id")).toString(), s("r-9"));
        QCOMPARE(message.value(s("user")).toObject().value(s("id")).toInteger(), m_bob.id);
        QCOMPARE(message.value(s("user")).toObject().value(s("username")).toString(), s("bob"));
        QCOMPARE(alice->countPending([](const QJsonObject &f) {
            const QString type = f.value(s("type")).toString();
            return type != u"ping";
        }), 0);
    }

    void stampAndLocationAreStoredWithTheirKind()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        auto bob = subscribed(m_bob, lobbyIdentifier());
        QVERIFY(alice && bob);

        perform(*alice, lobbyIdentifier(), {{s("action"), s("send_stamp")}, {s("stamp_id"), 3}});
        auto frame = bob->waitFor(isMessageFor(lobbyIdentifier()));
        QVERIFY(frame);
        QJsonObject message = frame->value(s("message")).toObject();
        QCOMPARE(message.value(s("kind")).toString(), s("stamp"));
        QCOMPARE(message.value(s("stamp_id")).toInteger(), 3);
        QCOMPARE(message.value(s("message")).toString(), s("[stamp:3]"));
        auto latest = store().messages(m_lobbyId, 1).value(0);
        QVERIFY(latest.kind == MessageKind::Stamp);
        QCOMPARE(latest.body, s("3"));

        // A stamp id as a string, data as an object.
        perform(*alice, lobbyIdentifier(), {{s("action"), s("send_stamp")}, {s("stamp_id"), s("12")}}, false);
        frame = bob->waitFor(isMessageFor(lobbyIdentifier()));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toObject().value(s("stamp_id")).toInteger(), 12);

        perform(*alice, lobbyIdentifier(),
                {{s("action"), s("send_location")}, {s("latitude"), 35.6812}, {s("longitude"), s("139.7671")}});
        frame = bob->waitFor(isMessageFor(lobbyIdentifier()));
        QVERIFY(frame);
        message = frame->value(s("message")).toObject();
        QCOMPARE(message.value(s("kind")).toString(), s("location"));
        QCOMPARE(message.value(s("latitude")).toDouble(), 35.6812);
        QCOMPARE(message.value(s("longitude")).toDouble(), 139.7671);
        QVERIFY(!message.contains(s("stamp_id")));
        latest = store().messages(m_lobbyId, 1).value(0);
        QVERIFY(latest.kind == MessageKind::Location);
        QCOMPARE(latest.latitude, 35.6812);
        QCOMPARE(latest.longitude, 139.7671);
        QCOMPARE(stored(m_lobbyId), 3);
    }

    void resentTempIdIsStoredOnceAndAnsweredToTheSender()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        auto bob = subscribed(m_bob, lobbyIdentifier());
        QVERIFY(alice && bob);
        QJsonObject data = say(s("once"));
        data.insert(s("client_id"), 42);
        perform(*alice, lobbyIdentifier(), data);
        const auto first = alice->waitFor(isMessageFor(lobbyIdentifier()));
        QVERIFY(first);
        QCOMPARE(first->value(s("message")).toObject().value(s("temp_id")).toString(), s("42"));
        perform(*alice, lobbyIdentifier(), data); // e.g. after a reconnect
        const auto second = alice->waitFor(isMessageFor(lobbyIdentifier()));
        QVERIFY(second);
        QCOMPARE(second->value(s("message")).toObject().value(s("id")),
                 first->value(s("message")).toObject().value(s("id")));
        QVERIFY(bob->waitFor(isMessageWithText(s("once"))));
        perform(*alice, lobbyIdentifier(), say(s("marker")));
        QVERIFY(bob->waitFor(isMessageWithText(s("marker"))));
        QCOMPARE(bob->countPending(isMessageFor(lobbyIdentifier())), 0);
        QCOMPARE(stored(m_lobbyId), 2);
    }

    // --- bad input ------------------------------------------------------------

    void badCommandsGetAnErrorAndStoreNothing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        const QString lobby = compact({{s("identifier"), lobbyIdentifier()}}).mid(1).chopped(1);
        auto message = [&lobby](const QJsonObject &data) {
            return s(R"({"command":"message",%1,"data":%2})").arg(lobby, cable::jsonText(compact(data)));
        };
        QTest::newRow("malformed JSON") << s("{\"command\":\"subscribe\",") << s("Invalid JSON");
        QTest::newRow("not an object") << s("[1,2,3]") << s("Invalid JSON");
        QTest::newRow("no command") << s(R"({%1})").arg(lobby) << s("Missing field: command");
        QTest::newRow("unknown command") << s(R"({"command":"shout",%1})").arg(lobby) << s("Unknown command: shout");
        QTest::newRow("subscribe, no identifier") << s(R"({"command":"subscribe"})") << s("Missing field: identifier");
        QTest::newRow("identifier a number") << s(R"({"command":"message","identifier":5,"data":"{}"})")
                                             << s("Missing field: identifier");
        QTest::newRow("unsubscribe unknown")
            << compact({{s("command"), s("unsubscribe")}, {s("identifier"), s(R"({"channel":"Nope"})")}})
            << s("Not subscribed to this identifier");
        QTest::newRow("message, no data") << s(R"({"command":"message",%1})").arg(lobby) << s("Missing field: data");
        QTest::newRow("data not JSON") << s("{\"command\":\"message\",%1,\"data\":\"{oops\"}").arg(lobby)
                                       << s("Invalid data: expected a JSON object");
        QTest::newRow("data a number") << s(R"({"command":"message",%1,"data":7})").arg(lobby) << s("Missing field: data");
        QTest::newRow("no action") << message({{s("message"), s("hi")}}) << s("Missing field: action");
        QTest::newRow("unknown action") << message({{s("action"), s("dance")}}) << s("Unknown action: dance");
        QTest::newRow("no text") << message({{s("action"), s("send_message")}}) << s("Missing field: message");
        QTest::newRow("text a number") << message({{s("action"), s("send_message")}, {s("message"), 5}})
                                       << s("Missing field: message");
        QTest::newRow("blank text") << message({{s("action"), s("send_message")}, {s("message"), s("  ")}})
                                    << s("Message cannot be empty");
        QTest::newRow("no stamp") << message({{s("action"), s("send_stamp")}}) << s("Missing field: stamp_id");
        QTest::newRow("unknown stamp") << message({{s("action"), s("send_stamp")}, {s("stamp_id"), 999}})
                                       << s("Unknown stamp: 999");
        QTest::newRow("stamp not a number") << message({{s("action"), s("send_stamp")}, {s("stamp_id"), s("abc")}})
                                            << s(R"(Unknown stamp: "abc")");
        QTest::newRow("no longitude") << message({{s("action"), s("send_location")}, {s("latitude"), 1}})
                                      << s("Missing field: longitude");
        QTest::newRow("latitude out of range")
            << message({{s("action"), s("send_location")}, {s("latitude"), 91}, {s("longitude"), 0}})
            << s("Invalid latitude");
        QTest::newRow("longitude not a number")
            << message({{s("action"), s("send_location")}, {s("latitude"), 1}, {s("longitude"), s("east")}})
            << s("Invalid longitude");
        QTest::newRow("temp_id an object")
            << message({{s("action"), s("send_message")}, {s("message"), s("x")}, {s("temp_id"), QJsonObject()}})
            << s("temp_id must be a string or a number");
        QTest::newRow("temp_id too long")
            << message({{s("action"), s("send_message")}, {s("message"), s("x")}, {s("temp_id"), QString(129, u'x')}})
            << s("temp_id is too long (max 128 characters)");
        QTest::newRow("identifier not subscribed")
            << compact({{s("command"), s("message")},
                        {s("identifier"), s(R"({"channel":"MessageChannel","room_id":%1})")},
                        {s("data"), compact(say(s("hi")))}})
            << s("Not subscribed to this identifier");
    }

    void badCommandsGetAnErrorAndStoreNothing()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        text.replace(s("%1"), QString::number(m_groupId));
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        alice->sendText(text);
        const auto frame = alice->waitForType(s("error"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toString(), error);
        // No identifier: a Rails client routes frames of unknown type by identifier and so ignores it.
        QVERIFY(!frame->contains(s("identifier")));
        QCOMPARE(stored(m_lobbyId), 0);
        QCOMPARE(stored(m_groupId), 0);
        // The connection is fine and still works.
        QVERIFY(alice->isConnected());
        perform(*alice, lobbyIdentifier(), say(s("still here")));
        QVERIFY(alice->waitFor(isMessageWithText(s("still here"))));
    }

    void errorsCarryTheCommandAndTempId()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        perform(*alice, lobbyIdentifier(), {{s("action"), s("send_stamp")}, {s("stamp_id"), 0}, {s("temp_id"), s("t-7")}});
        const auto frame = alice->waitForType(s("error"));
        QVERIFY(frame);
        QCOMPARE(*frame, QJsonObject({{s("type"), s("error")},
                                      {s("message"), s("Unknown stamp: 0")},
                                      {s("command"), s("message")},
                                      {s("temp_id"), s("t-7")}}));
    }

    void binaryFramesAreRefused()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        alice->socket().sendBinaryMessage(QByteArray("\x01\x02"));
        const auto frame = alice->waitForType(s("error"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toString(), s("Binary frames are not supported"));
        QVERIFY(alice->isConnected());
    }

    void oversizeFrameClosesWith1009()
    {
        auto alice = subscribed(m_alice, lobbyIdentifier());
        QVERIFY(alice);
        perform(*alice, lobbyIdentifier(), say(QString(70 * 1024, u'x')));
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(stored(m_lobbyId), 0);
    }

    // --- stamp catalogue ------------------------------------------------------

    void stampCatalogueWithETag()
    {
        const auto reply = m_server->get(s("/api/stamp_messages"), m_alice.token,
                                         {{"Accept", "application/json"}});
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("Content-Type").startsWith("application/json"));
        const QJsonArray stamps = QJsonDocument::fromJson(reply.body).array();
        QVERIFY(stamps.size() >= 10);
        for (const QJsonValue &value : stamps) {
            const QJsonObject stamp = value.toObject();
            QVERIFY(stamp.value(s("id")).toInteger() > 0);
            QVERIFY(!stamp.value(s("name")).toString().isEmpty());
            QVERIFY(!stamp.value(s("emoji")).toString().isEmpty());
            QVERIFY(cable::findStamp(stamp.value(s("id")).toInteger()));
        }
        const QByteArray etag = reply.header("ETag");
        QVERIFY(etag.size() > 2 && etag.startsWith('"') && etag.endsWith('"'));
        QCOMPARE(etag, cable::catalogueEtag());

        auto cached = m_server->get(s("/api/stamp_messages"), m_alice.token, {{"If-None-Match", etag}});
        QCOMPARE(cached.status, 304);
        QVERIFY(cached.body.isEmpty());
        QCOMPARE(cached.header("ETag"), etag);
        cached = m_server->get(s("/api/stamp_messages"), m_alice.token,
                               {{"If-None-Match", "\"stale\", W/" + etag}});
        QCOMPARE(cached.status, 304);

        const auto changed = m_server->get(s("/api/stamp_messages"), m_alice.token,
                                           {{"If-None-Match", "\"stale\""}});
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.body, reply.body);

        const auto byCookie = m_server->get(s("/api/stamp_messages"), QString(),
                                            {{"Cookie", "_message_backend_session=" + m_alice.token.toUtf8()}});
        QCOMPARE(byCookie.status, 200);
    }

    void stampCatalogueNeedsAuthentication()
    {
        QCOMPARE(m_server->get(s("/api/stamp_messages")).status, 401);
        QCOMPARE(m_server->get(s("/api/stamp_messages"), s("abc.def.ghi")).status, 401);
        // Authentication comes before the cache check.
        QCOMPARE(m_server->get(s("/api/stamp_messages"), QString(),
                               {{"If-None-Match", cable::catalogueEtag()}}).status, 401);
    }

    // --- format ---------------------------------------------------------------

    void wrapIsAConcatenation()
    {
        const QString body = s(R"({"id":1})");
        QCOMPARE(cable::wrapMessage(cable::jsonText(s(R"({"channel":"MessageChannel"})")), body),
                 s("{\"identifier\":\"{\\\"channel\\\":\\\"MessageChannel\\\"}\",\"message\":{\"id\":1}}"));
        QCOMPARE(cable::wrapMessage(cable::jsonText(QJsonObject{{s("channel"), s("MessageChannel")}}), body),
                 s(R"({"identifier":{"channel":"MessageChannel"},"message":{"id":1}})"));
    }
};

NATTER_SERVER_TEST_MAIN(TestCableDialect)
#include "tst_cabledialect.moc"
