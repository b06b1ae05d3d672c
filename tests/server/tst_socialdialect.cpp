// The `social` dialect (spec 002) over a real WebSocket and HTTP: the session
// cookie from /api/auth/login, the Origin rule, private / group / broadcast /
// notification frames, group invitations, history and notifications, the
// other dialects' messages arriving in social's shapes, and every bad input.

#include "servertestmain.h"
#include "hub.h"
#include "socialaccess.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::HttpReply;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

// What a client was sent besides Natter's room_update notifications (a
// conversation that appeared is news for the room list, not a message).
QList<QJsonObject> news(const natter::test::WsClient &client)
{
    QList<QJsonObject> frames = client.pending();
    frames.removeIf([](const QJsonObject &frame) { return frame.value(u"subtype").toString() == u"room_update"; });
    return frames;
}

auto isType(const QString &type)
{
    return [type](const QJsonObject &frame) { return frame.value(QStringLiteral("type")).toString() == type; };
}

QJsonArray arrayOf(const HttpReply &reply) { return QJsonDocument::fromJson(reply.body).array(); }

bool isUnixSecondsNow(const QJsonValue &value)
{
    if (!value.isDouble() || value.toDouble() != static_cast<double>(value.toInteger()))
        return false;
    return std::abs(value.toInteger() - QDateTime::currentSecsSinceEpoch()) < 120;
}
} // namespace

class TestSocialDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    Account m_dave;

    server::Store &store() { return m_server->server().store(); }
    server::Hub &hub() { return m_server->server().hub(); }

    // "natter_session=TOKEN", as the login's Set-Cookie gives it to a browser.
    QByteArray cookieOf(const Account &account)
    {
        const HttpReply reply = m_server->post(
            s("/api/auth/login"),
            QJsonObject{{s("username"), account.username}, {s("password"), s("password123")}});
        if (reply.status != 200)
            return {};
        for (const QByteArray &setCookie : reply.setCookies) {
            if (setCookie.startsWith("natter_session="))
                return setCookie.left(setCookie.indexOf(';'));
        }
        return {};
    }

    QByteArray ownOrigin() const
    {
        return "http://127.0.0.1:" + QByteArray::number(m_server->server().port());
    }

    // A browser-like client: the login cookie and (optionally) an Origin.
    std::unique_ptr<WsClient> connectSocial(const Account &account, const QByteArray &origin = {},
                                            TestServer *server = nullptr)
    {
        TestServer &target = server ? *server : *m_server;
        QList<QPair<QByteArray, QByteArray>> headers{{"Cookie", cookieOf(account)}};
        if (!origin.isEmpty())
            headers.append({"Origin", origin});
        auto client = std::make_unique<WsClient>();
        if (!client->open(target.wsUrl(s("/ws")), headers))
            return nullptr;
        // The spec sends nothing on connect: an answered probe shows the
        // session is attached to the hub.
        if (!sync(*client))
            return nullptr;
        return client;
    }

    // Every frame the server sent this client before the answer to a probe has
    // arrived (frames on one connection are ordered).
    static bool sync(WsClient &client)
    {
        client.sendJson({{s("type"), s("probe")}});
        return client.waitFor([](const QJsonObject &frame) {
            return frame.value(s("type")).toString() == u"error"
                && frame.value(s("message")).toString() == u"Unknown message type: probe";
        }).has_value();
    }

    // Messages in every room the user is an active member of.
    int totalMessages(qint64 userId)
    {
        int count = 0;
        for (const server::RoomRecord &room : store().roomsOfUser(userId))
            count += store().messageCount(room.id);
        return count;
    }

    qint64 createGroup(const Account &owner, const QString &name)
    {
        const HttpReply reply = m_server->post(s("/api/groups"), QJsonObject{{s("name"), name}}, owner.token);
        return reply.status == 201 ? reply.json.value(s("id")).toInteger() : 0;
    }

    int invite(const Account &inviter, qint64 groupId, qint64 userId)
    {
        return m_server->post(s("/api/groups/invite"),
                              QJsonObject{{s("group_id"), groupId}, {s("user_id"), userId}},
                              inviter.token).status;
    }

    int answer(const Account &account, qint64 groupId, bool accept)
    {
        return m_server->post(accept ? s("/api/groups/accept") : s("/api/groups/decline"),
                              QJsonObject{{s("group_id"), groupId}}, account.token).status;
    }

    QJsonObject privateTo(qint64 userId, const QString &content)
    {
        return {{s("type"), s("private")}, {s("to"), userId}, {s("content"), content}};
    }

    server::PostOutcome postDirectly(qint64 roomId, qint64 senderId, const QString &content)
    {
        server::NewMessage message;
        message.roomId = roomId;
        message.senderId = senderId;
        message.body = content;
        return hub().postMessageNow(message);
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        m_dave = m_server->registerUser(s("dave"), s("Dave"));
        QVERIFY(m_dave.id > 0);
    }

    void cleanup() { m_server.reset(); }

    // --- connecting ----------------------------------------------------------

    void loginCookieOpensTheSocket()
    {
        const QByteArray cookie = cookieOf(m_alice);
        QVERIFY(cookie.startsWith("natter_session="));
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws")), {"Cookie: " + cookie})
                    .startsWith("HTTP/1.1 101"));
        // Also with the trailing slash.
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws/")), {"Cookie: " + cookie})
                    .startsWith("HTTP/1.1 101"));
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        QVERIFY(hub().isOnline(m_alice.id));
        QVERIFY(sync(*alice));
        QVERIFY(alice->pending().isEmpty()); // nothing is sent on connect
    }

    void refusedBeforeTheUpgrade_data()
    {
        QTest::addColumn<QByteArray>("cookie"); // ALICE: the token of alice's login cookie
        QTest::addColumn<QByteArray>("origin");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("no cookie") << QByteArray() << QByteArray() << QByteArray("401");
        QTest::newRow("bad cookie") << QByteArray("natter_session=abc.def.ghi") << QByteArray()
                                    << QByteArray("401");
        QTest::newRow("empty cookie") << QByteArray("natter_session=") << QByteArray()
                                      << QByteArray("401");
        QTest::newRow("other cookie name") << QByteArray("session=ALICE") << QByteArray()
                                           << QByteArray("401");
        QTest::newRow("foreign origin") << QByteArray("natter_session=ALICE") << QByteArray("https://evil.example.com")
                                        << QByteArray("403");
        QTest::newRow("null origin") << QByteArray("natter_session=ALICE") << QByteArray("null") << QByteArray("403");
        QTest::newRow("own host, other port") << QByteArray("natter_session=ALICE") << QByteArray("http://127.0.0.1:1")
                                              << QByteArray("403");
        QTest::newRow("foreign origin, no cookie") << QByteArray() << QByteArray("https://evil.example.com")
                                                   << QByteArray("401");
    }

    void refusedBeforeTheUpgrade()
    {
        QFETCH(QByteArray, cookie);
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, status);
        const QByteArray aliceCookie = cookieOf(m_alice);
        cookie.replace("ALICE", aliceCookie.mid(aliceCookie.indexOf('=') + 1));
        QList<QByteArray> headers;
        QList<QPair<QByteArray, QByteArray>> clientHeaders;
        if (!cookie.isEmpty()) {
            headers.append("Cookie: " + cookie);
            clientHeaders.append({"Cookie", cookie});
        }
        if (!origin.isEmpty()) {
            headers.append("Origin: " + origin);
            clientHeaders.append({"Origin", origin});
        }
        const QByteArray statusLine = test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws")), headers);
        QVERIFY2(statusLine.startsWith(QByteArray("HTTP/1.1 " + status)), statusLine.constData());

        WsClient client;
        QVERIFY(!client.open(m_server->wsUrl(s("/ws")), clientHeaders));
        QVERIFY(client.pending().isEmpty());
        QCOMPARE(hub().sessionCount(), 0);
    }

    void plainHttpOnTheSocketPathIsRefused()
    {
        QCOMPARE(m_server->get(s("/ws")).status, 426);
    }

    void loggedOutCookieIsRefused()
    {
        const QByteArray cookie = cookieOf(m_alice);
        QCOMPARE(m_server->post(s("/api/auth/logout"), QByteArray(), QString(), {{"Cookie", cookie}}).status, 204);
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws")), {"Cookie: " + cookie})
                    .startsWith("HTTP/1.1 401"));
    }

    void ownOriginIsAllowed_data()
    {
        QTest::addColumn<QByteArray>("origin"); // PORT: the server's port
        QTest::newRow("http") << QByteArray("http://127.0.0.1:PORT");
        QTest::newRow("https") << QByteArray("https://127.0.0.1:PORT");
        QTest::newRow("case and slash") << QByteArray("HTTP://127.0.0.1:PORT/");
    }

    void ownOriginIsAllowed()
    {
        QFETCH(QByteArray, origin);
        origin.replace("PORT", QByteArray::number(m_server->server().port()));
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws")),
                                           {"Cookie: " + cookieOf(m_bob), "Origin: " + origin})
                    .startsWith("HTTP/1.1 101"));
        // accept() checks the socket's own request again and keeps it.
        auto bob = connectSocial(m_bob, origin);
        QVERIFY(bob);
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        alice->sendJson(privateTo(m_bob.id, s("hello from the same site")));
        QVERIFY(bob->waitFor([](const QJsonObject &frame) {
            return frame.value(s("content")).toString() == u"hello from the same site";
        }));
    }

    void configuredOriginsAreAllowed()
    {
        auto config = TestServer::defaultConfig();
        config.allowedOrigins = {s("https://app.example.com")};
        TestServer other(config);
        QVERIFY(other.start());
        const Account erin = other.registerUser(s("erin"));
        const HttpReply login = other.post(
            s("/api/auth/login"), QJsonObject{{s("username"), s("erin")}, {s("password"), s("password123")}});
        QCOMPARE(login.status, 200);
        const QByteArray cookie = login.setCookies.first().left(login.setCookies.first().indexOf(';'));
        const auto statusFor = [&](const QByteArray &origin) {
            return test::rawUpgradeStatusLine(other.wsUrl(s("/ws")),
                                              {"Cookie: " + cookie, "Origin: " + origin});
        };
        QVERIFY(statusFor("https://app.example.com").startsWith("HTTP/1.1 101"));
        QVERIFY(statusFor("https://app.example.com:443").startsWith("HTTP/1.1 101"));
        QVERIFY(statusFor("http://127.0.0.1:" + QByteArray::number(other.server().port()))
                    .startsWith("HTTP/1.1 101"));
        QVERIFY(statusFor("http://app.example.com").startsWith("HTTP/1.1 403"));
        QVERIFY(statusFor("https://evil.example.com").startsWith("HTTP/1.1 403"));
        QVERIFY(statusFor("https://app.example.com.evil.example").startsWith("HTTP/1.1 403"));

        WsClient client;
        QVERIFY(client.open(other.wsUrl(s("/ws")), {{"Cookie", cookie}, {"Origin", "https://app.example.com"}}));
        QTRY_VERIFY(other.server().hub().isOnline(erin.id));
        QVERIFY(sync(client));
        QVERIFY(client.isConnected());
    }

    void wildcardOriginAllowsEveryOrigin()
    {
        auto config = TestServer::defaultConfig();
        config.allowedOrigins = {s("*")};
        TestServer other(config);
        QVERIFY(other.start());
        const Account erin = other.registerUser(s("erin"));
        QVERIFY(test::rawUpgradeStatusLine(other.wsUrl(s("/ws?token=") + erin.token),
                                           {"Origin: https://anywhere.example"})
                    .startsWith("HTTP/1.1 101"));
    }

    void tokensForNonBrowserClients()
    {
        // ?token= and Bearer work too; the Origin rule applies to them as well.
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws?token=") + m_alice.token))
                    .startsWith("HTTP/1.1 101"));
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws")), {"Authorization: Bearer " + m_alice.token.toUtf8()})
                    .startsWith("HTTP/1.1 101"));
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws?token=") + m_alice.token),
                                           {"Origin: https://evil.example.com"})
                    .startsWith("HTTP/1.1 403"));
        QVERIFY(test::rawUpgradeStatusLine(m_server->wsUrl(s("/ws?token=nope"))).startsWith("HTTP/1.1 401"));

        WsClient bob;
        QVERIFY(bob.open(m_server->wsUrl(s("/ws?token=") + m_bob.token)));
        QTRY_VERIFY(hub().isOnline(m_bob.id));
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        alice->sendJson(privateTo(m_bob.id, s("to a script")));
        QVERIFY(bob.waitForType(s("private")));
    }

    void originPolicy_data()
    {
        QTest::addColumn<QStringList>("allowed");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("expected");
        const QStringList none;
        QTest::newRow("no origin") << none << QString() << s("chat.example:8000") << true;
        QTest::newRow("own http") << none << s("http://chat.example:8000") << s("chat.example:8000") << true;
        QTest::newRow("own https default port") << none << s("https://chat.example") << s("chat.example") << true;
        QTest::newRow("own, host case") << none << s("http://Chat.Example:8000") << s("chat.example:8000") << true;
        QTest::newRow("own ipv6") << none << s("http://[::1]:8000") << s("[::1]:8000") << true;
        QTest::newRow("other port") << none << s("http://chat.example:9000") << s("chat.example:8000") << false;
        QTest::newRow("other host") << none << s("http://evil.example:8000") << s("chat.example:8000") << false;
        QTest::newRow("no host header") << none << s("http://chat.example") << QString() << false;
        QTest::newRow("null") << none << s("null") << s("chat.example") << false;
        QTest::newRow("listed") << QStringList{s("https://app.example")} << s("https://app.example")
                                << s("chat.example") << true;
        QTest::newRow("listed, explicit default port") << QStringList{s("https://app.example/")}
                                                       << s("https://app.example:443") << s("chat.example") << true;
        QTest::newRow("listed scheme differs") << QStringList{s("https://app.example")}
                                               << s("http://app.example") << s("chat.example") << false;
        QTest::newRow("wildcard") << QStringList{s("*")} << s("https://evil.example") << s("chat.example") << true;
        QTest::newRow("wildcard null") << QStringList{s("*")} << s("null") << s("chat.example") << true;
    }

    void originPolicy()
    {
        QFETCH(QStringList, allowed);
        QFETCH(QString, origin);
        QFETCH(QString, host);
        QFETCH(bool, expected);
        QCOMPARE(server::social::originAllowed(allowed, origin, host), expected);
    }

    // --- private ---------------------------------------------------------------

    void privateMessageIsStoredInTheDirectRoomAndDelivered()
    {
        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        auto carol = connectSocial(m_carol);
        QVERIFY(alice && bob && carol);
        QVERIFY(!store().directRoom(m_alice.id, m_bob.id)); // created on the first message

        alice->sendJson(privateTo(m_bob.id, s("Hello there!")));
        const auto frame = bob->waitForType(s("private"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("to")).toInteger(), m_bob.id);
        QCOMPARE(frame->value(s("content")).toString(), s("Hello there!"));
        QVERIFY(isUnixSecondsNow(frame->value(s("timestamp"))));
        QCOMPARE(frame->value(s("from")).toInteger(), m_alice.id);
        QCOMPARE(frame->value(s("from_username")).toString(), s("alice"));

        const auto room = store().directRoom(m_alice.id, m_bob.id);
        QVERIFY(room);
        QVERIFY(room->kind == RoomKind::Direct);
        QCOMPARE(frame->value(s("room_id")).toInteger(), room->id);
        QCOMPARE(frame->value(s("room_uuid")).toString(), room->uuid.toString(QUuid::WithoutBraces));
        QCOMPARE(store().messageCount(room->id), 1);
        const auto stored = store().messages(room->id, 1);
        QCOMPARE(stored.first().id, frame->value(s("id")).toInteger());
        QCOMPARE(stored.first().senderId, m_alice.id);

        // The sender gets no confirmation and no echo; others get nothing.
        QVERIFY(sync(*alice));
        QVERIFY(sync(*carol));
        QCOMPARE(news(*alice).size(), 0);
        QCOMPARE(news(*carol).size(), 0);

        // The reply goes into the same room.
        bob->sendJson({{s("type"), s("private")}, {s("to"), QString::number(m_alice.id)},
                       {s("content"), s("Hi!")}, {s("timestamp"), 1640995200}});
        const auto reply = alice->waitForType(s("private"));
        QVERIFY(reply);
        QCOMPARE(reply->value(s("to")).toInteger(), m_alice.id);
        QCOMPARE(reply->value(s("room_id")).toInteger(), room->id);
        // The server's commit time is what everybody sees.
        QVERIFY(isUnixSecondsNow(reply->value(s("timestamp"))));
        QCOMPARE(store().messageCount(room->id), 2);
    }

    void privateMessageToAnOfflineUserIsStoredSilently()
    {
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        alice->sendJson(privateTo(m_bob.id, s("are you there?")));
        QVERIFY(sync(*alice));
        QCOMPARE(news(*alice).size(), 0);
        const auto room = store().directRoom(m_alice.id, m_bob.id);
        QVERIFY(room);
        QTRY_COMPARE(store().messageCount(room->id), 1); // with the next group commit
    }

    void everyConnectionOfTheRecipientGetsIt()
    {
        auto alice1 = connectSocial(m_alice);
        auto alice2 = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        QVERIFY(alice1 && alice2 && bob);
        bob->sendJson(privateTo(m_alice.id, s("both tabs")));
        QVERIFY(alice1->waitForType(s("private")));
        QVERIFY(alice2->waitForType(s("private")));
        // The sender's other connection does not get its own message as incoming.
        alice1->sendJson(privateTo(m_bob.id, s("from tab one")));
        QVERIFY(bob->waitForType(s("private")));
        QVERIFY(sync(*alice1));
        QVERIFY(sync(*alice2));
        QCOMPARE(news(*alice1).size(), 0);
        QCOMPARE(news(*alice2).size(), 0);
    }

    // --- group -----------------------------------------------------------------

    void groupMessageReachesAcceptedMembersOnly()
    {
        const qint64 groupId = createGroup(m_alice, s("Developers"));
        QVERIFY(groupId > 0);
        QCOMPARE(invite(m_alice, groupId, m_bob.id), 201);
        QCOMPARE(answer(m_bob, groupId, true), 200);
        QCOMPARE(invite(m_alice, groupId, m_carol.id), 201); // invited, not accepted

        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        auto carol = connectSocial(m_carol);
        auto dave = connectSocial(m_dave);
        QVERIFY(alice && bob && carol && dave);
        carol->clear();

        alice->sendJson({{s("type"), s("group")}, {s("group_id"), QString::number(groupId)},
                         {s("content"), s("Hello everyone!")}});
        const auto frame = bob->waitForType(s("group"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("group_id")), QJsonValue(QString::number(groupId)));
        QCOMPARE(frame->value(s("content")).toString(), s("Hello everyone!"));
        QVERIFY(isUnixSecondsNow(frame->value(s("timestamp"))));
        QCOMPARE(frame->value(s("from")).toInteger(), m_alice.id);
        QCOMPARE(frame->value(s("group_name")).toString(), s("Developers"));
        QCOMPARE(store().messageCount(groupId), 1);

        QVERIFY(sync(*alice));
        for (WsClient *client : {alice.get(), carol.get(), dave.get()}) {
            QVERIFY(sync(*client));
            QCOMPARE(news(*client).size(), 0);
        }

        // group_id as an integer works as well.
        bob->sendJson({{s("type"), s("group")}, {s("group_id"), groupId}, {s("content"), s("Hi Alice")}});
        const auto reply = alice->waitForType(s("group"));
        QVERIFY(reply);
        QCOMPARE(reply->value(s("from")).toInteger(), m_bob.id);
        QCOMPARE(store().messageCount(groupId), 2);
    }

    void groupMessageFromOutsiderIsRefused_data()
    {
        QTest::addColumn<QString>("who");
        QTest::newRow("not a member") << s("dave");
        QTest::newRow("invited only") << s("carol");
    }

    void groupMessageFromOutsiderIsRefused()
    {
        QFETCH(QString, who);
        const qint64 groupId = createGroup(m_alice, s("Private"));
        QCOMPARE(invite(m_alice, groupId, m_carol.id), 201);
        auto alice = connectSocial(m_alice);
        auto sender = connectSocial(who == u"dave" ? m_dave : m_carol);
        QVERIFY(alice && sender);
        sender->clear();
        sender->sendJson({{s("type"), s("group")}, {s("group_id"), QString::number(groupId)},
                          {s("content"), s("let me in")}});
        const auto error = sender->waitForType(s("error"));
        QVERIFY(error);
        QCOMPARE(error->value(s("message")).toString(), s("You are not a member of this group"));
        QCOMPARE(store().messageCount(groupId), 0);
        QVERIFY(sync(*alice));
        QCOMPARE(news(*alice).size(), 0);
    }

    void theLobbyIsAGroup()
    {
        const auto lobby = store().lobby();
        QVERIFY(lobby);
        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        auto carol = connectSocial(m_carol);
        QVERIFY(alice && bob && carol);
        alice->sendJson({{s("type"), s("group")}, {s("group_id"), QString::number(lobby->id)},
                         {s("content"), s("hello lobby")}});
        for (WsClient *client : {bob.get(), carol.get()}) {
            const auto frame = client->waitForType(s("group"));
            QVERIFY(frame);
            QCOMPARE(frame->value(s("group_id")).toString(), QString::number(lobby->id));
        }
        QCOMPARE(store().messageCount(lobby->id), 1);
    }

    // --- broadcast -------------------------------------------------------------

    void broadcastIsForAdminsAndNotStored()
    {
        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        auto carol = connectSocial(m_carol);
        QVERIFY(alice && bob && carol);
        const int before = totalMessages(m_alice.id);

        const QJsonObject announcement{{s("type"), s("broadcast")},
                                       {s("content"), s("System maintenance in 10 minutes")}};
        bob->sendJson(announcement);
        const auto refused = bob->waitForType(s("error"));
        QVERIFY(refused);
        QCOMPARE(refused->value(s("message")).toString(), s("Only admins can broadcast"));
        QVERIFY(sync(*carol));
        QCOMPARE(carol->countPending(isType(s("broadcast"))), 0);

        // Promoted while connected: the role is checked when broadcasting.
        QVERIFY(store().setUserRole(m_alice.id, UserRole::Admin));
        alice->sendJson(announcement);
        for (WsClient *client : {alice.get(), bob.get(), carol.get()}) {
            const auto frame = client->waitForType(s("broadcast"));
            QVERIFY(frame);
            QCOMPARE(frame->value(s("content")).toString(), s("System maintenance in 10 minutes"));
            QVERIFY(isUnixSecondsNow(frame->value(s("timestamp"))));
            QCOMPARE(frame->value(s("from")).toInteger(), m_alice.id);
        }
        QCOMPARE(totalMessages(m_alice.id), before);
        QCOMPARE(totalMessages(m_bob.id), 0);
    }

    // --- invitations and notifications -----------------------------------------

    void invitationFlowEndToEnd()
    {
        const qint64 groupId = createGroup(m_alice, s("Developers"));
        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        QVERIFY(alice && bob);

        const HttpReply invited = m_server->post(
            s("/api/groups/invite"),
            QJsonObject{{s("group_id"), groupId}, {s("user_id"), m_bob.id}, {s("group_name"), s("Developers")}},
            m_alice.token);
        QCOMPARE(invited.status, 201);
        QCOMPARE(invited.json.value(s("status")).toString(), s("invited"));
        QVERIFY(store().membership(groupId, m_bob.id)->state == MembershipState::Invited);

        // Live…
        const auto live = bob->waitFor([](const QJsonObject &frame) {
            return frame.value(u"subtype").toString() == u"group_invite";
        });
        QVERIFY(live);
        QCOMPARE(live->value(s("subtype")).toString(), s("group_invite"));
        QCOMPARE(live->value(s("message")).toString(), s("You were invited to join group 'Developers'"));
        QCOMPARE(live->value(s("group_id")), QJsonValue(groupId)); // an integer, as the spec prints it
        QVERIFY(isUnixSecondsNow(live->value(s("timestamp"))));
        // …and stored.
        const QJsonArray stored = arrayOf(m_server->get(s("/api/notifications"), m_bob.token));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first()[s("type")].toString(), s("group_invite"));
        QCOMPARE(stored.first()[s("message")].toString(), s("You were invited to join group 'Developers'"));
        QCOMPARE(stored.first()[s("is_read")].toBool(), false);
        QCOMPARE(stored.first()[s("id")].toInteger(), live->value(s("id")).toInteger());

        // Invited is not a member yet.
        alice->sendJson({{s("type"), s("group")}, {s("group_id"), QString::number(groupId)}, {s("content"), s("one")}});
        QVERIFY(sync(*alice));
        QVERIFY(sync(*bob));
        QCOMPARE(bob->countPending(isType(s("group"))), 0);
        QCOMPARE(m_server->get(s("/api/messages/group?group=%1").arg(groupId), m_bob.token).status, 404);

        // Accepting (with the browser's cookie) makes the open connection follow the group.
        const HttpReply accepted = m_server->post(s("/api/groups/accept"),
                                                  QJsonDocument(QJsonObject{{s("group_id"), groupId}}).toJson(),
                                                  QString(), {{"Cookie", cookieOf(m_bob)}});
        QCOMPARE(accepted.status, 200);
        QCOMPARE(accepted.json.value(s("status")).toString(), s("active"));
        QVERIFY(store().membership(groupId, m_bob.id)->state == MembershipState::Active);
        alice->sendJson({{s("type"), s("group")}, {s("group_id"), QString::number(groupId)}, {s("content"), s("two")}});
        const auto frame = bob->waitForType(s("group"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("content")).toString(), s("two"));
        QCOMPARE(arrayOf(m_server->get(s("/api/messages/group?group=%1").arg(groupId), m_bob.token)).size(), 2);

        // Nothing left to answer.
        QCOMPARE(answer(m_bob, groupId, true), 404);
        QCOMPARE(answer(m_bob, groupId, false), 404);
    }

    void declineRemovesTheInvitation()
    {
        const qint64 groupId = createGroup(m_alice, s("Developers"));
        QCOMPARE(invite(m_alice, groupId, m_carol.id), 201);
        QCOMPARE(answer(m_carol, groupId, false), 204);
        QVERIFY(!store().membership(groupId, m_carol.id));
        QCOMPARE(answer(m_carol, groupId, false), 404);
        QCOMPARE(answer(m_carol, groupId, true), 404);
        // She can be invited again.
        QCOMPARE(invite(m_alice, groupId, m_carol.id), 201);
    }

    void invitationErrors()
    {
        const qint64 groupId = createGroup(m_alice, s("Developers"));
        const qint64 lobbyId = store().lobby()->id;
        const auto post = [this](const QByteArray &body, const QString &token) {
            return m_server->post(s("/api/groups/invite"), body, token).status;
        };
        const QByteArray valid = "{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":"
            + QByteArray::number(m_bob.id) + "}";
        QCOMPARE(post(valid, QString()), 401);
        QCOMPARE(post(valid, s("not.a.token")), 401);
        QCOMPARE(post("{not json", m_alice.token), 400);
        QCOMPARE(post("[1,2]", m_alice.token), 400);
        QCOMPARE(post("{\"user_id\":2}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(groupId) + "}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":\"abc\",\"user_id\":2}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":true}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":-3}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":"
                          + QByteArray::number(m_bob.id) + ",\"group_name\":5}", m_alice.token), 400);
        QCOMPARE(post("{\"group_id\":999999,\"user_id\":" + QByteArray::number(m_bob.id) + "}", m_alice.token), 404);
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":999999}", m_alice.token), 404);
        QCOMPARE(post(valid, m_dave.token), 404); // dave is not in the group
        QCOMPARE(post("{\"group_id\":" + QByteArray::number(lobbyId) + ",\"user_id\":"
                          + QByteArray::number(m_bob.id) + "}", m_alice.token), 403);
        QVERIFY(!store().membership(groupId, m_bob.id));
        QCOMPARE(store().notifications(m_bob.id, 10, 0).size(), 0);

        QCOMPARE(post(valid, m_alice.token), 201);
        QCOMPARE(post(valid, m_alice.token), 409); // already invited
        const QByteArray self = "{\"group_id\":\"" + QByteArray::number(groupId) + "\",\"user_id\":"
            + QByteArray::number(m_alice.id) + "}";
        QCOMPARE(post(self, m_alice.token), 409); // already a member
        QCOMPARE(store().notifications(m_bob.id, 10, 0).size(), 1);

        // accept / decline input
        QCOMPARE(m_server->post(s("/api/groups/accept"), QByteArray("{}"), m_bob.token).status, 400);
        QCOMPARE(m_server->post(s("/api/groups/accept"), QByteArray("nope"), m_bob.token).status, 400);
        QCOMPARE(m_server->post(s("/api/groups/accept"), QJsonObject{{s("group_id"), groupId}}).status, 401);
        QCOMPARE(m_server->post(s("/api/groups/decline"), QByteArray("{\"group_id\":0}"), m_bob.token).status, 400);
        QCOMPARE(answer(m_carol, groupId, true), 404); // never invited
        QCOMPARE(answer(m_bob, 999999, true), 404);
    }

    void crossSiteFormPostIsRefused()
    {
        const qint64 groupId = createGroup(m_alice, s("Developers"));
        const QByteArray cookie = cookieOf(m_alice);
        const QByteArray body = "{\"group_id\":" + QByteArray::number(groupId) + ",\"user_id\":"
            + QByteArray::number(m_bob.id) + "}";
        QCOMPARE(m_server->post(s("/api/groups/invite"), body, QString(),
                                {{"Cookie", cookie}, {"Origin", "https://evil.example.com"}}).status, 403);
        QVERIFY(!store().membership(groupId, m_bob.id));
        QCOMPARE(m_server->post(s("/api/groups/invite"), body, QString(),
                                {{"Cookie", cookie}, {"Origin", ownOrigin()}}).status, 201);
        QCOMPARE(m_server->post(s("/api/notifications/read"), QByteArray(), QString(),
                                {{"Cookie", cookieOf(m_bob)}, {"Origin", "https://evil.example.com"}}).status, 403);
        QCOMPARE(store().notifications(m_bob.id, 1, 0).first().isRead, false);
    }

    void notificationsListAndRead()
    {
        for (int i = 0; i < 25; ++i)
            QVERIFY(hub().notify(m_bob.id, s("new_post"), s("post %1").arg(i), {}));
        QVERIFY(hub().notify(m_carol.id, s("new_post"), s("for carol"), {}));

        const HttpReply first = m_server->get(s("/api/notifications"), m_bob.token);
        QCOMPARE(first.status, 200);
        const QJsonArray page = arrayOf(first);
        QCOMPARE(page.size(), 20); // the default limit
        QCOMPARE(page.first()[s("message")].toString(), s("post 24")); // newest first
        const QJsonObject item = page.first().toObject();
        for (const char *field : {"id", "type", "message", "is_read", "created_at"})
            QVERIFY2(item.contains(s(field)), field);
        QCOMPARE(item[s("type")].toString(), s("new_post"));
        QVERIFY(item[s("created_at")].toString().endsWith(u'Z'));
        QVERIFY(QDateTime::fromString(item[s("created_at")].toString(), Qt::ISODate).isValid());

        const QJsonArray rest = arrayOf(m_server->get(s("/api/notifications?offset=20"), m_bob.token));
        QCOMPARE(rest.size(), 5);
        QCOMPARE(rest.last()[s("message")].toString(), s("post 0"));
        const QJsonArray window = arrayOf(m_server->get(s("/api/notifications?limit=3&offset=2"), m_bob.token));
        QCOMPARE(window.size(), 3);
        QCOMPARE(window.first()[s("message")].toString(), s("post 22"));

        QCOMPARE(m_server->get(s("/api/notifications")).status, 401);
        QCOMPARE(m_server->get(s("/api/notifications?limit=abc"), m_bob.token).status, 400);
        QCOMPARE(m_server->get(s("/api/notifications?limit=0"), m_bob.token).status, 400);
        QCOMPARE(m_server->get(s("/api/notifications?offset=-1"), m_bob.token).status, 400);
        QCOMPARE(m_server->post(s("/api/notifications/read"), QByteArray()).status, 401);

        QCOMPARE(m_server->post(s("/api/notifications/read"), QByteArray(), m_bob.token).status, 204);
        const QJsonArray after = arrayOf(m_server->get(s("/api/notifications?limit=100"), m_bob.token));
        QCOMPARE(after.size(), 25);
        for (const QJsonValue &notification : after)
            QCOMPARE(notification[s("is_read")].toBool(), true);
        // Only the caller's.
        QCOMPARE(arrayOf(m_server->get(s("/api/notifications"), m_carol.token)).first()[s("is_read")].toBool(), false);
    }

    // --- the other dialects ----------------------------------------------------

    void roomsDialectAndSocialShareDirectRooms()
    {
        auto bob = connectSocial(m_bob);
        QVERIFY(bob);
        const auto room = hub().directRoomFor(m_alice.id, m_bob.id);
        QVERIFY(room);
        WsClient rooms;
        QVERIFY(rooms.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(room->id).arg(m_alice.token))));
        QVERIFY(rooms.waitForType(s("connection_established")));

        rooms.sendJson({{s("type"), s("message"), }, {s("content"), s("from the rooms dialect")}});
        const auto incoming = bob->waitForType(s("private"));
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("content")).toString(), s("from the rooms dialect"));
        QCOMPARE(incoming->value(s("to")).toInteger(), m_bob.id);
        QCOMPARE(incoming->value(s("from")).toInteger(), m_alice.id);

        bob->sendJson(privateTo(m_alice.id, s("from the social dialect")));
        const auto reply = rooms.waitFor([](const QJsonObject &frame) {
            return frame.value(s("type")).toString() == u"message"
                && frame.value(s("message"))[s("content")].toString() == u"from the social dialect";
        });
        QVERIFY(reply);
        QCOMPARE(reply->value(s("message"))[s("sender_id")].toInteger(), m_bob.id);
        QCOMPARE(store().messageCount(room->id), 2);
    }

    void roomsDialectGroupMessagesArriveAsGroup()
    {
        const qint64 groupId = createGroup(m_alice, s("Mixed"));
        QCOMPARE(invite(m_alice, groupId, m_bob.id), 201);
        QCOMPARE(answer(m_bob, groupId, true), 200);
        auto bob = connectSocial(m_bob);
        QVERIFY(bob);
        bob->clear();
        WsClient rooms;
        QVERIFY(rooms.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(groupId).arg(m_alice.token))));
        QVERIFY(rooms.waitForType(s("connection_established")));
        rooms.sendJson({{s("type"), s("message")}, {s("content"), s("group via rooms")}});
        const auto frame = bob->waitForType(s("group"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("group_id")).toString(), QString::number(groupId));
        QCOMPARE(frame->value(s("content")).toString(), s("group via rooms"));
        QCOMPARE(frame->value(s("from")).toInteger(), m_alice.id);
    }

    // --- history -----------------------------------------------------------------

    void privateHistoryPagesNewestFirst()
    {
        const auto room = hub().directRoomFor(m_alice.id, m_bob.id);
        QVERIFY(room);
        for (int i = 0; i < 55; ++i)
            QVERIFY(postDirectly(room->id, i % 2 ? m_bob.id : m_alice.id, s("m%1").arg(i)).accepted());

        const HttpReply reply = m_server->get(s("/api/messages/private?user=%1").arg(m_bob.id), m_alice.token);
        QCOMPARE(reply.status, 200);
        const QJsonArray page = arrayOf(reply);
        QCOMPARE(page.size(), 50); // the default limit
        QCOMPARE(page.first()[s("content")].toString(), s("m54"));
        QCOMPARE(page.last()[s("content")].toString(), s("m5"));
        const QJsonObject newest = page.first().toObject(); // alice's (54 is even)
        QCOMPARE(newest[s("type")].toString(), s("private"));
        QCOMPARE(newest[s("to")].toInteger(), m_bob.id);
        QCOMPARE(newest[s("from")].toInteger(), m_alice.id);
        QVERIFY(isUnixSecondsNow(newest[s("timestamp")]));
        QCOMPARE(page.at(1)[s("to")].toInteger(), m_alice.id); // bob's m53

        const QJsonArray rest = arrayOf(m_server->get(s("/api/messages/private?user=%1&offset=50").arg(m_bob.id), m_alice.token));
        QCOMPARE(rest.size(), 5);
        QCOMPARE(rest.last()[s("content")].toString(), s("m0"));
        const QJsonArray window = arrayOf(m_server->get(
            s("/api/messages/private?user=%1&limit=10&offset=5").arg(m_bob.id), m_alice.token));
        QCOMPARE(window.size(), 10);
        QCOMPARE(window.first()[s("content")].toString(), s("m49"));
        QCOMPARE(window.last()[s("content")].toString(), s("m40"));
        // Large limits are capped, not refused.
        QCOMPARE(arrayOf(m_server->get(s("/api/messages/private?user=%1&limit=100000").arg(m_bob.id), m_alice.token)).size(), 55);

        // Bob sees the same room from his side; with the browser's cookie too.
        const HttpReply bobs = m_server->get(s("/api/messages/private?user=%1&limit=1").arg(m_alice.id), QString(),
                                             {{"Cookie", cookieOf(m_bob)}});
        QCOMPARE(bobs.status, 200);
        QCOMPARE(arrayOf(bobs).first()[s("content")].toString(), s("m54"));
        // No conversation yet: an empty list.
        const HttpReply none = m_server->get(s("/api/messages/private?user=%1").arg(m_carol.id), m_alice.token);
        QCOMPARE(none.status, 200);
        QCOMPARE(arrayOf(none).size(), 0);
        QVERIFY(!store().directRoom(m_alice.id, m_carol.id)); // reading creates nothing
    }

    void groupHistoryPagesNewestFirst()
    {
        const qint64 groupId = createGroup(m_alice, s("History"));
        QCOMPARE(invite(m_alice, groupId, m_bob.id), 201);
        QCOMPARE(answer(m_bob, groupId, true), 200);
        for (int i = 0; i < 52; ++i)
            QVERIFY(postDirectly(groupId, i % 2 ? m_bob.id : m_alice.id, s("g%1").arg(i)).accepted());

        const QJsonArray page = arrayOf(m_server->get(s("/api/messages/group?group=%1").arg(groupId), m_bob.token));
        QCOMPARE(page.size(), 50);
        const QJsonObject newest = page.first().toObject();
        QCOMPARE(newest[s("type")].toString(), s("group"));
        QCOMPARE(newest[s("group_id")], QJsonValue(QString::number(groupId)));
        QCOMPARE(newest[s("content")].toString(), s("g51"));
        QCOMPARE(newest[s("from")].toInteger(), m_bob.id);
        QVERIFY(isUnixSecondsNow(newest[s("timestamp")]));
        const QJsonArray rest = arrayOf(m_server->get(s("/api/messages/group?group=%1&offset=50&limit=10").arg(groupId), m_alice.token));
        QCOMPARE(rest.size(), 2);
        QCOMPARE(rest.last()[s("content")].toString(), s("g0"));
    }

    void historyBadInput_data()
    {
        QTest::addColumn<QString>("path"); // GROUP, DIRECT, CAROL: ids
        QTest::addColumn<bool>("authenticated");
        QTest::addColumn<int>("status");
        QTest::newRow("private unauthenticated") << s("/api/messages/private?user=CAROL") << false << 401;
        QTest::newRow("group unauthenticated") << s("/api/messages/group?group=GROUP") << false << 401;
        QTest::newRow("private no user") << s("/api/messages/private") << true << 400;
        QTest::newRow("private user empty") << s("/api/messages/private?user=") << true << 400;
        QTest::newRow("private user text") << s("/api/messages/private?user=abc") << true << 400;
        QTest::newRow("private user zero") << s("/api/messages/private?user=0") << true << 400;
        QTest::newRow("private limit zero") << s("/api/messages/private?user=CAROL&limit=0") << true << 400;
        QTest::newRow("private limit text") << s("/api/messages/private?user=CAROL&limit=ten") << true << 400;
        QTest::newRow("private offset negative") << s("/api/messages/private?user=CAROL&offset=-1") << true << 400;
        QTest::newRow("private unknown user") << s("/api/messages/private?user=999999") << true << 404;
        QTest::newRow("group no group") << s("/api/messages/group") << true << 400;
        QTest::newRow("group text") << s("/api/messages/group?group=devs") << true << 400;
        QTest::newRow("group limit negative") << s("/api/messages/group?group=GROUP&limit=-5") << true << 400;
        QTest::newRow("group unknown") << s("/api/messages/group?group=999999") << true << 404;
        QTest::newRow("group not a member") << s("/api/messages/group?group=GROUP") << true << 404;
        QTest::newRow("group is a direct room") << s("/api/messages/group?group=DIRECT") << true << 404;
    }

    void historyBadInput()
    {
        QFETCH(QString, path);
        QFETCH(bool, authenticated);
        QFETCH(int, status);
        const qint64 groupId = createGroup(m_alice, s("Closed"));
        const auto direct = hub().directRoomFor(m_dave.id, m_carol.id);
        QVERIFY(direct);
        path.replace(s("GROUP"), QString::number(groupId))
            .replace(s("DIRECT"), QString::number(direct->id))
            .replace(s("CAROL"), QString::number(m_carol.id));
        QCOMPARE(m_server->get(path, authenticated ? m_dave.token : QString()).status, status);
    }

    // --- bad frames ----------------------------------------------------------------

    void badFramesAreIgnored_data()
    {
        QTest::addColumn<QString>("text"); // BOB: bob's id
        QTest::addColumn<QString>("error");
        QTest::newRow("not json") << s("{\"type\": \"private\",") << s("Invalid JSON");
        QTest::newRow("array") << s("[1,2,3]") << s("Invalid JSON");
        QTest::newRow("string") << s("\"hello\"") << s("Invalid JSON");
        QTest::newRow("no type") << s("{\"to\":BOB,\"content\":\"x\"}") << s("Missing field: type");
        QTest::newRow("type not a string") << s("{\"type\":3}") << s("Missing field: type");
        QTest::newRow("unknown type") << s("{\"type\":\"poke\",\"content\":\"x\"}") << s("Unknown message type: poke");
        QTest::newRow("private without to") << s("{\"type\":\"private\",\"content\":\"x\"}") << s("Missing field: to");
        QTest::newRow("private to text") << s("{\"type\":\"private\",\"to\":\"bob\",\"content\":\"x\"}") << s("Invalid field: to");
        QTest::newRow("private to zero") << s("{\"type\":\"private\",\"to\":0,\"content\":\"x\"}") << s("Invalid field: to");
        QTest::newRow("private to fraction") << s("{\"type\":\"private\",\"to\":2.5,\"content\":\"x\"}") << s("Invalid field: to");
        QTest::newRow("private to object") << s("{\"type\":\"private\",\"to\":{},\"content\":\"x\"}") << s("Invalid field: to");
        QTest::newRow("private without content") << s("{\"type\":\"private\",\"to\":BOB}") << s("Missing field: content");
        QTest::newRow("private content number") << s("{\"type\":\"private\",\"to\":BOB,\"content\":5}") << s("Invalid field: content");
        QTest::newRow("private empty content") << s("{\"type\":\"private\",\"to\":BOB,\"content\":\"  \"}") << s("Message cannot be empty");
        QTest::newRow("private bad timestamp") << s("{\"type\":\"private\",\"to\":BOB,\"content\":\"x\",\"timestamp\":\"today\"}") << s("Invalid field: timestamp");
        QTest::newRow("private to unknown user") << s("{\"type\":\"private\",\"to\":999999,\"content\":\"x\"}") << s("User not found");
        QTest::newRow("private to oneself") << s("{\"type\":\"private\",\"to\":ALICE,\"content\":\"x\"}") << s("Cannot send a private message to yourself");
        QTest::newRow("group without group_id") << s("{\"type\":\"group\",\"content\":\"x\"}") << s("Missing field: group_id");
        QTest::newRow("group_id text") << s("{\"type\":\"group\",\"group_id\":\"devs\",\"content\":\"x\"}") << s("Invalid field: group_id");
        QTest::newRow("group without content") << s("{\"type\":\"group\",\"group_id\":\"LOBBY\"}") << s("Missing field: content");
        QTest::newRow("group unknown") << s("{\"type\":\"group\",\"group_id\":\"999999\",\"content\":\"x\"}") << s("You are not a member of this group");
        QTest::newRow("group is a direct room") << s("{\"type\":\"group\",\"group_id\":\"DIRECT\",\"content\":\"x\"}") << s("You are not a member of this group");
        QTest::newRow("broadcast without content") << s("{\"type\":\"broadcast\"}") << s("Missing field: content");
        QTest::newRow("broadcast by a user") << s("{\"type\":\"broadcast\",\"content\":\"x\"}") << s("Only admins can broadcast");
    }

    void badFramesAreIgnored()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        // A direct room alice is in, to aim a group frame at.
        const auto direct = hub().directRoomFor(m_alice.id, m_carol.id);
        QVERIFY(direct);
        text.replace(s("BOB"), QString::number(m_bob.id))
            .replace(s("ALICE"), QString::number(m_alice.id))
            .replace(s("LOBBY"), QString::number(store().lobby()->id))
            .replace(s("DIRECT"), QString::number(direct->id));
        auto alice = connectSocial(m_alice);
        auto bob = connectSocial(m_bob);
        QVERIFY(alice && bob);

        alice->sendText(text);
        const auto frame = alice->waitForType(s("error"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toString(), error);
        // Nothing stored, no room created, nobody told.
        QCOMPARE(totalMessages(m_alice.id), 0);
        QVERIFY(!store().directRoom(m_alice.id, m_bob.id));
        QVERIFY(!store().directRoom(m_alice.id, m_alice.id));
        QVERIFY(sync(*bob));
        QCOMPARE(news(*bob).size(), 0);

        // The connection is still usable.
        QVERIFY(alice->isConnected());
        alice->sendJson(privateTo(m_bob.id, s("still here")));
        const auto delivered = bob->waitForType(s("private"));
        QVERIFY(delivered);
        QCOMPARE(delivered->value(s("content")).toString(), s("still here"));
    }

    void binaryFramesAreIgnored()
    {
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        alice->socket().sendBinaryMessage(QByteArray("\x01\x02", 2));
        const auto frame = alice->waitForType(s("error"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toString(), s("Binary frames are not supported"));
        QVERIFY(sync(*alice));
    }

    void oversizeFrameClosesTheConnection()
    {
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        alice->sendJson(privateTo(m_bob.id, QString(70 * 1024, u'x')));
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        QCOMPARE(totalMessages(m_alice.id), 0);
    }

    void shutdownClosesWithGoingAway()
    {
        auto alice = connectSocial(m_alice);
        QVERIFY(alice);
        m_server->server().shutdown();
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }
};

NATTER_SERVER_TEST_MAIN(TestSocialDialect)
#include "tst_socialdialect.moc"
