// Accounts over HTTP: register, login, logout, me; tokens via Bearer, query and cookie.

#include "servertestmain.h"
#include "store.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

using namespace natter;
using natter::test::TestServer;

class TestAccounts : public QObject
{
    Q_OBJECT

private:
    static QJsonObject credentials(const QString &user, const QString &password)
    {
        return {{QStringLiteral("username"), user}, {QStringLiteral("password"), password}};
    }

private slots:
    // argon2id (the real, slow limits) runs off the server's thread: a request
    // that comes after a sign-in is answered while the sign-in's hash is made.
    void signInsDoNotHoldUpOtherRequests()
    {
        natter::server::ServerConfig config = TestServer::defaultConfig();
        config.fastPasswordHashing = false;
        TestServer server(config);
        QVERIFY(server.start());
        QCOMPARE(server.post(QStringLiteral("/api/auth/register"),
                             credentials(QStringLiteral("slow"), QStringLiteral("password123"))).status, 201);

        QNetworkAccessManager network;
        QNetworkRequest login(server.url(QStringLiteral("/api/auth/login")));
        login.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QStringList finished;
        QNetworkReply *signingIn = network.post(login, QJsonDocument(credentials(QStringLiteral("slow"),
                                                                                 QStringLiteral("password123")))
                                                           .toJson());
        connect(signingIn, &QNetworkReply::finished, this, [&] { finished.append(QStringLiteral("login")); });
        // Once the login is in the server's hands, ask something else on another connection.
        QSignalSpy sent(signingIn, &QNetworkReply::uploadProgress);
        QVERIFY(sent.wait(10000));
        QNetworkRequest other(server.url(QStringLiteral("/api/natter")));
        other.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        QNetworkReply *introduction = network.get(other);
        connect(introduction, &QNetworkReply::finished, this, [&] { finished.append(QStringLiteral("natter")); });
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15000);
        QCOMPARE(finished, (QStringList{QStringLiteral("natter"), QStringLiteral("login")}));
        QCOMPARE(signingIn->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        signingIn->deleteLater();
        introduction->deleteLater();
    }

    void registerReturnsTokenUserAndCookie()
    {
        TestServer server;
        QVERIFY(server.start());
        QJsonObject body = credentials(QStringLiteral("alice"), QStringLiteral("password123"));
        body.insert(QStringLiteral("display_name"), QStringLiteral("Alice A."));
        const auto reply = server.post(QStringLiteral("/api/auth/register"), body);
        QCOMPARE(reply.status, 201);
        QVERIFY(!reply.json.value(QStringLiteral("token")).toString().isEmpty());
        const QJsonObject user = reply.json.value(QStringLiteral("user")).toObject();
        QVERIFY(user.value(QStringLiteral("id")).toInteger() > 0);
        QVERIFY(!QUuid::fromString(user.value(QStringLiteral("uuid")).toString()).isNull());
        QCOMPARE(user.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(user.value(QStringLiteral("display_name")).toString(), QStringLiteral("Alice A."));
        QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("user"));

        QCOMPARE(reply.setCookies.size(), 1);
        const QByteArray cookie = reply.setCookies.first();
        QVERIFY(cookie.startsWith(QByteArray("natter_session=" + reply.json.value(QStringLiteral("token")).toString().toUtf8())));
        QVERIFY(cookie.contains("HttpOnly"));
        QVERIFY(cookie.contains("SameSite=Lax"));

        // The password is stored as an argon2id hash, never in clear.
        const auto stored = server.server().store().userByName(QStringLiteral("alice"));
        QVERIFY(stored);
        QVERIFY(stored->passwordHash.startsWith("$argon2id$"));
    }

