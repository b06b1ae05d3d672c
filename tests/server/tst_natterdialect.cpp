// The `natter` door (docs/natter-protocol.md) through a real server and real
// WebSocket clients: the handshake and its errors, the sync (what was missed
// by seq, bounded, with `more`; rooms gone and reset), every request and its
// errors, exactly-once sends, and the pushed events (messages, marks,
// typing, presence, rooms and memberships, notifications).

#include "servertestmain.h"
#include "hub.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace natter;
using namespace natter::server;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;
using namespace Qt::StringLiterals;

namespace {

auto ofType(const QString &type)
{
    return [type](const QJsonObject &frame) { return frame.value(u"type"_s).toString() == type; };
}
auto reply(const QString &id)
{
    return [id](const QJsonObject &frame) { return frame.value(u"id"_s).toString() == id; };
}

} // namespace

class TestNatterDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    RoomRecord m_team; // alice and bob
    int m_requests = 0;

    Hub &hub() { return m_server->server().hub(); }

    std::unique_ptr<WsClient> connect(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(m_server->wsUrl(u"/ws/natter?token="_s + account.token)))
            return nullptr;
        return client;
    }
    // Connected and through the handshake; the sync is returned in *sync.
    std::unique_ptr<WsClient> signIn(const Account &account, QJsonObject *sync = nullptr,
                                     const QJsonObject &rooms = {}, int limit = 0)
    {
        auto client = connect(account);
        if (!client)
            return nullptr;
        QJsonObject hello{{u"type"_s, u"hello"_s}, {u"version"_s, 1}, {u"rooms"_s, rooms}};
        if (limit > 0)
            hello.insert(u"limit"_s, limit);
        client->sendJson(hello);
        if (!client->waitForType(u"welcome"_s))
            return nullptr;
        const auto synced = client->waitForType(u"sync"_s);
        if (!synced)
            return nullptr;
        if (sync)
            *sync = *synced;
        return client;
    }
    // Sends a request and waits for its reply (ack or error).
    QJsonObject request(WsClient &client, QJsonObject frame)
    {
        const QString id = u"r%1"_s.arg(++m_requests);
        frame.insert(u"id"_s, id);
        client.sendJson(frame);
        return client.waitFor(reply(id)).value_or(QJsonObject{});
    }
    QJsonObject sendText(WsClient &client, qint64 room, const QString &text, const QString &clientId)
    {
        return request(client, {{u"type"_s, u"send"_s}, {u"room"_s, room}, {u"client_id"_s, clientId},
                                {u"text"_s, text}});
    }
    static QJsonObject entryFor(const QJsonObject &sync, qint64 roomId)
    {
        for (const QJsonValue &entry : sync.value(u"rooms"_s).toArray()) {
            if (entry[u"room"_s][u"id"_s].toInteger() == roomId)
                return entry.toObject();
        }
        return {};
    }
    void post(const Account &from, qint64 room, const QString &text)
    {
        NewMessage message;
        message.roomId = room;
        message.senderId = from.id;
        message.body = text;
        QCOMPARE(hub().postMessageNow(message).result, PostOutcome::Result::Posted);
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(u"alice"_s, u"Alice"_s);
        m_bob = m_server->registerUser(u"bob"_s, u"Bob"_s);
        m_carol = m_server->registerUser(u"carol"_s, u"Carol"_s);
        const auto team = hub().createGroup(u"team"_s, m_alice.id);
        QVERIFY(team);
        QCOMPARE(hub().inviteToGroup(m_alice.id, team->id, m_bob.id), MembershipOutcome::Done);
        QCOMPARE(hub().answerInvitation(m_bob.id, team->id, true), MembershipOutcome::Done);
        m_team = *team;
    }
    void cleanup() { m_server.reset(); }

    // --- connection and handshake ------------------------------------------------

    void listedInApiNatter()
    {
        const auto info = m_server->get(u"/api/natter"_s);
        QCOMPARE(info.json.value(u"dialects"_s).toObject().value(u"natter"_s).toString(), u"/ws/natter"_s);
    }

    void badTokensAreClosedWith1008()
    {
        WsClient none;
        none.open(m_server->wsUrl(u"/ws/natter"_s));
        QVERIFY(none.waitForDisconnect());
        QCOMPARE(none.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(none.closeReason(), u"Token required"_s);
        WsClient bad;
        bad.open(m_server->wsUrl(u"/ws/natter?token=nope"_s));
        QVERIFY(bad.waitForDisconnect());
        QCOMPARE(bad.closeReason(), u"Invalid token"_s);
        // The session cookie does not open this door.
        WsClient cookie;
        cookie.open(m_server->wsUrl(u"/ws/natter"_s), {{"Cookie", "natter_session=" + m_alice.token.toUtf8()}});
        QVERIFY(cookie.waitForDisconnect());
        QCOMPARE(cookie.closeReason(), u"Token required"_s);
        // A bearer header does.
        WsClient bearer;
        QVERIFY(bearer.open(m_server->wsUrl(u"/ws/natter"_s), {{"Authorization", "Bearer " + m_alice.token.toUtf8()}}));
        bearer.sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 1}});
        QVERIFY(bearer.waitForType(u"welcome"_s));
    }

    void helloComesFirstAndNamesTheVersion()
    {
        auto early = connect(m_alice);
        QVERIFY(early);
        early->sendJson({{u"type"_s, u"send"_s}, {u"id"_s, u"x"_s}});
        const auto refused = early->waitForType(u"error"_s);
        QVERIFY(refused);
        QCOMPARE(refused->value(u"code"_s).toString(), u"hello_required"_s);
        QVERIFY(early->waitForDisconnect());
        QCOMPARE(int(early->closeCode()), 4001);

        auto future = connect(m_alice);
        QVERIFY(future);
        future->sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 2}});
        const auto unsupported = future->waitForType(u"error"_s);
        QVERIFY(unsupported);
        QCOMPARE(unsupported->value(u"code"_s).toString(), u"unsupported_version"_s);
        QCOMPARE(unsupported->value(u"supported"_s).toArray(), QJsonArray{1});
        QVERIFY(future->waitForDisconnect());
        QCOMPARE(int(future->closeCode()), 4000);
        QCOMPARE(future->countPending(ofType(u"welcome"_s)), 0);

        auto malformed = connect(m_alice);
        QVERIFY(malformed);
        malformed->sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 1}, {u"rooms"_s, QJsonObject{{u"x"_s, 1}}}});
        QVERIFY(malformed->waitForDisconnect());
        QCOMPARE(int(malformed->closeCode()), 4001);
    }

    void welcomeThenOneSync()
    {
        auto client = connect(m_alice);
        QVERIFY(client);
        client->sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 1}});
        const auto welcome = client->waitForType(u"welcome"_s);
        QVERIFY(welcome);
        QCOMPARE(welcome->value(u"version"_s).toInt(), 1);
        QCOMPARE(welcome->value(u"user"_s)[u"username"_s].toString(), u"alice"_s);
        QVERIFY(welcome->value(u"heartbeat_ms"_s).toInteger() > 0);
        const auto sync = client->waitForType(u"sync"_s);
        QVERIFY(sync);
        // The lobby and the team, each with its membership and marks.
        const QJsonObject team = entryFor(*sync, m_team.id);
        QCOMPARE(team.value(u"membership"_s).toString(), u"active"_s);
        QCOMPARE(team[u"room"_s][u"name"_s].toString(), u"team"_s);
        QCOMPARE(team[u"room"_s][u"members_count"_s].toInt(), 2);
        QVERIFY(team.value(u"marks"_s).toObject().contains(u"mine"_s));
        QCOMPARE(sync->value(u"rooms"_s).toArray().size(), 2);
        // A second hello is refused; the connection stays.
        client->sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 1}});
        const auto again = client->waitForType(u"error"_s);
        QVERIFY(again);
        QCOMPARE(again->value(u"code"_s).toString(), u"bad_request"_s);
        QVERIFY(client->isConnected());
    }

    // --- sync -------------------------------------------------------------------

    void syncCarriesWhatWasMissedBySeq()
    {
        for (int i = 1; i <= 12; ++i)
            post(m_bob, m_team.id, u"m%1"_s.arg(i));
        QJsonObject sync;
        // The client holds up to seq 4 of the team, knows a room that is gone,
        // and one seq above what the server has in the lobby (a reset).
        auto client = signIn(m_alice, &sync, {{QString::number(m_team.id), 4}, {u"99999"_s, 3},
                                              {QString::number(hub().directory().lobby()->id), 50}}, 5);
        QVERIFY(client);
        const QJsonObject team = entryFor(sync, m_team.id);
        const QJsonArray messages = team.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 5);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(messages[i][u"seq"_s].toInteger(), 5 + i);
        QCOMPARE(messages[0][u"text"_s].toString(), u"m5"_s);
        QCOMPARE(team.value(u"more"_s).toBool(), true);
        QCOMPARE(team[u"room"_s][u"last_seq"_s].toInteger(), 12);
        QCOMPARE(sync.value(u"gone"_s).toArray(), QJsonArray{99999});
        QCOMPARE(entryFor(sync, hub().directory().lobby()->id).value(u"reset"_s).toBool(), true);

        // The rest with history after the last one held.
        const QJsonObject rest = request(*client, {{u"type"_s, u"history"_s}, {u"room"_s, m_team.id}, {u"after"_s, 9}});
        QCOMPARE(rest.value(u"type"_s).toString(), u"ack"_s);
        QCOMPARE(rest.value(u"messages"_s).toArray().size(), 3);
        QCOMPARE(rest.value(u"messages"_s).toArray().first()[u"seq"_s].toInteger(), 10);
        QCOMPARE(rest.value(u"more"_s).toBool(), false);
        // And back from a seq, ascending.
        const QJsonObject back = request(*client, {{u"type"_s, u"history"_s}, {u"room"_s, m_team.id},
                                                   {u"before"_s, 4}, {u"limit"_s, 2}});
        const QJsonArray older = back.value(u"messages"_s).toArray();
        QCOMPARE(older.size(), 2);
        QCOMPARE(older[0][u"seq"_s].toInteger(), 2);
        QCOMPARE(older[1][u"seq"_s].toInteger(), 3);
        QCOMPARE(back.value(u"more"_s).toBool(), true);
    }

    void syncIsOneFrameForFiveHundredMissed()
    {
        // 500 messages in 10 rooms while alice is away: one welcome and one
        // sync bring exactly those 500, in seq order per room.
        QJsonObject known;
        QList<qint64> rooms;
        for (int r = 0; r < 10; ++r) {
            const auto room = hub().openDirectRoom(m_alice.id, m_server->registerUser(u"peer%1"_s.arg(r)).id);
            QVERIFY(room);
            rooms.append(room->room.id);
            known.insert(QString::number(room->room.id), 0);
        }
        for (int i = 0; i < 500; ++i) {
            NewMessage message;
            message.roomId = rooms[i % 10];
            message.senderId = hub().directory().members(message.roomId).first().userId == m_alice.id
                ? hub().directory().members(message.roomId).last().userId
                : hub().directory().members(message.roomId).first().userId;
            message.body = u"n%1"_s.arg(i);
            QCOMPARE(hub().postMessageNow(message).result, PostOutcome::Result::Posted);
        }
        auto client = connect(m_alice);
        QVERIFY(client);
        QSignalSpy frames(&client->socket(), &QWebSocket::textMessageReceived);
        client->sendJson({{u"type"_s, u"hello"_s}, {u"version"_s, 1}, {u"rooms"_s, known}});
        const auto sync = client->waitForType(u"sync"_s);
        QVERIFY(sync);
        QCOMPARE(frames.size(), 2); // welcome, sync
        int total = 0;
        for (qint64 room : rooms) {
            const QJsonArray messages = entryFor(*sync, room).value(u"messages"_s).toArray();
            QCOMPARE(messages.size(), 50);
            for (int i = 0; i < messages.size(); ++i)
                QCOMPARE(messages[i][u"seq"_s].toInteger(), i + 1);
            QCOMPARE(entryFor(*sync, room).value(u"more"_s).toBool(), false);
            total += int(messages.size());
        }
        QCOMPARE(total, 500);
    }

    // --- requests ---------------------------------------------------------------

    void sendIsAckedOnceAndDeliveredToOthers()
    {
        auto alice = signIn(m_alice);
        auto bob = signIn(m_bob);
        auto aliceElsewhere = signIn(m_alice);
        QVERIFY(alice && bob && aliceElsewhere);
        const QJsonObject acked = sendText(*alice, m_team.id, u"hello team"_s, u"c-1"_s);
        QCOMPARE(acked.value(u"type"_s).toString(), u"ack"_s);
        QCOMPARE(acked.value(u"duplicate"_s).toBool(), false);
        const qint64 seq = acked[u"message"_s][u"seq"_s].toInteger();
        QCOMPARE(seq, 1);
        const auto atBob = bob->waitForType(u"message"_s);
        QVERIFY(atBob);
        QCOMPARE(atBob->value(u"message"_s)[u"text"_s].toString(), u"hello team"_s);
        QCOMPARE(atBob->value(u"message"_s)[u"client_id"_s].toString(), u"c-1"_s);
        QVERIFY(aliceElsewhere->waitForType(u"message"_s)); // her other device
        // The same client id again: the original, nothing stored, nobody told.
        const QJsonObject again = sendText(*alice, m_team.id, u"hello team"_s, u"c-1"_s);
        QCOMPARE(again.value(u"duplicate"_s).toBool(), true);
        QCOMPARE(again[u"message"_s][u"seq"_s].toInteger(), seq);
        QCOMPARE(m_server->server().store().messageCount(m_team.id), 1);
        // The same client id in another room: a conflict.
        const auto direct = hub().openDirectRoom(m_alice.id, m_bob.id);
        QCOMPARE(sendText(*alice, direct->room.id, u"x"_s, u"c-1"_s).value(u"code"_s).toString(), u"conflict"_s);
        const QJsonObject ping = request(*alice, {{u"type"_s, u"rooms"_s}});
        QCOMPARE(ping.value(u"type"_s).toString(), u"ack"_s); // ordered after the sends
        QCOMPARE(alice->countPending(ofType(u"message"_s)), 0); // no echo to the sender
        QCOMPARE(bob->countPending(ofType(u"message"_s)), 0);
    }

    void badRequestsGetTheirError()
    {
        auto alice = signIn(m_alice);
        QVERIFY(alice);
        auto code = [&](QJsonObject frame) { return request(*alice, frame).value(u"code"_s).toString(); };
        QCOMPARE(code({{u"type"_s, u"send"_s}, {u"room"_s, m_team.id}, {u"client_id"_s, u"a"_s}, {u"text"_s, u"  "_s}}),
                 u"bad_request"_s);
        QCOMPARE(code({{u"type"_s, u"send"_s}, {u"room"_s, m_team.id}, {u"text"_s, u"no id"_s}}), u"bad_request"_s);
        QCOMPARE(code({{u"type"_s, u"send"_s}, {u"room"_s, m_team.id}, {u"client_id"_s, u"b"_s},
                       {u"text"_s, QString(2000, u'x')}}),
                 u"too_large"_s);
        QCOMPARE(code({{u"type"_s, u"send"_s}, {u"room"_s, 424242}, {u"client_id"_s, u"c"_s}, {u"text"_s, u"x"_s}}),
                 u"not_found"_s);
        QCOMPARE(code({{u"type"_s, u"frobnicate"_s}}), u"unknown_type"_s);
        QCOMPARE(code({{u"type"_s, u"history"_s}, {u"room"_s, 424242}}), u"not_found"_s);
        QCOMPARE(code({{u"type"_s, u"direct"_s}, {u"user"_s, m_alice.id}}), u"bad_request"_s);
        QCOMPARE(code({{u"type"_s, u"direct"_s}, {u"user"_s, 424242}}), u"not_found"_s);
        QCOMPARE(code({{u"type"_s, u"invite"_s}, {u"room"_s, m_team.id}, {u"user"_s, m_bob.id}}), u"conflict"_s);
        QCOMPARE(code({{u"type"_s, u"answer_invitation"_s}, {u"room"_s, m_team.id}, {u"accept"_s, true}}),
                 u"not_found"_s);
        QCOMPARE(code({{u"type"_s, u"mark"_s}, {u"room"_s, m_team.id}, {u"seq"_s, 1}}), u"bad_request"_s);
        // Not JSON, and no id: an error without id; the connection stays.
        alice->sendText(u"{nope"_s);
        const auto bad = alice->waitForType(u"error"_s);
        QVERIFY(bad);
        QVERIFY(!bad->contains(u"id"_s));
        QCOMPARE(m_server->server().store().messageCount(m_team.id), 0);
        QVERIFY(alice->isConnected());
    }

    void refusalsSayWhy()
    {
        auto alice = signIn(m_alice);
        auto carol = signIn(m_carol);
        QVERIFY(alice && carol);
        // A direct room carol blocked: alice's sends are forbidden, nothing stored.
        const auto direct = hub().openDirectRoom(m_alice.id, m_carol.id);
        QVERIFY(direct);
        QCOMPARE(request(*carol, {{u"type"_s, u"thread"_s}, {u"room"_s, direct->room.id}, {u"action"_s, u"block"_s}})
                     .value(u"membership"_s).toString(),
                 u"blocked"_s);
        const QJsonObject blocked = sendText(*alice, direct->room.id, u"hello?"_s, u"b-1"_s);
        QCOMPARE(blocked.value(u"code"_s).toString(), u"forbidden"_s);
        QCOMPARE(blocked.value(u"client_id"_s).toString(), u"b-1"_s);
        // Carol, blocked herself, may not send there either: a membership that is not active.
        QCOMPARE(sendText(*carol, direct->room.id, u"x"_s, u"b-2"_s).value(u"code"_s).toString(), u"forbidden"_s);
        QCOMPARE(m_server->server().store().messageCount(direct->room.id), 0);

        // Past the send limit: rate_limited with when to try again.
        hub().setSendLimit(1, 1);
        QCOMPARE(sendText(*alice, m_team.id, u"one"_s, u"r-1"_s).value(u"type"_s).toString(), u"ack"_s);
        const QJsonObject limited = sendText(*alice, m_team.id, u"two"_s, u"r-2"_s);
        QCOMPARE(limited.value(u"code"_s).toString(), u"rate_limited"_s);
        QVERIFY(limited.value(u"retry_after_ms"_s).toInteger() > 0);
        QCOMPARE(m_server->server().store().messageCount(m_team.id), 1);

        // A binary frame is not this protocol: close 1003.
        alice->socket().sendBinaryMessage("\x01\x02");
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported);
    }

    void broadcastsReachEveryone()
    {
        auto bob = signIn(m_bob);
        QVERIFY(bob);
        QCOMPARE(hub().broadcast(*hub().directory().user(m_alice.id), u"Maintenance at six"_s), 1);
        const auto broadcast = bob->waitForType(u"broadcast"_s);
        QVERIFY(broadcast);
        QCOMPARE(broadcast->value(u"text"_s).toString(), u"Maintenance at six"_s);
        QCOMPARE(broadcast->value(u"from"_s)[u"username"_s].toString(), u"alice"_s);
    }

    void marksReachTheAuthor()
    {
        auto alice = signIn(m_alice);
        auto bob = signIn(m_bob);
        QVERIFY(alice && bob);
        sendText(*alice, m_team.id, u"one"_s, u"k1"_s);
        sendText(*alice, m_team.id, u"two"_s, u"k2"_s);
        QVERIFY(bob->waitFor([](const QJsonObject &f) { return f[u"message"_s][u"seq"_s].toInt() == 2; }));
        const QJsonObject read = request(*bob, {{u"type"_s, u"mark"_s}, {u"room"_s, m_team.id}, {u"seq"_s, 2},
                                                {u"status"_s, u"read"_s}});
        QCOMPARE(read.value(u"type"_s).toString(), u"ack"_s);
        QCOMPARE(read.value(u"changed"_s).toBool(), true);
        const auto mark = alice->waitForType(u"mark"_s);
        QVERIFY(mark);
        QCOMPARE(mark->value(u"user"_s).toInteger(), m_bob.id);
        QCOMPARE(mark->value(u"read_up_to"_s).toInteger(), 2);
        // The author's copy says how far the others (here: bob) are.
        QCOMPARE(mark->value(u"others"_s)[u"read_up_to"_s].toInteger(), 2);
        // Marking again changes nothing.
        QCOMPARE(request(*bob, {{u"type"_s, u"mark"_s}, {u"room"_s, m_team.id}, {u"seq"_s, 2}, {u"status"_s, u"read"_s}})
                     .value(u"changed"_s).toBool(),
                 false);
        // Alice reconnects: her sync shows bob's mark as `others`.
        QJsonObject sync;
        auto again = signIn(m_alice, &sync);
        QVERIFY(again);
        QCOMPARE(entryFor(sync, m_team.id)[u"marks"_s][u"others"_s][u"read_up_to"_s].toInteger(), 2);
    }

    void typingAndPresenceArePushed()
    {
        auto alice = signIn(m_alice);
        QVERIFY(alice);
        auto bob = signIn(m_bob);
        QVERIFY(bob);
        const auto online = alice->waitFor([this](const QJsonObject &f) {
            return f.value(u"type"_s) == u"presence"_s && f[u"user"_s][u"id"_s].toInteger() == m_bob.id;
        });
        QVERIFY(online);
        QCOMPARE(online->value(u"user"_s)[u"online"_s].toBool(), true);
        bob->sendJson({{u"type"_s, u"typing"_s}, {u"room"_s, m_team.id}, {u"on"_s, true}});
        const auto typing = alice->waitForType(u"typing"_s);
        QVERIFY(typing);
        QCOMPARE(typing->value(u"room"_s).toInteger(), m_team.id);
        QCOMPARE(typing->value(u"user"_s)[u"username"_s].toString(), u"bob"_s);
        QCOMPARE(typing->value(u"on"_s).toBool(), true);
        bob.reset();
        const auto offline = alice->waitFor([this](const QJsonObject &f) {
            return f.value(u"type"_s) == u"presence"_s && f[u"user"_s][u"id"_s].toInteger() == m_bob.id
                && !f[u"user"_s][u"online"_s].toBool();
        });
        QVERIFY(offline);
    }

    void roomActionsArePushedToBothSides()
    {
        auto alice = signIn(m_alice);
        auto carol = signIn(m_carol);
        QVERIFY(alice && carol);
        // A direct room: the other side hears of it at once, no room-list request.
        const QJsonObject direct = request(*alice, {{u"type"_s, u"direct"_s}, {u"user"_s, m_carol.id}});
        QCOMPARE(direct.value(u"created"_s).toBool(), true);
        const qint64 directId = direct[u"room"_s][u"id"_s].toInteger();
        const auto appeared = carol->waitFor([directId](const QJsonObject &f) {
            return f.value(u"type"_s) == u"room"_s && f[u"room"_s][u"id"_s].toInteger() == directId;
        });
        QVERIFY(appeared);
        QCOMPARE(appeared->value(u"mine"_s).toString(), u"active"_s);
        QCOMPARE(request(*alice, {{u"type"_s, u"direct"_s}, {u"user"_s, m_carol.id}}).value(u"created"_s).toBool(),
                 false);

        // A group with carol invited: the invitation and its notification arrive.
        const QJsonObject group = request(*alice, {{u"type"_s, u"group"_s}, {u"name"_s, u"plans"_s},
                                                   {u"members"_s, QJsonArray{m_carol.id, 424242}}});
        QCOMPARE(group.value(u"invited"_s).toArray(), QJsonArray{m_carol.id});
        QCOMPARE(group.value(u"failed"_s).toArray().first()[u"code"_s].toString(), u"not_found"_s);
        const qint64 groupId = group[u"room"_s][u"id"_s].toInteger();
        const auto invited = carol->waitFor([groupId](const QJsonObject &f) {
            return f.value(u"type"_s) == u"room"_s && f[u"room"_s][u"id"_s].toInteger() == groupId
                && f.value(u"mine"_s) == u"invited"_s;
        });
        QVERIFY(invited);
        QVERIFY(carol->waitForType(u"notification"_s));
        const QJsonObject accepted = request(*carol, {{u"type"_s, u"answer_invitation"_s}, {u"room"_s, groupId},
                                                      {u"accept"_s, true}});
        QCOMPARE(accepted.value(u"membership"_s).toString(), u"active"_s);
        const auto joined = alice->waitFor([this, groupId](const QJsonObject &f) {
            return f.value(u"type"_s) == u"room"_s && f[u"room"_s][u"id"_s].toInteger() == groupId
                && f.value(u"user"_s).toInteger() == m_carol.id && f.value(u"membership"_s) == u"active"_s;
        });
        QVERIFY(joined);
        // Now carol gets the group's messages.
        sendText(*alice, groupId, u"welcome"_s, u"g1"_s);
        QVERIFY(carol->waitFor([](const QJsonObject &f) { return f[u"message"_s][u"text"_s] == u"welcome"_s; }));
        // People search.
        const QJsonObject people = request(*alice, {{u"type"_s, u"people"_s}, {u"query"_s, u"car"_s}});
        QCOMPARE(people.value(u"people"_s).toArray().size(), 1);
        QCOMPARE(people.value(u"people"_s)[0][u"online"_s].toBool(), true);
    }

    void silentClientIsClosed()
    {
        ServerConfig config = TestServer::defaultConfig();
        config.heartbeatInterval = std::chrono::milliseconds(100);
        config.pingTimeout = std::chrono::milliseconds(200);
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        const Account dave = m_server->registerUser(u"dave"_s);
        auto silent = signIn(dave);
        QVERIFY(silent);
        QVERIFY(silent->waitForType(u"ping"_s));
        QVERIFY(silent->waitForDisconnect(5000));
        QCOMPARE(int(silent->closeCode()), 4003);
    }
};

NATTER_SERVER_TEST_MAIN(TestNatterDialect)
#include "tst_natterdialect.moc"
