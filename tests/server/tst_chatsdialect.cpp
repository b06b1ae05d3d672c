// The `chats` dialect (spec 001) over a real WebSocket: subscribe results,
// message_response after commit, incoming {from, message, chat_id} for
// subscribed connections only, every error string of the spec's table, the
// closes (malformed JSON, bad token, shutdown), messages crossing to and from
// the `rooms` dialect, and the spec's own Python client (and wscat) driven
// as separate processes against the in-process server.

#include "servertestmain.h"
#include "hub.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;
using natter::server::RoomRecord;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

auto isAction(const QString &action)
{
    return [action](const QJsonObject &frame) { return frame.value(s("action")).toString() == action; };
}

bool isIncoming(const QJsonObject &frame) { return frame.contains(s("from")); }

QJsonObject errorObject(const char *error)
{
    return {{s("error"), s(error)}, {s("status"), s("error")}};
}

QString uuidText(const QUuid &uuid) { return uuid.toString(QUuid::WithoutBraces); }

// tests/clients in the source tree (this file is tests/server/tst_chatsdialect.cpp).
QString clientsDir()
{
    return QFileInfo(QStringLiteral(__FILE__)).absoluteDir().absoluteFilePath(s("../clients"));
}

struct Finished
{
    bool ran = false; // started and finished within the timeout
    int exitCode = -1;
    QByteArray out;
};