    void registerRejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("not json") << QByteArray("{nope") << 400;
        QTest::newRow("array") << QByteArray("[1]") << 400;
        QTest::newRow("no password") << QByteArray(R"({"username":"bob"})") << 400;
        QTest::newRow("no username") << QByteArray(R"({"password":"password123"})") << 400;
        QTest::newRow("short password") << QByteArray(R"({"username":"bob","password":"x"})") << 400;
        QTest::newRow("bad username") << QByteArray(R"({"username":"b o b","password":"password123"})") << 400;
        QTest::newRow("duplicate") << QByteArray(R"({"username":"taken","password":"password123"})") << 409;
    }

    void registerRejectsBadInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        TestServer server;
        QVERIFY(server.start());
        QVERIFY(server.registerUser(QStringLiteral("taken")).id > 0);
        const int usersBefore = static_cast<int>(server.server().store().users().size());
        const auto reply = server.post(QStringLiteral("/api/auth/register"), body);
        QCOMPARE(reply.status, status);
        QVERIFY(!reply.json.value(QStringLiteral("error")).toString().isEmpty());
        QCOMPARE(server.server().store().users().size(), usersBefore); // nothing stored
    }

    void loginChecksThePassword()
    {
        TestServer server;
        QVERIFY(server.start());
        const auto alice = server.registerUser(QStringLiteral("alice"));
        const auto ok = server.post(QStringLiteral("/api/auth/login"),
                                    credentials(QStringLiteral("alice"), QStringLiteral("password123")));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger(), alice.id);
        QVERIFY(!ok.json.value(QStringLiteral("token")).toString().isEmpty());
        QCOMPARE(ok.setCookies.size(), 1);

        QCOMPARE(server.post(QStringLiteral("/api/auth/login"),
                             credentials(QStringLiteral("alice"), QStringLiteral("wrong-password")))
                     .status, 401);
        QCOMPARE(server.post(QStringLiteral("/api/auth/login"),
                             credentials(QStringLiteral("nobody"), QStringLiteral("password123")))
                     .status, 401);
        QCOMPARE(server.post(QStringLiteral("/api/auth/login"), QByteArray("garbage")).status, 400);
        QCOMPARE(server.post(QStringLiteral("/api/auth/login"), QByteArray("{}")).status, 400);
    }

    void meAcceptsBearerQueryAndCookie()
    {
        TestServer server;
        QVERIFY(server.start());
        const auto alice = server.registerUser(QStringLiteral("alice"));
        const auto bearer = server.get(QStringLiteral("/api/auth/me"), alice.token);
        QCOMPARE(bearer.status, 200);
        QCOMPARE(bearer.json.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));

        const auto query = server.get(QStringLiteral("/api/auth/me?token=") + alice.token);
        QCOMPARE(query.status, 200);

        const auto cookie = server.get(QStringLiteral("/api/auth/me"), {},
                                       {{"Cookie", "other=1; natter_session=" + alice.token.toUtf8()}});
        QCOMPARE(cookie.status, 200);

        QCOMPARE(server.get(QStringLiteral("/api/auth/me")).status, 401);
        QCOMPARE(server.get(QStringLiteral("/api/auth/me"), QStringLiteral("not.a.token")).status, 401);
        QString tampered = alice.token;
        tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
        QCOMPARE(server.get(QStringLiteral("/api/auth/me"), tampered).status, 401);
    }

    void logoutRevokesTheToken()
    {
        TestServer server;
        QVERIFY(server.start());
        const auto alice = server.registerUser(QStringLiteral("alice"));
        const auto second = server.post(QStringLiteral("/api/auth/login"),
                                        credentials(QStringLiteral("alice"), QStringLiteral("password123")));
        const QString otherToken = second.json.value(QStringLiteral("token")).toString();

        const auto reply = server.post(QStringLiteral("/api/auth/logout"), QByteArray(), alice.token);
        QCOMPARE(reply.status, 204);
        QCOMPARE(reply.setCookies.size(), 1);
        QVERIFY(reply.setCookies.first().contains("Max-Age=0"));
        QCOMPARE(server.get(QStringLiteral("/api/auth/me"), alice.token).status, 401);
        // Only that session ended.
        QCOMPARE(server.get(QStringLiteral("/api/auth/me"), otherToken).status, 200);
        QCOMPARE(server.post(QStringLiteral("/api/auth/logout"), QByteArray()).status, 401);
    }

    void expiredTokensAreRefused()
    {
        auto config = TestServer::defaultConfig();
        config.tokenLifetime = std::chrono::seconds(1);
        TestServer server(config);
        QVERIFY(server.start());
        const auto alice = server.registerUser(QStringLiteral("alice"));
        QCOMPARE(server.get(QStringLiteral("/api/auth/me"), alice.token).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/api/auth/me"), alice.token).status, 401, 5000);
    }

    void registrationCanBeClosed()
    {
        auto config = TestServer::defaultConfig();
        config.registrationOpen = false;
        TestServer server(config);
        QVERIFY(server.start());
        const auto reply = server.post(QStringLiteral("/api/auth/register"),
                                       credentials(QStringLiteral("alice"), QStringLiteral("password123")));
        QCOMPARE(reply.status, 403);
        QVERIFY(!server.server().store().userByName(QStringLiteral("alice")));
    }

    void groupsAreCreatedWithTheCreatorAsMember()
    {
        TestServer server;
        QVERIFY(server.start());
        const auto alice = server.registerUser(QStringLiteral("alice"));
        const auto reply = server.post(QStringLiteral("/api/groups"),
                                       QJsonObject{{QStringLiteral("name"), QStringLiteral("Developers")}},
                                       alice.token);
        QCOMPARE(reply.status, 201);
        const qint64 id = reply.json.value(QStringLiteral("id")).toInteger();
        QVERIFY(id > 0);
        QVERIFY(!QUuid::fromString(reply.json.value(QStringLiteral("uuid")).toString()).isNull());
        QCOMPARE(reply.json.value(QStringLiteral("name")).toString(), QStringLiteral("Developers"));
        const auto membership = server.server().store().membership(id, alice.id);
        QVERIFY(membership);
        QVERIFY(membership->state == MembershipState::Active);

        QCOMPARE(server.post(QStringLiteral("/api/groups"), QJsonObject{}, alice.token).status, 400);
        QCOMPARE(server.post(QStringLiteral("/api/groups"),
                             QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}).status, 401);
    }
};

NATTER_SERVER_TEST_MAIN(TestAccounts)
#include "tst_accounts.moc"
