// Several nodes on one PostgreSQL and one Redis (`--redis`): users on
// different nodes and dialects chat as if on one server, each message once
// per session and in one order per room; presence and typing cross nodes;
// Redis restarted and the database gone for a while lose nothing. Three
// in-process nodes, a redis-server and a fresh database of the test's own
// (the PostgreSQL cluster of NATTER_TEST_POSTGRES; skipped without one).
// The kill -9 case runs real `natter --headless` processes behind HAProxy.

#include "backendfactory.h"
#include "backendtesting.h"
#include "clusterrelay.h"
#include "clustertesting.h"
#include "headlessprocess.h"
#include "hub.h"
#include "store.h"
#include "testserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>

using namespace natter;
using namespace natter::client;
using namespace Qt::StringLiterals;
using natter::server::NewMessage;
using natter::test::Account;
using natter::test::countText;
using natter::test::textsOf;
using natter::test::TestServer;

namespace {

bool requireOrSkip()
{
    return qEnvironmentVariable("CI") == u"true"_s;
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private:
    test::RedisProcess m_redis;
    test::ScratchDatabase m_database;
    std::optional<server::DatabaseUrl> m_databaseUrl;
    std::unique_ptr<test::TcpRelay> m_databaseRelay; // node 2 reaches the database through it
    std::unique_ptr<test::TcpRelay> m_redisRelay;    // and Redis through this one
    std::vector<std::unique_ptr<TestServer>> m_nodes;
    Account m_alice;
    Account m_bob;
    QString m_aliceUuid;
    QString m_bobUuid;
    qint64 m_roomId = 0;
    QString m_roomUuid;
    qint64 m_lobbyId = 0;

    TestServer &node(int index) { return *m_nodes.at(size_t(index)); }

    QString roomKey(const QString &dialect, const Account &other) const
    {
        return test::DirectRoom{m_roomId, m_roomUuid}.keyFor(dialect, other.id);
    }

    std::unique_ptr<Backend> connectAs(const QString &dialect, int nodeIndex, const QString &user, const QString &key)
    {
        return test::connectAndSubscribe(dialect, test::passwordSignIn(node(nodeIndex), user), key);
    }

    QString clusterState(int index)
    {
        return node(index).get(u"/api/natter"_s).json.value(u"cluster"_s).toString();
    }

    server::ServerConfig nodeConfig(int index, const server::DatabaseUrl &database)
    {
        server::ServerConfig config = TestServer::defaultConfig();
        config.database = database;
        QString error;
        config.redis = server::RedisUrl::parse(m_redis.url(), &error);
        if (index == 2)
            config.redis->port = m_redisRelay->port();
        config.nodeName = u"node-%1"_s.arg(index);
        config.maxConnectionsPerAddress = 0;
        return config;
    }

    static OutgoingMessage outgoing(const QString &key, const QString &recipient, const QString &text,
                                    const QString &clientId = QUuid::createUuid().toString(QUuid::WithoutBraces))
    {
        OutgoingMessage message;
        message.roomKey = key;
        message.recipientId = recipient;
        message.clientId = clientId;
        message.text = text;
        return message;
    }

    // Rows in the shared database, read behind the nodes' backs.
    QList<QPair<qint64, QString>> storedMessages(qint64 roomId)
    {
        const QString name = u"tst_cluster_raw"_s;
        QList<QPair<qint64, QString>> rows;
        {
            QSqlDatabase db = QSqlDatabase::contains(name) ? QSqlDatabase::database(name, false)
                                                           : QSqlDatabase::addDatabase(u"QPSQL"_s, name);
            db.setHostName(m_databaseUrl->host);
            db.setPort(m_databaseUrl->port);
            db.setUserName(m_databaseUrl->user);
            db.setPassword(m_databaseUrl->password);
            db.setDatabaseName(m_databaseUrl->database);
            if (!db.open())
                return rows;
            QSqlQuery query(db);
            query.exec(u"SELECT seq, body FROM messages WHERE room_id = %1 ORDER BY seq"_s.arg(roomId));
            while (query.next())
                rows.append({query.value(0).toLongLong(), query.value(1).toString()});
        }
        return rows;
    }

private slots:
    void initTestCase()
    {
        QString why;
        m_databaseUrl = m_database.create(&why);
        if (!m_databaseUrl) {
            if (requireOrSkip())
                QFAIL(qPrintable(why));
            QSKIP(qPrintable(why));
        }
        if (QStandardPaths::findExecutable(u"redis-server"_s).isEmpty()) {
            if (requireOrSkip())
                QFAIL("no redis-server (Debian package redis-server)");
            QSKIP("no redis-server (Debian package redis-server)");
        }
        QVERIFY(m_redis.start());
        m_databaseRelay = std::make_unique<test::TcpRelay>(m_databaseUrl->host, m_databaseUrl->port);
        QVERIFY(m_databaseRelay->listen());
        m_redisRelay = std::make_unique<test::TcpRelay>(u"127.0.0.1"_s, m_redis.port());
        QVERIFY(m_redisRelay->listen());
        for (int index = 0; index < 3; ++index) {
            server::DatabaseUrl database = *m_databaseUrl;
            if (index == 2) {
                database.host = u"127.0.0.1"_s;
                database.port = m_databaseRelay->port();
            }
            m_nodes.push_back(std::make_unique<TestServer>(nodeConfig(index, database)));
            QVERIFY2(node(index).start(), qPrintable(u"node %1"_s.arg(index)));
        }
        for (int index = 0; index < 3; ++index)
            QTRY_COMPARE_WITH_TIMEOUT(clusterState(index), u"ok"_s, 10000);

        m_alice = node(0).registerUser(u"alice"_s, u"Alice Adams"_s);
        m_bob = node(1).registerUser(u"bob"_s, u"Bob Brown"_s);
        QVERIFY(m_alice.id > 0 && m_bob.id > 0);
        m_aliceUuid = node(0).get(u"/api/auth/me"_s, m_alice.token).json.value(u"uuid"_s).toString();
        // A token of one node is good on every node: they sign with one secret.
        const auto bobOnNode2 = node(2).get(u"/api/auth/me"_s, m_bob.token);
        QCOMPARE(bobOnNode2.status, 200);
        m_bobUuid = bobOnNode2.json.value(u"uuid"_s).toString();
        const auto room = node(1).post(u"/api/v1.0/chat/rooms/"_s, QJsonObject{{u"participant"_s, m_bob.id}},
                                       m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(u"id"_s).toInteger();
        m_roomUuid = room.json.value(u"uuid"_s).toString();
        m_lobbyId = node(0).server().store().lobby()->id;
    }

    void apiNamesTheNode()
    {
        for (int index = 0; index < 3; ++index) {
            const auto about = node(index).get(u"/api/natter"_s).json;
            QCOMPARE(about.value(u"node"_s).toString(), u"node-%1"_s.arg(index));
            QCOMPARE(about.value(u"cluster"_s).toString(), u"ok"_s);
        }
    }

    void messagesCrossNodes_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<int>("fromNode");
        QTest::addColumn<QString>("to");
        QTest::addColumn<int>("toNode");
        QTest::newRow("rooms@0->chats@1") << u"rooms"_s << 0 << u"chats"_s << 1;
        QTest::newRow("chats@1->social@2") << u"chats"_s << 1 << u"social"_s << 2;
        QTest::newRow("social@2->cable@0") << u"social"_s << 2 << u"cable"_s << 0;
        QTest::newRow("cable@0->gateway@1") << u"cable"_s << 0 << u"gateway"_s << 1;
        QTest::newRow("gateway@1->rooms@2") << u"gateway"_s << 1 << u"rooms"_s << 2;
        QTest::newRow("natter@2->rooms@0") << u"natter"_s << 2 << u"rooms"_s << 0;
        QTest::newRow("rooms@1->natter@2") << u"rooms"_s << 1 << u"natter"_s << 2;
        QTest::newRow("natter@0->natter@1") << u"natter"_s << 0 << u"natter"_s << 1;
    }

    // A message, its receipt and typing, between users on two nodes.
    void messagesCrossNodes()
    {
        QFETCH(QString, from);
        QFETCH(int, fromNode);
        QFETCH(QString, to);
        QFETCH(int, toNode);
        auto bob = connectAs(to, toNode, u"bob"_s, roomKey(to, m_alice));
        QVERIFY2(bob, "Bob could not connect");
        auto alice = connectAs(from, fromNode, u"alice"_s, roomKey(from, m_bob));
        QVERIFY2(alice, "Alice could not connect");
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        QSignalSpy statuses(alice.get(), &Backend::statusChanged);
        QSignalSpy typing(bob.get(), &Backend::typingChanged);

        const QString text = u"%1@%2 to %3@%4"_s.arg(from).arg(fromNode).arg(to).arg(toNode);
        const QString marker = text + u" (marker)"_s;
        const QString recipient = test::DirectRoom::recipientFor(from, m_bob.id, m_bobUuid);
        alice->send(outgoing(roomKey(from, m_bob), recipient, text));
        alice->send(outgoing(roomKey(from, m_bob), recipient, marker));
        QTRY_VERIFY_WITH_TIMEOUT(countText(received, marker) == 1, 10000);
        QCOMPARE(countText(received, text), 1);
        QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, 10000);
        QVERIFY(failed.isEmpty());

        if (alice->can(Backend::Capability::Receipts) && bob->can(Backend::Capability::Receipts)) {
            const auto it = std::find_if(received.cbegin(), received.cend(), [&marker](const QList<QVariant> &args) {
                return args.first().value<ChatMessage>().text == marker;
            });
            const ChatMessage seen = it->first().value<ChatMessage>();
            bob->markStatus(seen.roomKey, seen.id, DeliveryStatus::Read);
            const QString ackedId = acked.last().at(1).value<ChatMessage>().id;
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(statuses.cbegin(), statuses.cend(), [&ackedId](const auto &args) {
                return args.at(1).toString() == ackedId && args.at(2).template value<DeliveryStatus>() == DeliveryStatus::Read;
            }), 10000);
        }
        if (alice->can(Backend::Capability::Typing) && bob->can(Backend::Capability::Typing)) {
            alice->setTyping(roomKey(from, m_bob), true);
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(typing.cbegin(), typing.cend(), [](const auto &args) {
                return args.at(2).toBool();
            }), 10000);
        }
    }

    // Online while a session is on any node; offline when the last one goes.
    void presenceIsClusterWide()
    {
        auto bob = connectAs(u"natter"_s, 1, u"bob"_s, QString::number(m_roomId));
        QVERIFY(bob);
        QSignalSpy presence(bob.get(), &Backend::presenceChanged);
        const auto aliceIs = [&presence](bool online) {
            return !presence.isEmpty() && presence.last().first().value<Person>().username == u"alice"_s
                && presence.last().first().value<Person>().online == online;
        };
        auto alice = connectAs(u"rooms"_s, 2, u"alice"_s, QString::number(m_roomId));
        QVERIFY(alice);
        QTRY_VERIFY_WITH_TIMEOUT(aliceIs(true), 10000);
        QVERIFY(node(1).server().hub().isOnline(m_alice.id));
        // A second session on another node: still one "online", no "offline" when one goes.
        auto aliceAgain = connectAs(u"natter"_s, 0, u"alice"_s, QString::number(m_roomId));
        QVERIFY(aliceAgain);
        alice.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!node(2).server().hub().usersHere().contains(m_alice.id), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(node(0).server().hub().sessionsOf(m_alice.id).size() == 1, 10000);
        QVERIFY(aliceIs(true));
        aliceAgain.reset();
        QTRY_VERIFY_WITH_TIMEOUT(aliceIs(false), 10000);
        QVERIFY(!node(1).server().hub().isOnline(m_alice.id));
    }

    // Messages posted on three nodes in turn reach a session on each node
    // once each, in seq order (a node often commits a message before it has
    // heard of the one another node committed just before).
    void oneOrderPerRoom()
    {
        std::vector<std::unique_ptr<Backend>> watchers;
        std::vector<std::unique_ptr<QSignalSpy>> spies;
        for (int index = 0; index < 3; ++index) {
            watchers.push_back(connectAs(u"natter"_s, index, u"bob"_s, QString::number(m_lobbyId)));
            QVERIFY(watchers.back());
            spies.push_back(std::make_unique<QSignalSpy>(watchers.back().get(), &Backend::messageReceived));
        }
        constexpr int count = 300;
        QStringList sent;
        for (int i = 0; i < count; ++i) {
            NewMessage message;
            message.roomId = m_lobbyId;
            message.senderId = m_alice.id;
            message.body = u"order %1"_s.arg(i, 3, 10, QChar(u'0'));
            message.clientId = u"order-%1"_s.arg(i);
            QCOMPARE(int(node(i % 3).server().hub().postMessageNow(message).result),
                     int(server::PostOutcome::Result::Posted));
            sent.append(message.body);
        }
        for (int index = 0; index < 3; ++index) {
            QTRY_COMPARE_WITH_TIMEOUT(textsOf(*spies[size_t(index)], u"order "_s).size(), count, 20000);
            QCOMPARE(textsOf(*spies[size_t(index)], u"order "_s), sent);
        }
        const auto stored = storedMessages(m_lobbyId);
        for (qsizetype i = 0; i < stored.size(); ++i)
            QCOMPARE(stored[i].first, i + 1); // gap-free
    }

    // A client id is one message on every node; a user's sends count
    // against one limit wherever they are made (the gateway's 4008 and REST's
    // 429 come from it).
    void dedupeAndRateLimitHoldAcrossNodes()
    {
        NewMessage message;
        message.roomId = m_roomId;
        message.senderId = m_alice.id;
        message.body = u"once, whichever node"_s;
        message.clientId = u"same-client-id"_s;
        const auto first = node(0).server().hub().postMessageNow(message);
        QCOMPARE(int(first.result), int(server::PostOutcome::Result::Posted));
        const auto again = node(1).server().hub().postMessageNow(message);
        QCOMPARE(int(again.result), int(server::PostOutcome::Result::Duplicate));
        QCOMPARE(again.message.id, first.message.id);

        auto watcher = connectAs(u"natter"_s, 2, u"bob"_s, QString::number(m_roomId));
        QVERIFY(watcher);
        QSignalSpy seen(watcher.get(), &Backend::messageReceived);
        for (int index = 0; index < 3; ++index)
            node(index).server().hub().setSendLimit(0.01, 3); // 3 at once, then one per 100 s
        const auto restore = qScopeGuard([this] {
            for (int index = 0; index < 3; ++index)
                node(index).server().hub().setSendLimit(0, 1);
        });
        for (int i = 0; i < 3; ++i) {
            message.body = u"limited %1"_s.arg(i);
            message.clientId = u"limited-%1"_s.arg(i);
            QCOMPARE(int(node(0).server().hub().postMessageNow(message).result),
                     int(server::PostOutcome::Result::Posted));
        }
        QTRY_COMPARE_WITH_TIMEOUT(textsOf(seen, u"limited "_s).size(), 3, 10000); // node 2 has heard of them
        message.body = u"one too many"_s;
        message.clientId = u"limited-3"_s;
        QCOMPARE(int(node(2).server().hub().postMessageNow(message).result),
                 int(server::PostOutcome::Result::RateLimited));
    }

    // Someone keeps typing longer than the typing expiry on one node: the
    // others keep showing it (refreshes cross nodes), and drop it once it ends.
    void typingStaysWhileRefreshed()
    {
        server::Hub &here = node(0).server().hub();
        server::Hub &there = node(1).server().hub();
        const auto typingThere = [&] { return there.typingUsers(m_roomId).contains(m_alice.id); };
        here.setTyping(m_alice.id, m_roomId, true);
        QTRY_VERIFY_WITH_TIMEOUT(typingThere(), 10000);
        QTimer refresh;
        connect(&refresh, &QTimer::timeout, this, [&] { here.setTyping(m_alice.id, m_roomId, true); });
        refresh.start(100); // the expiry is 400 ms (TestServer::defaultConfig)
        bool dropped = false;
        QTimer watch;
        connect(&watch, &QTimer::timeout, this, [&] { dropped = dropped || !typingThere(); });
        watch.start(20);
        QTimer span;
        span.setSingleShot(true);
        QSignalSpy over(&span, &QTimer::timeout);
        span.start(1500); // several expiries
        QVERIFY(over.wait(5000));
        watch.stop();
        QVERIFY2(!dropped, "node 1 dropped the typing while node 0 refreshed it");
        refresh.stop();
        QTRY_VERIFY_WITH_TIMEOUT(!typingThere(), 5000); // it ends by itself there too
    }

    // One node's link to Redis cut for a while: only it is degraded; what it
    // posted meanwhile reaches the others' sessions once it is back, without
    // waiting for the next message of that room.
    void oneNodeLosesRedis()
    {
        auto bob = connectAs(u"natter"_s, 0, u"bob"_s, QString::number(m_roomId));
        QVERIFY(bob);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        m_redisRelay->cut();
        QTRY_COMPARE_WITH_TIMEOUT(clusterState(2), u"degraded"_s, 10000);
        QCOMPARE(clusterState(0), u"ok"_s);
        NewMessage message;
        message.roomId = m_roomId;
        message.senderId = m_alice.id;
        message.body = u"while node 2 is cut off"_s;
        QCOMPARE(int(node(2).server().hub().postMessageNow(message).result), int(server::PostOutcome::Result::Posted));
        QVERIFY(m_redisRelay->restore());
        QTRY_COMPARE_WITH_TIMEOUT(clusterState(2), u"ok"_s, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(received, message.body), 1, 10000);
    }

    // Redis restarted during a stream of sends: every node says so and
    // keeps serving its own sessions; back, they resubscribe by themselves
    // and a session on another node gets the whole stream, in order, once.
    void redisRestartLosesNothing()
    {
        auto bob = connectAs(u"natter"_s, 1, u"bob"_s, QString::number(m_roomId));
        QVERIFY(bob);
        auto aliceHere = connectAs(u"natter"_s, 0, u"alice"_s, QString::number(m_roomId));
        QVERIFY(aliceHere);
        QSignalSpy bobReceived(bob.get(), &Backend::messageReceived);
        QSignalSpy aliceReceived(aliceHere.get(), &Backend::messageReceived);

        QStringList sent;
        QTimer stream;
        connect(&stream, &QTimer::timeout, this, [&] {
            NewMessage message;
            message.roomId = m_roomId;
            message.senderId = m_bob.id;
            message.body = u"redis stream %1"_s.arg(sent.size(), 3, 10, QChar(u'0'));
            message.clientId = u"redis-stream-%1"_s.arg(sent.size());
            if (node(0).server().hub().postMessageNow(message).result == server::PostOutcome::Result::Posted)
                sent.append(message.body);
        });
        stream.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(sent.size() >= 20, 10000);
        m_redis.stop();
        for (int index = 0; index < 3; ++index)
            QTRY_COMPARE_WITH_TIMEOUT(clusterState(index), u"degraded"_s, 10000);
        const qsizetype atOutage = sent.size();
        QTRY_VERIFY_WITH_TIMEOUT(sent.size() >= atOutage + 20, 10000); // posted while Redis is away
        QVERIFY(m_redis.start());
        for (int index = 0; index < 3; ++index)
            QTRY_COMPARE_WITH_TIMEOUT(clusterState(index), u"ok"_s, 15000);
        const qsizetype atReturn = sent.size();
        QTRY_VERIFY_WITH_TIMEOUT(sent.size() >= atReturn + 20, 10000);
        stream.stop();

        // Node 0 served its own session all along; the other node's gets everything once, in order.
        QTRY_COMPARE_WITH_TIMEOUT(textsOf(aliceReceived, u"redis stream"_s), sent, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(textsOf(bobReceived, u"redis stream"_s), sent, 15000);
        qInfo("%lld sent, %lld of them while Redis was away", qint64(sent.size()), qint64(atReturn - atOutage));
    }

    // The database away: sends fail with the dialect's error and nothing is
    // acknowledged; back, the same send (client id) is stored once.
    void databaseDownFailsSendsThenRecovers()
    {
        auto bob = connectAs(u"natter"_s, 0, u"bob"_s, QString::number(m_roomId));
        QVERIFY(bob);
        auto alice = connectAs(u"natter"_s, 2, u"alice"_s, QString::number(m_roomId)); // through the relay
        QVERIFY(alice);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        const qsizetype storedBefore = storedMessages(m_roomId).size();

        m_databaseRelay->cut();
        const OutgoingMessage message = outgoing(QString::number(m_roomId), {}, u"while the database is away"_s);
        alice->send(message);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 15000);
        QCOMPARE(failed.first().first().toString(), message.clientId);
        QVERIFY(acked.isEmpty());

        QVERIFY(m_databaseRelay->restore());
        // The app's outbox sends it again (same client id) until it is acknowledged.
        // (The node tries the database again at most once a second.)
        qsizetype failures = failed.size();
        alice->send(message);
        const auto sendAgainUntilAcked = [&] {
            if (failed.size() > failures) {
                failures = failed.size();
                alice->send(message);
            }
            return acked.size() == 1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sendAgainUntilAcked(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(countText(received, message.text), 1, 10000);
        const auto stored = storedMessages(m_roomId);
        QCOMPARE(stored.size(), storedBefore + 1);
        QCOMPARE(stored.last().second, message.text);
    }

    // Three `natter --headless` processes behind HAProxy. Alice streams
    // 1,000 sends through the proxy; the node she is on is killed with
    // SIGKILL a third of the way in. She reconnects through the proxy to
    // another node and sends again what was not acknowledged (same client
    // ids, as the app's outbox does). Every message is stored once, in one
    // gap-free order, and Bob, on a third node, gets each exactly once.
    void killNineLosesNothingAcked()
    {
        const QString haproxyBinary = QStandardPaths::findExecutable(u"haproxy"_s, {u"/usr/sbin"_s, u"/usr/bin"_s});
        if (haproxyBinary.isEmpty()) {
            if (requireOrSkip())
                QFAIL("no haproxy (Debian package haproxy)");
            QSKIP("no haproxy (Debian package haproxy)");
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::vector<std::unique_ptr<test::HeadlessProcess>> nodes;
        for (int index = 0; index < 3; ++index) {
            const QString data = dir.filePath(u"node%1"_s.arg(index));
            QVERIFY(QDir().mkpath(data));
            nodes.push_back(std::make_unique<test::HeadlessProcess>(data));
            QVERIFY(nodes.back()->start({u"--database"_s, u"postgres://%1:%2@%3:%4/%5"_s.arg(m_databaseUrl->user, m_databaseUrl->password, m_databaseUrl->host).arg(m_databaseUrl->port).arg(m_databaseUrl->database), u"--redis"_s, m_redis.url(),
                                         u"--node-name"_s, u"process-%1"_s.arg(index), u"--threads"_s, u"2"_s,
                                         u"--message-rate"_s, u"0"_s, u"--max-connections-per-address"_s, u"0"_s}));
        }
        // HAProxy: every connection to the first node that is up.
        const quint16 proxyPort = test::freeLoopbackPort();
        QString config = uR"(global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    option redispatch
    retries 3
frontend natter
    bind 127.0.0.1:%1
    default_backend nodes
backend nodes
    balance first
    option httpchk GET /api/natter
    default-server inter 200ms fall 1 rise 2
)"_s.arg(proxyPort);
        for (int index = 0; index < 3; ++index)
            config += u"    server node%1 127.0.0.1:%2 check\n"_s.arg(index).arg(nodes[size_t(index)]->port());
        QFile configFile(dir.filePath(u"haproxy.cfg"_s));
        QVERIFY(configFile.open(QIODevice::WriteOnly));
        configFile.write(config.toUtf8());
        configFile.close();
        QProcess haproxy;
        haproxy.setProcessChannelMode(QProcess::ForwardedChannels);
        haproxy.start(haproxyBinary, {u"-db"_s, u"-f"_s, configFile.fileName()});
        QVERIFY(haproxy.waitForStarted(5000));
        const auto cleanup = qScopeGuard([&haproxy] {
            haproxy.kill();
            haproxy.waitForFinished(5000);
        });
        QUrl proxyUrl(u"http://127.0.0.1"_s);
        proxyUrl.setPort(proxyPort);
        QNetworkAccessManager network;
        const auto proxiedNode = [&network, &proxyUrl] {
            QNetworkReply *reply = network.get(QNetworkRequest(proxyUrl.resolved(QUrl(u"/api/natter"_s))));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(5000);
            const QString node = QJsonDocument::fromJson(reply->readAll()).object().value(u"node"_s).toString();
            reply->deleteLater();
            return node;
        };
        QTRY_COMPARE_WITH_TIMEOUT(proxiedNode(), u"process-0"_s, 15000);

        Backend::Settings bobSettings;
        bobSettings.serverUrl = nodes[2]->url(QString());
        bobSettings.signIn.username = u"bob"_s;
        bobSettings.signIn.password = u"password123"_s;
        auto bob = test::connectAndSubscribe(u"natter"_s, bobSettings, QString::number(m_roomId), 20000);
        QVERIFY(bob);
        // Carol, a contact of Bob's, is on the node that will be killed.
        const Account carol = node(0).registerUser(u"carol"_s, u"Carol Chen"_s);
        QCOMPARE(node(0).post(u"/api/v1.0/chat/rooms/"_s, QJsonObject{{u"participant"_s, m_bob.id}}, carol.token).status,
                 201);
        QSignalSpy presence(bob.get(), &Backend::presenceChanged);
        const auto carolIs = [&presence](bool online) {
            return std::any_of(presence.cbegin(), presence.cend(), [online](const QList<QVariant> &args) {
                const Person person = args.first().value<Person>();
                return person.username == u"carol"_s && person.online == online;
            });
        };
        Backend::Settings carolSettings = bobSettings;
        carolSettings.serverUrl = nodes[0]->url(QString());
        carolSettings.signIn.username = u"carol"_s;
        auto carolClient = test::connectAndSubscribe(u"natter"_s, carolSettings, QString::number(m_roomId), 20000);
        QVERIFY(carolClient);
        QTRY_VERIFY_WITH_TIMEOUT(carolIs(true), 10000);

        Backend::Settings aliceSettings = bobSettings;
        aliceSettings.serverUrl = proxyUrl;
        aliceSettings.signIn.username = u"alice"_s;
        auto alice = test::connectAndSubscribe(u"natter"_s, aliceSettings, QString::number(m_roomId), 20000);
        QVERIFY(alice);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        QSignalSpy reconnected(alice.get(), &Backend::connected);
        constexpr int count = 1000;
        QElapsedTimer sinceKill;
        qint64 carolOfflineAfter = -1;
        connect(bob.get(), &Backend::presenceChanged, this, [&sinceKill, &carolOfflineAfter](const Person &person) {
            if (person.username == u"carol"_s && !person.online && sinceKill.isValid() && carolOfflineAfter < 0)
                carolOfflineAfter = sinceKill.elapsed();
        });
        QSet<QString> acked;
        qsizetype ackedAtKill = 0;
        // SIGKILL to the node Alice is on, a third of the way in.
        connect(alice.get(), &Backend::messageAcked, this,
                [&acked, &ackedAtKill, &nodes, &sinceKill](const QString &clientId, const ChatMessage &) {
            acked.insert(clientId);
            if (acked.size() == count / 3 && ackedAtKill == 0) {
                ackedAtKill = acked.size();
                nodes[0]->process().kill();
                sinceKill.start();
            }
        });
        const qsizetype storedBefore = storedMessages(m_roomId).size();

        const QString key = QString::number(m_roomId);
        const auto message = [&key](int i) {
            return outgoing(key, {}, u"stream %1"_s.arg(i, 4, 10, QChar(u'0')), u"stream-%1"_s.arg(i));
        };
        for (int i = 0; i < count; ++i)
            alice->send(message(i));
        QTRY_VERIFY_WITH_TIMEOUT(ackedAtKill > 0, 30000);

        // Back through the proxy on another node: what failed goes again.
        QTRY_VERIFY_WITH_TIMEOUT(!reconnected.isEmpty(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(proxiedNode(), u"process-1"_s, 15000);
        const auto sendAgainUntilAcked = [&] {
            for (int i = 0; i < count; ++i) {
                if (!acked.contains(u"stream-%1"_s.arg(i)) && !failed.isEmpty()) {
                    failed.clear();
                    for (int j = i; j < count; ++j) {
                        if (!acked.contains(u"stream-%1"_s.arg(j)))
                            alice->send(message(j));
                    }
                    break;
                }
            }
            return acked.size() == count;
        };
        QTRY_VERIFY_WITH_TIMEOUT(sendAgainUntilAcked(), 60000);

        // Stored once each, one gap-free order.
        const auto stored = storedMessages(m_roomId);
        QCOMPARE(stored.size(), storedBefore + count);
        QSet<QString> bodies;
        for (qsizetype i = 0; i < stored.size(); ++i) {
            QCOMPARE(stored[i].first, i + 1);
            bodies.insert(stored[i].second);
        }
        QCOMPARE(bodies.size(), stored.size());
        // Bob, on the third node: each exactly once.
        const auto printLogs = qScopeGuard([&nodes] {
            if (QTest::currentTestFailed()) {
                for (const auto &node : nodes)
                    qWarning().noquote() << node->process().readAllStandardError().right(4000);
            }
        });
        QTRY_COMPARE_WITH_TIMEOUT(textsOf(received, u"stream "_s).size(), count, 30000);
        const QStringList texts = textsOf(received, u"stream "_s);
        QCOMPARE(QSet<QString>(texts.cbegin(), texts.cend()).size(), count);
        qInfo("%lld of %d acknowledged when node 0 was killed", qint64(ackedAtKill), count);
        // Carol's only session died with her node: offline for Bob within the TTL.
        QTRY_VERIFY_WITH_TIMEOUT(carolIs(false), 20000);
        qInfo("Carol offline for Bob %lld ms after the kill (TTL %lld ms)", carolOfflineAfter,
              qint64(server::ClusterRelay::presenceTtl.count()));
        QVERIFY(carolOfflineAfter >= 0);
        QVERIFY(carolOfflineAfter < 15000 + 2000); // the promise (15 s) and a heartbeat's slack
    }

    // A node that stops says so: its users go offline for the others at
    // once, not after the presence TTL (10 s).
    void stoppingNodeSaysBye()
    {
        // Dave, whom no other node (nor a killed process) has ever counted online.
        const Account dave = node(0).registerUser(u"dave"_s, u"Dave Dunn"_s);
        QCOMPARE(node(0).post(u"/api/v1.0/chat/rooms/"_s, QJsonObject{{u"participant"_s, m_bob.id}}, dave.token).status,
                 201);
        auto bob = connectAs(u"natter"_s, 0, u"bob"_s, QString::number(m_roomId));
        QVERIFY(bob);
        QSignalSpy presence(bob.get(), &Backend::presenceChanged);
        auto daveClient = connectAs(u"natter"_s, 1, u"dave"_s, QString::number(m_roomId));
        QVERIFY(daveClient);
        QTRY_VERIFY_WITH_TIMEOUT(node(0).server().hub().isOnline(dave.id), 10000);
        node(1).server().stop();
        // Well inside the TTL: the "bye", not the silence, did it.
        QTRY_VERIFY_WITH_TIMEOUT(!node(0).server().hub().isOnline(dave.id), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(presence.cbegin(), presence.cend(), [](const QList<QVariant> &args) {
            const Person person = args.first().value<Person>();
            return person.username == u"dave"_s && !person.online;
        }), 5000);
    }

    void cleanupTestCase()
    {
        m_nodes.clear();
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