// Runs a program to its end while this thread's event loop (and so the
// server under test) keeps running: waits on QProcess's signals.
Finished runToEnd(const QString &program, const QStringList &arguments, int timeoutMs,
                  const QString &workingDir = {})
{
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    Finished result;
    QObject::connect(&process, &QProcess::readyReadStandardOutput, &process,
                     [&] { result.out += process.readAllStandardOutput(); });
    QSignalSpy finished(&process, &QProcess::finished);
    QSignalSpy failed(&process, &QProcess::errorOccurred);
    process.start();
    QDeadlineTimer deadline(timeoutMs);
    while (finished.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
        finished.wait(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    if (finished.isEmpty()) {
        process.kill();
        process.waitForFinished(1000); // the child only: nothing of the server to serve by now
        return result;
    }
    result.out += process.readAllStandardOutput();
    result.ran = process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    return result;
}

} // namespace

class TestChatsDialect : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    Account m_carol;
    RoomRecord m_team;    // alice and bob
    RoomRecord m_other;   // carol only
    RoomRecord m_invited; // carol's, alice only invited
    RoomRecord m_blocked; // alice and bob, direct, bob blocked alice
    RoomRecord m_lobby;

    server::Store &store() { return m_server->server().store(); }

    QUrl chatsUrl(const QString &token) const
    {
        return m_server->wsUrl(s("/chats/ws?token=") + token);
    }

    std::unique_ptr<WsClient> connectAs(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(chatsUrl(account.token)))
            return nullptr;
        return client;
    }

    // Subscribes and checks every chat succeeded.
    static bool subscribe(WsClient &client, const QStringList &chatIds)
    {
        client.sendJson({{s("action"), s("subscribe")}, {s("chat_ids"), QJsonArray::fromStringList(chatIds)}});
        const auto response = client.waitFor(isAction(s("subscribe_response")));
        if (!response)
            return false;
        const QJsonArray results = response->value(s("results")).toArray();
        return results.size() == chatIds.size()
            && std::all_of(results.begin(), results.end(), [](const QJsonValue &result) {
                   return result.toObject().value(s("status")).toString() == s("success");
               });
    }

    // A round trip: everything the server sent this client before it has arrived.
    static bool barrier(WsClient &client)
    {
        client.sendJson({{s("action"), s("subscribe")}, {s("chat_ids"), QJsonArray()}});
        return client.waitFor([](const QJsonObject &frame) {
            return isAction(s("subscribe_response"))(frame) && frame.value(s("results")).toArray().isEmpty();
        }).has_value();
    }

    static QJsonObject messageFrame(const QString &chatId, const QString &text)
    {
        return {{s("action"), s("message")}, {s("chat_id"), chatId}, {s("text"), text}};
    }

    int storedIn(const RoomRecord &room) { return store().messageCount(room.id); }
    int storedEverywhere()
    {
        return storedIn(m_team) + storedIn(m_other) + storedIn(m_invited) + storedIn(m_blocked)
            + storedIn(m_lobby);
    }

    QString team() const { return uuidText(m_team.uuid); }

    // A Python interpreter that has the `websockets` package (Debian's
    // python3-websockets installs it for /usr/bin/python3).
    QString pythonWithWebsockets()
    {
        QStringList candidates{s("/usr/bin/python3")};
        const QString onPath = QStandardPaths::findExecutable(s("python3"));
        if (!onPath.isEmpty())
            candidates.append(onPath);
        for (const QString &python : std::as_const(candidates)) {
            if (!QFileInfo(python).isExecutable())
                continue;
            const Finished probe = runToEnd(python, {s("-c"), s("import websockets")}, 15000);
            if (probe.ran && probe.exitCode == 0)
                return python;
        }
        return {};
    }

    // wscat (npm), installed from tests/clients/package.json (+ lock) into
    // the build tree; empty when npm is missing or the install failed.
    QString installWscat()
    {
        const QString target = QCoreApplication::applicationDirPath() + s("/chats-clients");
        const QString binary = target + s("/node_modules/.bin/wscat");
        const QString npm = QStandardPaths::findExecutable(s("npm"));
        QFile lock(clientsDir() + s("/package-lock.json"));
        QFile installedLock(target + s("/package-lock.json"));
        if (!lock.open(QIODevice::ReadOnly))
            return {};
        const QByteArray wanted = lock.readAll();
        if (QFileInfo(binary).isExecutable() && installedLock.open(QIODevice::ReadOnly)
            && installedLock.readAll() == wanted)
            return binary;
        if (npm.isEmpty())
            return {};
        QDir().mkpath(target);
        for (const char *name : {"package.json", "package-lock.json"}) {
            QFile::remove(target + u'/' + s(name));
            if (!QFile::copy(clientsDir() + u'/' + s(name), target + u'/' + s(name)))
                return {};
        }
        const Finished install =
            runToEnd(npm, {s("ci"), s("--no-audit"), s("--no-fund")}, 90000, target);
        if (!install.ran || install.exitCode != 0) {
            qWarning().noquote() << "npm ci failed:" << install.out;
            return {};
        }
        return QFileInfo(binary).isExecutable() ? binary : QString();
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        m_carol = m_server->registerUser(s("carol"), s("Carol"));
        QVERIFY(m_alice.id && m_bob.id && m_carol.id);

        auto team = store().createGroup(s("team"), m_alice.id);
        QVERIFY(team);
        m_team = *team;
        QVERIFY(store().setMembership(m_team.id, m_bob.id, MembershipState::Active));
        auto other = store().createGroup(s("carol's"), m_carol.id);
        QVERIFY(other);
        m_other = *other;
        auto invited = store().createGroup(s("invite only"), m_carol.id);
        QVERIFY(invited);
        m_invited = *invited;
        QVERIFY(store().setMembership(m_invited.id, m_alice.id, MembershipState::Invited));
        auto blocked = store().createDirectRoom(m_alice.id, m_bob.id);
        QVERIFY(blocked);
        m_blocked = *blocked;
        QVERIFY(store().setMembership(m_blocked.id, m_bob.id, MembershipState::Blocked));
        auto lobby = store().lobby();
        QVERIFY(lobby);
        m_lobby = *lobby;
    }

    void cleanup() { m_server.reset(); }

    void subscribeAnswersEachChatInRequestOrder()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        const QString bracedUpper = m_team.uuid.toString(QUuid::WithBraces).toUpper();
        const QJsonArray requested{team(),
                                   uuidText(m_other.uuid),
                                   s("not-a-uuid"),
                                   uuidText(QUuid::createUuid()),
                                   uuidText(m_lobby.uuid),
                                   42,
                                   uuidText(m_invited.uuid),
                                   bracedUpper,
                                   s("")};
        alice->sendJson({{s("action"), s("subscribe")}, {s("chat_ids"), requested}});
        const auto response = alice->waitFor(isAction(s("subscribe_response")));
        QVERIFY(response);
        const auto ok = [](const QJsonValue &id) {
            return QJsonObject{{s("chat_id"), id}, {s("status"), s("success")}};
        };
        const auto denied = [](const QJsonValue &id) {
            return QJsonObject{{s("chat_id"), id}, {s("status"), s("error")}, {s("error"), s("no access")}};
        };
        const QJsonObject expected{
            {s("action"), s("subscribe_response")},
            {s("results"),
             QJsonArray{ok(requested[0]), denied(requested[1]), denied(requested[2]), denied(requested[3]),
                        ok(requested[4]), denied(requested[5]), denied(requested[6]), ok(requested[7]),
                        denied(requested[8])}}};
        QCOMPARE(*response, expected);

        // An empty list is a valid request with no results.
        QVERIFY(barrier(*alice));
    }

    void subscribeWithoutAListOfChatIds_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::newRow("missing") << s(R"({"action":"subscribe"})");
        QTest::newRow("null") << s(R"({"action":"subscribe","chat_ids":null})");
        QTest::newRow("a string") << s(R"({"action":"subscribe","chat_ids":"TEAM"})");
        QTest::newRow("an object") << s(R"({"action":"subscribe","chat_ids":{"0":"TEAM"}})");
        QTest::newRow("singular chat_id") << s(R"({"action":"subscribe","chat_id":"TEAM"})");
    }

    void subscribeWithoutAListOfChatIds()
    {
        QFETCH(QString, frame);
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*bob, {team()}));
        alice->sendText(frame.replace(s("TEAM"), team()));
        const auto reply = alice->waitFor([](const QJsonObject &f) { return f.contains(s("error")); });
        QVERIFY(reply);
        QCOMPARE(*reply, errorObject("Missing chat_id"));
        // Nothing was subscribed: a message to the team reaches bob, not this connection.
        bob->sendJson(messageFrame(team(), s("are you there?")));
        QVERIFY(bob->waitFor(isAction(s("message_response"))));
        QVERIFY(barrier(*alice));
        QCOMPARE(alice->countPending(isIncoming), 0);
    }

    void messageIsAcknowledgedStoredAndDelivered()
    {
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*alice, {team()}));
        QVERIFY(subscribe(*bob, {team()}));

        alice->sendJson(messageFrame(team(), s("Hello, world!")));
        const auto response = alice->waitFor(isAction(s("message_response")));
        QVERIFY(response);
        QCOMPARE(response->value(s("status")).toString(), s("success"));
        QCOMPARE(response->value(s("chat_id")).toString(), team());
        const qint64 id = response->value(s("id")).toInteger();
        QVERIFY(id > 0);

        // Acknowledged means committed.
        const auto stored = store().messageById(id);
        QVERIFY(stored);
        QCOMPARE(stored->body, s("Hello, world!"));
        QCOMPARE(stored->senderId, m_alice.id);
        QCOMPARE(stored->roomId, m_team.id);
        QCOMPARE(storedIn(m_team), 1);

        const auto incoming = bob->waitFor(isIncoming);
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("from")).toString(), s("alice"));
        QCOMPARE(incoming->value(s("message")).toString(), s("Hello, world!"));
        QCOMPARE(incoming->value(s("chat_id")).toString(), team());
        QCOMPARE(incoming->value(s("id")).toInteger(), id);
        QCOMPARE(incoming->value(s("room_id")).toInteger(), m_team.id);
        QVERIFY(QDateTime::fromString(incoming->value(s("timestamp")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!incoming->contains(s("action")));

        // The sending connection is not echoed its own message.
        QVERIFY(barrier(*alice));
        QCOMPARE(alice->countPending(isIncoming), 0);
    }

    void sendersOtherConnectionsGetTheMessage()
    {
        auto phone = connectAs(m_alice);
        auto laptop = connectAs(m_alice);
        QVERIFY(phone && laptop);
        QVERIFY(subscribe(*phone, {team()}));
        QVERIFY(subscribe(*laptop, {team()}));
        phone->sendJson(messageFrame(team(), s("sent from my phone")));
        QVERIFY(phone->waitFor(isAction(s("message_response"))));
        const auto incoming = laptop->waitFor(isIncoming);
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("from")).toString(), s("alice"));
        QCOMPARE(incoming->value(s("message")).toString(), s("sent from my phone"));
        QVERIFY(barrier(*phone));
        QCOMPARE(phone->countPending(isIncoming), 0);
    }

    void onlySubscribedConnectionsReceive()
    {
        auto alice = connectAs(m_alice);
        auto bobSubscribed = connectAs(m_bob);
        auto bobElsewhere = connectAs(m_bob); // subscribed to the lobby only
        auto bobIdle = connectAs(m_bob);      // subscribed to nothing
        auto carol = connectAs(m_carol);      // not a member; tries anyway
        QVERIFY(alice && bobSubscribed && bobElsewhere && bobIdle && carol);
        QVERIFY(subscribe(*bobSubscribed, {team()}));
        QVERIFY(subscribe(*bobElsewhere, {uuidText(m_lobby.uuid)}));
        carol->sendJson({{s("action"), s("subscribe")}, {s("chat_ids"), QJsonArray{team()}}});
        QVERIFY(carol->waitFor(isAction(s("subscribe_response"))));

        // Sending needs membership, not a subscription.
        alice->sendJson(messageFrame(team(), s("team only")));
        QVERIFY(alice->waitFor(isAction(s("message_response"))));
        QVERIFY(bobSubscribed->waitFor(isIncoming));
        for (WsClient *client : {bobElsewhere.get(), bobIdle.get(), carol.get()}) {
            QVERIFY(barrier(*client));
            QCOMPARE(client->countPending(isIncoming), 0);
        }

        // The lobby subscription gets lobby messages, in chats format.
        alice->sendJson(messageFrame(uuidText(m_lobby.uuid), s("hello everyone")));
        QVERIFY(alice->waitFor(isAction(s("message_response"))));
        const auto lobby = bobElsewhere->waitFor(isIncoming);
        QVERIFY(lobby);
        QCOMPARE(lobby->value(s("chat_id")).toString(), uuidText(m_lobby.uuid));
        QCOMPARE(lobby->value(s("message")).toString(), s("hello everyone"));
        QVERIFY(barrier(*bobSubscribed));
        QCOMPARE(bobSubscribed->countPending(isIncoming), 0);
    }

    void roomsDialectMessagesReachChatsSubscribers()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        QVERIFY(subscribe(*alice, {team()}));
        WsClient bobRooms;
        QVERIFY(bobRooms.open(m_server->wsUrl(s("/ws/chat/%1/?token=%2").arg(m_team.id).arg(m_bob.token))));
        QVERIFY(bobRooms.waitForType(s("connection_established")));

        bobRooms.sendJson({{s("type"), s("message")}, {s("content"), s("from the rooms dialect")}, {s("temp_id"), s("t1")}});
        const auto incoming = alice->waitFor(isIncoming);
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("from")).toString(), s("bob"));
        QCOMPARE(incoming->value(s("message")).toString(), s("from the rooms dialect"));
        QCOMPARE(incoming->value(s("chat_id")).toString(), team());

        alice->sendJson(messageFrame(team(), s("from the chats dialect")));
        QVERIFY(alice->waitFor(isAction(s("message_response"))));
        const auto received = bobRooms.waitFor([](const QJsonObject &f) {
            return f.value(s("type")).toString() == s("message")
                && f.value(s("message")).toObject().value(s("content")).toString() == s("from the chats dialect");
        });
        QVERIFY(received);
        const QJsonObject message = received->value(s("message")).toObject();
        QCOMPARE(message.value(s("sender_username")).toString(), s("alice"));
        QCOMPARE(message.value(s("room_id")).toInteger(), m_team.id);
        QCOMPARE(storedIn(m_team), 2);
    }

    void errorsUseTheSpecStrings_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("error");
        const QString unknown = s("Unknown action");
        const QString missing = s("Missing chat_id");
        const QString empty = s("Message cannot be empty");
        const QString noAccess = s("no access");
        QTest::newRow("unknown action") << s(R"({"action":"dance"})") << unknown;
        QTest::newRow("no action") << s(R"({"chat_id":"TEAM","text":"hi"})") << unknown;
        QTest::newRow("action not a string") << s(R"({"action":1,"chat_id":"TEAM","text":"hi"})") << unknown;
        QTest::newRow("action in other case") << s(R"({"action":"MESSAGE","chat_id":"TEAM","text":"hi"})") << unknown;
        QTest::newRow("empty object") << s("{}") << unknown;
        QTest::newRow("no chat_id") << s(R"({"action":"message","text":"hi"})") << missing;
        QTest::newRow("null chat_id") << s(R"({"action":"message","chat_id":null,"text":"hi"})") << missing;
        QTest::newRow("empty chat_id") << s(R"({"action":"message","chat_id":"","text":"hi"})") << missing;
        QTest::newRow("numeric chat_id") << s(R"({"action":"message","chat_id":7,"text":"hi"})") << missing;
        QTest::newRow("no chat_id, no text") << s(R"({"action":"message"})") << missing;
        QTest::newRow("no text") << s(R"({"action":"message","chat_id":"TEAM"})") << empty;
        QTest::newRow("empty text") << s(R"({"action":"message","chat_id":"TEAM","text":""})") << empty;
        QTest::newRow("blank text") << s(R"({"action":"message","chat_id":"TEAM","text":" \n\t "})") << empty;
        QTest::newRow("text not a string") << s(R"({"action":"message","chat_id":"TEAM","text":5})") << empty;
        QTest::newRow("text null") << s(R"({"action":"message","chat_id":"TEAM","text":null})") << empty;
        QTest::newRow("not a uuid") << s(R"({"action":"message","chat_id":"chat-uuid-1","text":"hi"})") << noAccess;
        QTest::newRow("no such chat") << s(R"({"action":"message","chat_id":"RANDOM","text":"hi"})") << noAccess;
        QTest::newRow("someone else's chat") << s(R"({"action":"message","chat_id":"OTHER","text":"hi"})") << noAccess;
        QTest::newRow("only invited") << s(R"({"action":"message","chat_id":"INVITED","text":"hi"})") << noAccess;
        QTest::newRow("blocked") << s(R"({"action":"message","chat_id":"BLOCKED","text":"hi"})")
                                 << s("Couldn't send message");
    }

    void errorsUseTheSpecStrings()
    {
        QFETCH(QString, frame);
        QFETCH(QString, error);
        frame.replace(s("TEAM"), team())
            .replace(s("RANDOM"), uuidText(QUuid::createUuid()))
            .replace(s("OTHER"), uuidText(m_other.uuid))
            .replace(s("INVITED"), uuidText(m_invited.uuid))
            .replace(s("BLOCKED"), uuidText(m_blocked.uuid));
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*bob, {team()})); // bob's side of the blocked room is not active

        alice->sendText(frame);
        const auto reply = alice->waitFor([](const QJsonObject &f) { return f.contains(s("error")); });
        QVERIFY(reply);
        QCOMPARE(*reply, (QJsonObject{{s("error"), error}, {s("status"), s("error")}}));
        QCOMPARE(alice->countPending(isAction(s("message_response"))), 0);
        QCOMPARE(storedEverywhere(), 0);
        QVERIFY(barrier(*bob));
        QCOMPARE(bob->countPending(isIncoming), 0);

        // The connection stays open and works.
        QVERIFY(alice->isConnected());
        alice->sendJson(messageFrame(team(), s("after the error")));
        QVERIFY(alice->waitFor(isAction(s("message_response"))));
        QVERIFY(bob->waitFor(isIncoming));
        QCOMPARE(storedEverywhere(), 1);
    }

    void malformedFramesCloseTheConnection_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("reason");
        QTest::newRow("cut off") << s(R"({"action": "message", )") << s("Malformed JSON");
        QTest::newRow("not json") << s("hello") << s("Malformed JSON");
        QTest::newRow("trailing garbage") << s(R"({"action":"subscribe","chat_ids":[]} x)") << s("Malformed JSON");
        QTest::newRow("an array") << s(R"([{"action":"subscribe"}])") << s("Expected a JSON object");
    }

    void malformedFramesCloseTheConnection()
    {
        QFETCH(QString, frame);
        QFETCH(QString, reason);
        auto alice = connectAs(m_alice);
        auto bob = connectAs(m_bob);
        QVERIFY(alice && bob);
        QVERIFY(subscribe(*bob, {team()}));
        // A valid message right behind the bad frame is not acted on either.
        alice->sendText(frame);
        alice->sendJson(messageFrame(team(), s("behind the bad frame")));
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeWrongDatatype); // 1007
        QCOMPARE(alice->closeReason(), reason);
        QCOMPARE(alice->countPending([](const QJsonObject &) { return true; }), 0);
        QCOMPARE(storedEverywhere(), 0);
        QTRY_COMPARE(m_server->server().hub().sessionsOf(m_alice.id).size(), 0);

        // Everyone else is served as before.
        bob->sendJson(messageFrame(team(), s("still here")));
        QVERIFY(bob->waitFor(isAction(s("message_response"))));
        QCOMPARE(storedEverywhere(), 1);
    }

    void binaryFramesCloseTheConnection()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        alice->socket().sendBinaryMessage(QJsonDocument(messageFrame(team(), s("binary"))).toJson());
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeDatatypeNotSupported); // 1003
        QCOMPARE(storedEverywhere(), 0);
    }

    void oversizeFramesCloseTheConnection()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        alice->sendJson(messageFrame(team(), QString(70 * 1024, u'z')));
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData); // 1009
        QCOMPARE(storedEverywhere(), 0);
    }

    void authenticationErrorsCloseWith1008_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("no token") << s("") << QByteArray() << QByteArray();
        QTest::newRow("empty token") << s("?token=") << QByteArray() << QByteArray();
        QTest::newRow("garbage token") << s("?token=abc.def.ghi") << QByteArray() << QByteArray();
        QTest::newRow("tampered token") << s("?token=ALICE_TAMPERED") << QByteArray() << QByteArray();
        QTest::newRow("logged out token") << s("?token=LOGGED_OUT") << QByteArray() << QByteArray();
        QTest::newRow("garbage bearer") << s("") << QByteArray("Authorization") << QByteArray("Bearer nope");
        QTest::newRow("cookie from another site")
            << s("") << QByteArray("Cookie") << QByteArray("natter_session=ALICE");
    }

    void authenticationErrorsCloseWith1008()
    {
        QFETCH(QString, query);
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, value);
        QString tampered = m_alice.token;
        tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
        const Account loggedOut = m_server->registerUser(s("leaver"));
        QCOMPARE(m_server->post(s("/api/auth/logout"), QByteArray("{}"), loggedOut.token).status / 100, 2);
        query.replace(s("ALICE_TAMPERED"), tampered).replace(s("LOGGED_OUT"), loggedOut.token);
        value.replace("ALICE", m_alice.token.toUtf8());
        const QUrl url = m_server->wsUrl(s("/chats/ws") + query);
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!header.isEmpty())
            headers.append({header, value});
        if (header == "Cookie")
            headers.append({QByteArray("Origin"), QByteArray("http://evil.example")});

        // The spec closes the connection: the upgrade happens, then 1008.
        QList<QByteArray> rawHeaders;
        for (const auto &[name, headerValue] : headers)
            rawHeaders.append(name + ": " + headerValue);
        QVERIFY(test::rawUpgradeStatusLine(url, rawHeaders).startsWith("HTTP/1.1 101"));
        WsClient client;
        client.open(url, headers); // may already be closed again when this returns
        QVERIFY(client.waitForDisconnect());
        QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QCOMPARE(client.closeReason(), s("authentication failed"));
        QVERIFY(client.pending().isEmpty());
        QCOMPARE(m_server->server().hub().sessionCount(), 0);
    }

    void tokenFromBearerOrCookie()
    {
        const auto works = [this](const QList<QPair<QByteArray, QByteArray>> &headers) {
            WsClient client;
            return client.open(m_server->wsUrl(s("/chats/ws")), headers) && subscribe(client, {team()});
        };
        QVERIFY(works({{"Authorization", "Bearer " + m_alice.token.toUtf8()}}));
        const QByteArray cookie = "natter_session=" + m_alice.token.toUtf8();
        QVERIFY(works({{"Cookie", cookie}}));                     // no Origin: not a browser
        QVERIFY(works({{"Cookie", cookie},                         // the server's own page
                       {"Origin", m_server->url(s("/")).toString(QUrl::RemovePath).toUtf8()}}));
    }

    void plainHttpOnTheSocketPathIsRefused()
    {
        QCOMPARE(m_server->get(s("/chats/ws?token=") + m_alice.token).status, 426);
    }

    void shutdownClosesWith1001()
    {
        auto alice = connectAs(m_alice);
        QVERIFY(alice);
        QVERIFY(subscribe(*alice, {team()}));
        QSignalSpy stopped(&m_server->server(), &server::ChatServer::stopped);
        m_server->server().shutdown();
        QVERIFY(alice->waitForDisconnect());
        QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        QTRY_COMPARE(stopped.size(), 1);
    }

    void theSpecsPythonClient()
    {
        const QString python = pythonWithWebsockets();
        if (python.isEmpty())
            QSKIP("no python3 with the websockets package (Debian: python3-websockets)");
        auto bob = connectAs(m_bob);
        QVERIFY(bob);
        QVERIFY(subscribe(*bob, {team()}));

        const Finished run = runToEnd(python,
                                      {clientsDir() + s("/chats_spec_client.py"),
                                       m_server->wsUrl(s("/chats/ws")).toString(), m_alice.token, team(), s("10")},
                                      20000);
        QVERIFY2(run.ran, run.out.constData());
        QVERIFY2(run.exitCode == 0, run.out.constData());
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        // The client prints Python's repr of each frame.
        QCOMPARE(QString::fromUtf8(lines.at(0)),
                 s("Received: {'action': 'subscribe_response', 'results': [{'chat_id': '%1', 'status': 'success'}]}")
                     .arg(team()));
        QVERIFY2(lines.at(1).startsWith("Received: {'action': 'message_response', "), lines.at(1).constData());
        QVERIFY2(lines.at(1).contains("'status': 'success'"), lines.at(1).constData());

        const auto incoming = bob->waitFor(isIncoming);
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("from")).toString(), s("alice"));
        QCOMPARE(incoming->value(s("message")).toString(), s("Hello from Python!"));
        QCOMPARE(incoming->value(s("chat_id")).toString(), team());
        QCOMPARE(storedIn(m_team), 1);
        QCOMPARE(store().messageById(incoming->value(s("id")).toInteger())->body, s("Hello from Python!"));
    }

    void wscatAsTheSpecSuggests()
    {
        const QString binary = installWscat();
        if (binary.isEmpty())
            QSKIP("wscat not available (needs npm; installed from tests/clients/package.json)");
        auto bob = connectAs(m_bob);
        QVERIFY(bob);
        QVERIFY(subscribe(*bob, {team()}));

        QProcess process;
        QByteArray out;
        connect(&process, &QProcess::readyReadStandardOutput, &process,
                [&] { out += process.readAllStandardOutput(); });
        QSignalSpy finished(&process, &QProcess::finished);
        const int sessionsBefore = m_server->server().hub().sessionCount();
        process.start(binary, {s("-c"), chatsUrl(m_alice.token).toString()});
        QVERIFY(process.waitForStarted(10000));
        // Without a terminal wscat prints no "Connected": the server sees it arrive.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server().hub().sessionCount(), sessionsBefore + 1, 15000);

        process.write(QJsonDocument(QJsonObject{{s("action"), s("subscribe")},
                                                {s("chat_ids"), QJsonArray{team()}}})
                          .toJson(QJsonDocument::Compact) + '\n');
        QTRY_VERIFY_WITH_TIMEOUT(out.contains("subscribe_response"), 10000);
        QVERIFY2(out.contains("\"status\":\"success\""), out.constData());
        process.write(QJsonDocument(messageFrame(team(), s("Hello from wscat"))).toJson(QJsonDocument::Compact) + '\n');
        QTRY_VERIFY_WITH_TIMEOUT(out.contains("message_response"), 10000);
        const auto incoming = bob->waitFor(isIncoming);
        QVERIFY(incoming);
        QCOMPARE(incoming->value(s("from")).toString(), s("alice"));
        QCOMPARE(incoming->value(s("message")).toString(), s("Hello from wscat"));
        QCOMPARE(storedIn(m_team), 1);

        // Malformed JSON: the server closes, and wscat exits by itself.
        process.write("{\"action\": \n");
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(storedIn(m_team), 1);
    }
};

NATTER_SERVER_TEST_MAIN(TestChatsDialect)
#include "tst_chatsdialect.moc"
