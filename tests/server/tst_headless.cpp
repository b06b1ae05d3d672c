// `natter --headless` and `natter users` as a user runs them: a real process,
// a real port, SIGTERM, restart on the same data.

#include "servertestmain.h"
#include "headlessprocess.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using natter::test::HeadlessProcess;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

QString natterBinary()
{
    return qEnvironmentVariable("NATTER_BINARY");
}

struct Reply
{
    int status = 0;
    QJsonObject json;
};

Reply postJson(const QUrl &url, const QJsonObject &body)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson());
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 QJsonDocument::fromJson(reply->readAll()).object()};
    delete reply;
    return result;
}

QJsonObject credentials(const QString &user, const QString &password)
{
    return {{s("username"), user}, {s("password"), password}};
}

struct RunResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

RunResult runNatter(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.start(natterBinary(), arguments);
    process.waitForStarted(5000);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestHeadless : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(QFile::exists(natterBinary()), "NATTER_BINARY must name the built natter"); }

    void helpVersionAndBadFlags()
    {
        const RunResult help = runNatter({s("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(s("--headless")));
        QVERIFY(help.out.contains(s("--listen")));
        QVERIFY(help.out.contains(s("--database")));

        const RunResult version = runNatter({s("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(s("natter ")));

        const RunResult bad = runNatter({s("--headless"), s("--frobnicate")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(s("frobnicate")));

        const RunResult badListen = runNatter({s("--headless"), s("--listen"), s("nowhere")});
        QCOMPARE(badListen.exitCode, 2);
        QVERIFY(badListen.err.contains(s("--listen")));

        const RunResult badDatabase = runNatter({s("--headless"), s("--database"), s("mysql://x")});
        QCOMPARE(badDatabase.exitCode, 2);

        const RunResult tinyBuffer = runNatter({s("--headless"), s("--max-send-buffer"), s("12")});
        QCOMPARE(tinyBuffer.exitCode, 2);
        QVERIFY(tinyBuffer.err.contains(s("--max-send-buffer")));
    }

    void sigtermClosesSocketsWith1001AndRestartKeepsData()
    {
        QTemporaryDir dir;
        {
            HeadlessProcess server(dir.path());
            QVERIFY(server.start());
            const Reply registered = postJson(server.url(s("/api/auth/register")),
                                              credentials(s("alice"), s("password123")));
            QCOMPARE(registered.status, 201);
            const QString token = registered.json.value(s("token")).toString();
            const Reply bob = postJson(server.url(s("/api/auth/register")), credentials(s("bob"), s("password123")));
            QCOMPARE(bob.status, 201);

            WsClient client;
            // The lobby (room 1) has every user.
            QVERIFY(client.open(server.url(s("/ws/chat/1/?token=") + token, s("ws"))));
            QVERIFY(client.waitForType(s("connection_established")));
            client.sendJson({{s("type"), s("message")}, {s("content"), s("kept across restarts")}});
            QVERIFY(client.waitForType(s("message")));

            QElapsedTimer clock;
            clock.start();
            ::kill(static_cast<pid_t>(server.process().processId()), SIGTERM);
            QVERIFY(client.waitForDisconnect(5000));
            QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
            QVERIFY(server.process().waitForFinished(5000));
            QVERIFY(clock.elapsed() < 5000);
            QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
            QCOMPARE(server.process().exitCode(), 0);
        }
        {
            HeadlessProcess server(dir.path());
            QVERIFY(server.start());
            const Reply login = postJson(server.url(s("/api/auth/login")), credentials(s("alice"), s("password123")));
            QCOMPARE(login.status, 200);
            const QString token = login.json.value(s("token")).toString();
            QNetworkAccessManager network;
            QNetworkRequest request(server.url(s("/api/v1.0/chat/rooms/1/messages/")));
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
            QNetworkReply *reply = network.get(request);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            QVERIFY(finished.wait(10000));
            const QJsonObject page = QJsonDocument::fromJson(reply->readAll()).object();
            delete reply;
            QCOMPARE(page.value(s("count")).toInt(), 1);
            ::kill(static_cast<pid_t>(server.process().processId()), SIGINT);
            QVERIFY(server.process().waitForFinished(5000));
            QCOMPARE(server.process().exitCode(), 0);
        }
    }

    void usersCommandManagesAccounts()
    {
        QTemporaryDir dir;
        const QStringList data{s("--data-dir"), dir.path()};
        const RunResult added = runNatter(QStringList{s("users"), s("add"), s("tina"), s("--role"), s("tutor")} + data,
                                          "secret-pass\n");
        QCOMPARE(added.exitCode, 0);
        QVERIFY(added.out.contains(s("tina")));

        const RunResult duplicate = runNatter(QStringList{s("users"), s("add"), s("tina"), s("--password"),
                                                          s("another-pass")} + data);
        QCOMPARE(duplicate.exitCode, 1);
        QVERIFY(duplicate.err.contains(s("already exists")));

        QCOMPARE(runNatter(QStringList{s("users"), s("add"), s("x"), s("--role"), s("king"),
                                       s("--password"), s("password123")} + data).exitCode, 2);
        QCOMPARE(runNatter(QStringList{s("users"), s("frob")} + data).exitCode, 2);

        RunResult list = runNatter(QStringList{s("users"), s("list")} + data);
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(QRegularExpression(s("tina\\s+tutor"))));

        QCOMPARE(runNatter(QStringList{s("users"), s("set-role"), s("tina"), s("admin")} + data).exitCode, 0);
        list = runNatter(QStringList{s("users"), s("list")} + data);
        QVERIFY(list.out.contains(QRegularExpression(s("tina\\s+admin"))));
        QCOMPARE(runNatter(QStringList{s("users"), s("set-role"), s("nobody"), s("admin")} + data).exitCode, 1);

        QCOMPARE(runNatter(QStringList{s("users"), s("passwd"), s("tina")} + data, "changed-pass\n").exitCode, 0);

        // The server on the same data: only the new password works, and registration can be closed.
        HeadlessProcess server(dir.path());
        QVERIFY(server.start({s("--no-registration")}));
        QCOMPARE(postJson(server.url(s("/api/auth/login")), credentials(s("tina"), s("secret-pass"))).status, 401);
        const Reply login = postJson(server.url(s("/api/auth/login")), credentials(s("tina"), s("changed-pass")));
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(s("user")).toObject().value(s("role")).toString(), s("admin"));
        QCOMPARE(postJson(server.url(s("/api/auth/register")), credentials(s("newbie"), s("password123"))).status, 403);
    }

    void secretFileIsPrivate()
    {
        QTemporaryDir dir;
        HeadlessProcess server(dir.path());
        QVERIFY(server.start());
        const QFileInfo secret(dir.filePath(s("jwt-secret")));
        QVERIFY(secret.exists());
        QCOMPARE(secret.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther
                                         | QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
    }
};

NATTER_SERVER_TEST_MAIN(TestHeadless)
#include "tst_headless.moc"
