// Spec 003's REST API: rooms, details, paged history, HTTP send, stats, health.

#include "servertestmain.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
} // namespace

class TestRoomsRest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    qint64 m_roomId = 0;

    void post(const Account &from, int count, const QString &prefix = s("m"))
    {
        for (int i = 0; i < count; ++i) {
            const auto reply = m_server->post(s("/api/v1.0/chat/messages/"),
                                              QJsonObject{{s("room"), m_roomId},
                                                          {s("content"), QString(prefix + QString::number(i))}},
                                              from.token);
            QCOMPARE(reply.status, 201);
        }
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"),
                                         QJsonObject{{s("participant"), m_bob.id}}, m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(s("id")).toInteger();
    }

    void cleanup() { m_server.reset(); }

    void directRoomIsCreatedOnceWithIdAndUuid()
    {
        const auto again = m_server->post(s("/api/v1.0/chat/rooms/"),
                                          QJsonObject{{s("participant"), m_alice.id}}, m_bob.token);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(s("id")).toInteger(), m_roomId);
        QVERIFY(!QUuid::fromString(again.json.value(s("uuid")).toString()).isNull());
        QCOMPARE(again.json.value(s("other_participant")).toObject().value(s("id")).toInteger(), m_alice.id);

        QCOMPARE(m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_alice.id}},
                                m_alice.token).status, 400);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), 99999}},
                                m_alice.token).status, 404);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{}, m_alice.token).status, 400);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}}).status, 401);
    }

    void roomListHasTheSpecFields()
    {
        post(m_bob, 1, s("Hey, how are you?"));
        const auto reply = m_server->get(s("/api/v1.0/chat/rooms/"), m_alice.token);
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.json.contains(s("next")));
        QVERIFY(reply.json.contains(s("previous")));
        const QJsonArray results = reply.json.value(s("results")).toArray();
        // The direct room (most recent activity first) and the lobby.
        QCOMPARE(reply.json.value(s("count")).toInt(), 2);
        QCOMPARE(results.size(), 2);
        const QJsonObject room = results.first().toObject();
        QCOMPARE(room.value(s("id")).toInteger(), m_roomId);
        QVERIFY(room.value(s("uuid")).isString());
        for (const char *field : {"participant1", "participant2", "other_participant"}) {
            const QJsonObject user = room.value(s(field)).toObject();
            for (const char *key : {"id", "username", "display_name", "imageUrls", "is_online", "last_seen"})
                QVERIFY2(user.contains(s(key)), field);
        }
        QCOMPARE(room.value(s("other_participant")).toObject().value(s("username")).toString(), s("bob"));
        const QJsonObject last = room.value(s("last_message")).toObject();
        QCOMPARE(last.value(s("content")).toString(), s("Hey, how are you?0"));
        QCOMPARE(last.value(s("sender_id")).toInteger(), m_bob.id);
        QCOMPARE(last.value(s("status")).toString(), s("sent"));
        QCOMPARE(room.value(s("unread_count")).toInt(), 1);
        QVERIFY(room.value(s("typing_users")).isArray());
        QVERIFY(room.value(s("created_at")).isString());

        // Carol is not in the room: she sees only the lobby, and no details.
        const auto carols = m_server->get(s("/api/v1.0/chat/rooms/"), m_carol.token);
        QCOMPARE(carols.json.value(s("count")).toInt(), 1);
        QCOMPARE(m_server->get(s("/api/v1.0/chat/rooms/%1/").arg(m_roomId), m_carol.token).status, 404);
        QCOMPARE(m_server->get(s("/api/v1.0/chat/rooms/%1/").arg(m_roomId)).status, 401);
        QCOMPARE(m_server->get(s("/api/v1.0/chat/rooms/%1/").arg(m_roomId), m_alice.token).status, 200);
    }

    void historyIsPagedNewestFirst()
    {
        post(m_alice, 25);
        const QString path = s("/api/v1.0/chat/rooms/%1/messages/").arg(m_roomId);
        const auto first = m_server->get(path, m_bob.token);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value(s("count")).toInt(), 25);
        QCOMPARE(first.json.value(s("previous")), QJsonValue(QJsonValue::Null));
        QVERIFY(first.json.value(s("next")).toString().endsWith(path + s("?page=2")));
        const QJsonArray page1 = first.json.value(s("results")).toArray();
        QCOMPARE(page1.size(), 20);
        QCOMPARE(page1.first().toObject().value(s("content")).toString(), s("m24"));
        QCOMPARE(page1.last().toObject().value(s("content")).toString(), s("m5"));

        const QJsonObject message = page1.first().toObject();
        QCOMPARE(message.value(s("room")).toInteger(), m_roomId);
        QCOMPARE(message.value(s("sender")).toObject().value(s("username")).toString(), s("alice"));
        QCOMPARE(message.value(s("status")).toString(), s("sent"));
        QCOMPARE(message.value(s("status_display")).toString(), s("Sent"));
        QCOMPARE(message.value(s("is_read")).toBool(), false);
        for (const char *key : {"sent_at", "delivered_at", "read_at", "created_at", "updated_at"})
            QVERIFY2(message.contains(s(key)), key);

        const auto second = m_server->get(path + s("?page=2"), m_bob.token);
        QCOMPARE(second.status, 200);
        const QJsonArray page2 = second.json.value(s("results")).toArray();
        QCOMPARE(page2.size(), 5);
        QCOMPARE(page2.last().toObject().value(s("content")).toString(), s("m0"));
        QCOMPARE(second.json.value(s("next")), QJsonValue(QJsonValue::Null));
        QVERIFY(second.json.value(s("previous")).toString().endsWith(path + s("?page=1")));

        QCOMPARE(m_server->get(path + s("?page=3"), m_bob.token).status, 404);
        QCOMPARE(m_server->get(path + s("?page=zero"), m_bob.token).status, 404);
        QCOMPARE(m_server->get(path, m_carol.token).status, 404);
    }

    void historyShowsReceiptsToTheSender()
    {
        post(m_alice, 1);
        const qint64 id = m_server->server().store().messages(m_roomId, 1).first().id;
        WsClient bob;
        QVERIFY(bob.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_roomId).arg(m_bob.token))));
        QVERIFY(bob.waitForType(s("connection_established")));
        bob.sendJson({{s("type"), s("message_read")}, {s("message_id"), id}});
        bob.sendJson({{s("type"), s("ping")}});
        QVERIFY(bob.waitForType(s("pong"))); // the receipt was handled before the pong
        // and is committed with the next group commit, moments later.
        const QString path = s("/api/v1.0/chat/rooms/%1/messages/").arg(m_roomId);
        auto newest = [&] { return m_server->get(path, m_alice.token).json.value(s("results")).toArray().first().toObject(); };
        QTRY_COMPARE(newest().value(s("status")).toString(), s("read"));
        const QJsonObject message = newest();
        QCOMPARE(message.value(s("is_read")).toBool(), true);
        QVERIFY(message.value(s("read_at")).isString());
        QVERIFY(message.value(s("delivered_at")).isString());
        const auto room = m_server->get(s("/api/v1.0/chat/rooms/%1/").arg(m_roomId), m_bob.token);
        QCOMPARE(room.json.value(s("unread_count")).toInt(), 0);
    }

    void httpSendFansOutToWebSockets()
    {
        WsClient bob;
        QVERIFY(bob.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_roomId).arg(m_bob.token))));
        const auto reply = m_server->post(s("/api/v1.0/chat/messages/"),
                                          QJsonObject{{s("room"), m_roomId}, {s("content"), s("Hello there!")}},
                                          m_alice.token);
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.json.value(s("content")).toString(), s("Hello there!"));
        QCOMPARE(reply.json.value(s("sender")).toObject().value(s("id")).toInteger(), m_alice.id);
        const auto frame = bob.waitForType(s("message"));
        QVERIFY(frame);
        QCOMPARE(frame->value(s("message")).toObject().value(s("id")), reply.json.value(s("id")));

        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_roomId}, {s("content"), QString(1001, u'x')}},
                                m_alice.token).status, 400);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"), QJsonObject{{s("room"), m_roomId}},
                                m_alice.token).status, 400);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_roomId}, {s("content"), s("sneaky")}},
                                m_carol.token).status, 404);
        QCOMPARE(m_server->server().store().messageCount(m_roomId), 1);
    }

    void statsCountTheCallersActivity()
    {
        post(m_alice, 3);
        const auto reply = m_server->get(s("/api/v1.0/chat/stats/"), m_alice.token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(s("user_id")).toInteger(), m_alice.id);
        QCOMPARE(reply.json.value(s("total_rooms")).toInt(), 2);
        QCOMPARE(reply.json.value(s("active_rooms_today")).toInt(), 1);
        QCOMPARE(reply.json.value(s("recent_messages_24h")).toInt(), 3);
        QCOMPARE(reply.json.value(s("channel_layer_status")).toString(), s("available"));
        const QJsonObject settings = reply.json.value(s("connection_settings")).toObject();
        QCOMPARE(settings.value(s("heartbeat_interval")).toInt(), 30);
        QCOMPARE(settings.value(s("connection_timeout")).toInt(), 14400);
        QCOMPARE(settings.value(s("ping_timeout")).toInt(), 10);
        QCOMPARE(settings.value(s("max_reconnect_attempts")).toInt(), 5);
        QCOMPARE(m_server->get(s("/api/v1.0/chat/stats/")).status, 401);
    }

    void healthChecksReachTheRoomsConnections()
    {
        post(m_alice, 2);
        WsClient bob;
        QVERIFY(bob.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_roomId).arg(m_bob.token))));
        QVERIFY(bob.waitForType(s("connection_established")));
        const auto reply = m_server->get(s("/api/v1.0/chat/rooms/%1/health/").arg(m_roomId), m_alice.token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json.value(s("room_id")).toInteger(), m_roomId);
        QCOMPARE(reply.json.value(s("group_name")).toString(), s("chat_%1").arg(m_roomId));
        QCOMPARE(reply.json.value(s("health_check_sent")).toBool(), true);
        QCOMPARE(reply.json.value(s("recent_messages_count")).toInt(), 2);
        const auto check = bob.waitForType(s("health_check_response"));
        QVERIFY(check);
        QCOMPARE(check->value(s("room_id")).toInteger(), m_roomId);
        QCOMPARE(check->value(s("user_id")).toInteger(), m_bob.id);
        QCOMPARE(check->value(s("is_alive")).toBool(), true);

        const auto broadcast = m_server->post(s("/api/v1.0/chat/health-check/"), QByteArray(), m_bob.token);
        QCOMPARE(broadcast.status, 200);
        QCOMPARE(broadcast.json.value(s("total_rooms")).toInt(), 2);
        QCOMPARE(broadcast.json.value(s("health_checks_sent")).toInt(), 1);
        QVERIFY(bob.waitForType(s("health_check_response")));
        QCOMPARE(m_server->get(s("/api/v1.0/chat/rooms/%1/health/").arg(m_roomId), m_carol.token).status, 404);
    }
};

NATTER_SERVER_TEST_MAIN(TestRoomsRest)
#include "tst_roomsrest.moc"
