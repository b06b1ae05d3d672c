// GET /api/users: the people directory (a Natter extra for starting chats and inviting).

#include "servertestmain.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using natter::test::Account;
using natter::test::HttpReply;
using natter::test::TestServer;

class TestUsersApi : public QObject
{
    Q_OBJECT

private:
    static QJsonArray people(const HttpReply &reply) { return QJsonDocument::fromJson(reply.body).array(); }

    static QStringList usernames(const QJsonArray &people)
    {
        QStringList names;
        for (const QJsonValue &person : people)
            names.append(person.toObject().value(QStringLiteral("username")).toString());
        return names;
    }

private slots:
    void searchMatchesUsernameAndDisplayNameCaseInsensitively()
    {
        TestServer server;
        QVERIFY(server.start());
        const Account alice = server.registerUser(QStringLiteral("alice"), QStringLiteral("Alice Liddell"));
        const Account bob = server.registerUser(QStringLiteral("bob"), QStringLiteral("Bob Malice"));
        QVERIFY(server.registerUser(QStringLiteral("carol"), QStringLiteral("Carol")).id);
        QVERIFY(server.registerUser(QStringLiteral("al_ex"), QStringLiteral("Alex")).id);
        QVERIFY(alice.id && bob.id);

        // "ALI": bob's display name (Malice); alice herself is left out.
        HttpReply reply = server.get(QStringLiteral("/api/users?search=ALI"), alice.token);
        QCOMPARE(reply.status, 200);
        QCOMPARE(usernames(people(reply)), QStringList{QStringLiteral("bob")});

        const QJsonObject found = people(reply).first().toObject();
        QCOMPARE(found.value(QStringLiteral("id")).toInteger(), bob.id);
        QVERIFY(!QUuid::fromString(found.value(QStringLiteral("uuid")).toString()).isNull());
        QCOMPARE(found.value(QStringLiteral("display_name")).toString(), QStringLiteral("Bob Malice"));
        QCOMPARE(found.value(QStringLiteral("online")).toBool(), false);
        QVERIFY(found.contains(QStringLiteral("last_seen")));
        QVERIFY(!found.contains(QStringLiteral("role")));

        // Everyone but the caller, by username; LIKE wildcards are literal.
        reply = server.get(QStringLiteral("/api/users"), bob.token);
        QCOMPARE(usernames(people(reply)),
                 (QStringList{QStringLiteral("al_ex"), QStringLiteral("alice"), QStringLiteral("carol")}));
        reply = server.get(QStringLiteral("/api/users?search=l_"), bob.token);
        QCOMPARE(usernames(people(reply)), QStringList{QStringLiteral("al_ex")});
        reply = server.get(QStringLiteral("/api/users?search=%25"), bob.token);
        QCOMPARE(usernames(people(reply)), QStringList());
        // A space in the query, percent-encoded.
        reply = server.get(QStringLiteral("/api/users?search=e%20l"), bob.token);
        QCOMPARE(usernames(people(reply)), QStringList{QStringLiteral("alice")});
    }

    void onlineFollowsConnections()
    {
        TestServer server;
        QVERIFY(server.start());
        const Account alice = server.registerUser(QStringLiteral("alice"));
        const Account bob = server.registerUser(QStringLiteral("bob"));
        natter::test::WsClient socket;
        QVERIFY(socket.open(server.wsUrl(QStringLiteral("/chats/ws?token=") + bob.token)));
        QTRY_VERIFY(people(server.get(QStringLiteral("/api/users?search=bob"), alice.token))
                        .first().toObject().value(QStringLiteral("online")).toBool());
    }

    void needsAuthentication()
    {
        TestServer server;
        QVERIFY(server.start());
        const Account alice = server.registerUser(QStringLiteral("alice"));
        QCOMPARE(server.get(QStringLiteral("/api/users?search=a")).status, 401);
        QCOMPARE(server.get(QStringLiteral("/api/users?search=a"), QStringLiteral("not-a-token")).status, 401);
        // ?token= and the session cookie work as for the other routes.
        QCOMPARE(server.get(QStringLiteral("/api/users?token=") + alice.token).status, 200);
        QCOMPARE(server.get(QStringLiteral("/api/users"), {},
                            {{"Cookie", "natter_session=" + alice.token.toUtf8()}}).status, 200);
    }

    void limitDefaultsAndIsClamped()
    {
        TestServer server;
        QVERIFY(server.start());
        const Account caller = server.registerUser(QStringLiteral("caller"));
        for (int i = 0; i < 105; ++i)
            QVERIFY(server.server().store().createUser(QStringLiteral("user%1").arg(i, 3, 10, QLatin1Char('0')),
                                                       {}, "hash", natter::UserRole::User));
        QCOMPARE(people(server.get(QStringLiteral("/api/users"), caller.token)).size(), 20);
        QCOMPARE(people(server.get(QStringLiteral("/api/users?limit=5"), caller.token)).size(), 5);
        QCOMPARE(people(server.get(QStringLiteral("/api/users?limit=1000"), caller.token)).size(), 100);
        QCOMPARE(server.get(QStringLiteral("/api/users?limit=0"), caller.token).status, 400);
        QCOMPARE(server.get(QStringLiteral("/api/users?limit=many"), caller.token).status, 400);
    }
};

NATTER_SERVER_TEST_MAIN(TestUsersApi)
#include "tst_usersapi.moc"
