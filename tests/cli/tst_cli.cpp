// `natter cli` end to end: a headless natter process, and cli processes on
// different dialects exchanging messages (and a read receipt) through it.

#include "natterprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using natter::testing::natterBinary;
using natter::testing::NatterProcess;
using natter::testing::postJson;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<NatterProcess> m_server;
    QUrl m_base;
    struct User { qint64 id = 0; QString uuid; QString token; };
    User m_alice;
    User m_bob;
    qint64 m_roomId = 0;
    QString m_roomUuid;

    User registerUser(const QString &name)
    {
        const QJsonObject reply = postJson(m_base.resolved(QUrl(s("/api/auth/register"))),
                                           {{s("username"), name}, {s("password"), s("password123")}});
        const QJsonObject user = reply.value(s("user")).toObject();
        return {user.value(s("id")).toInteger(), user.value(s("uuid")).toString(), reply.value(s("token")).toString()};
    }

    // How each dialect addresses the Alice–Bob direct room, from `who`'s side.
    QString roomKey(const QString &dialect, const User &other) const
    {
        if (dialect == u"chats")
            return m_roomUuid;
        if (dialect == u"social")
            return s("user:") + QString::number(other.id);
        if (dialect == u"gateway")
            return m_roomUuid;
        return QString::number(m_roomId); // rooms, cable
    }

    std::unique_ptr<NatterProcess> cli(const QString &dialect, const QString &user, const QString &room)
    {
        return std::make_unique<NatterProcess>(QStringList{
            s("cli"), s("--server"), m_base.toString(), s("--dialect"), dialect, s("--user"), user,
            s("--password"), s("password123"), s("--room"), room, s("--outbox"),
            m_dir.filePath(user + u'-' + dialect + s(".db"))});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(natterBinary()));
        m_server = std::make_unique<NatterProcess>(QStringList{s("--headless"), s("--listen"), s("127.0.0.1:0"),
                                                               s("--data-dir"), m_dir.filePath(s("server"))});
        const auto line = m_server->waitForLine([](const QString &text) { return text.startsWith(s("Natter server listening")); });
        QVERIFY(line);
        m_base = QUrl(line->section(u' ', -1));
        m_alice = registerUser(s("alice"));
        m_bob = registerUser(s("bob"));
        const QJsonObject room = postJson(m_base.resolved(QUrl(s("/api/v1.0/chat/rooms/"))),
                                          {{s("participant"), m_bob.id}}, m_alice.token);
        m_roomId = room.value(s("id")).toInteger();
        m_roomUuid = room.value(s("uuid")).toString();
        QVERIFY(m_roomId > 0);
    }

    void exchangeAcrossDialects_data()
    {
        QTest::addColumn<QString>("aliceDialect");
        QTest::addColumn<QString>("bobDialect");
        QTest::newRow("rooms-rooms") << s("rooms") << s("rooms");
        QTest::newRow("chats-rooms") << s("chats") << s("rooms");
        QTest::newRow("cable-social") << s("cable") << s("social");
        QTest::newRow("social-gateway") << s("social") << s("gateway");
        QTest::newRow("gateway-chats") << s("gateway") << s("chats");
    }

    void exchangeAcrossDialects()
    {
        QFETCH(QString, aliceDialect);
        QFETCH(QString, bobDialect);
        auto bob = cli(bobDialect, s("bob"), roomKey(bobDialect, m_alice));
        QVERIFY(bob->waitForEvent(s("connected")));
        QVERIFY(bob->waitForEvent(s("subscribed")));
        auto alice = cli(aliceDialect, s("alice"), roomKey(aliceDialect, m_bob));
        QVERIFY(alice->waitForEvent(s("connected")));

        const QString text = s("hello %1 from %2").arg(bobDialect, aliceDialect);
        const QString tempId = s("t-") + aliceDialect + u'-' + bobDialect;
        alice->writeLine({{s("cmd"), s("send")}, {s("room"), roomKey(aliceDialect, m_bob)}, {s("text"), text},
                          {s("temp_id"), tempId}});
        const auto ack = alice->waitForEvent(s("ack"));
        QVERIFY(ack);
        QCOMPARE(ack->value(s("temp_id")).toString(), tempId);

        const auto received = bob->waitForEvent(s("message"), [&text](const QJsonObject &event) {
            return event.value(s("text")).toString() == text;
        });
        QVERIFY(received);
        QCOMPARE(received->value(s("from")).toString(), s("alice"));

        // The read receipt travels back where the dialects carry receipts.
        if (aliceDialect == u"rooms" && bobDialect == u"rooms") {
            bob->writeLine({{s("cmd"), s("read")}, {s("room"), roomKey(bobDialect, m_alice)},
                            {s("message"), received->value(s("id"))}});
            const auto status = alice->waitForEvent(s("status"), [](const QJsonObject &event) {
                return event.value(s("status")).toString() == s("read");
            });
            QVERIFY(status);
            QCOMPARE(status->value(s("id")).toString(), ack->value(s("id")).toString());
        }

        // Closing stdin ends each session cleanly.
        alice->closeInput();
        bob->closeInput();
        QVERIFY(alice->waitForExit());
        QVERIFY(bob->waitForExit());
        QCOMPARE(alice->process().exitCode(), 0);
        QCOMPARE(bob->process().exitCode(), 0);
    }

    void badCommandsGetErrorsAndTheSessionGoesOn()
    {
        auto alice = cli(s("rooms"), s("alice"), QString::number(m_roomId));
        QVERIFY(alice->waitForEvent(s("connected")));
        alice->process().write("this is not json\n{\"cmd\":\"fly\"}\n{\"cmd\":\"send\",\"room\":1}\n");
        QVERIFY(alice->waitForEvent(s("error"), [](const QJsonObject &e) { return e.value(s("message")).toString().contains(s("JSON")); }));
        QVERIFY(alice->waitForEvent(s("error"), [](const QJsonObject &e) { return e.value(s("message")).toString().contains(s("fly")); }));
        QVERIFY(alice->waitForEvent(s("error"), [](const QJsonObject &e) { return e.value(s("message")).toString().contains(s("text")); }));
        alice->writeLine({{s("cmd"), s("rooms")}});
        const auto rooms = alice->waitForEvent(s("rooms"));
        QVERIFY(rooms);
        QVERIFY(rooms->value(s("rooms")).toArray().size() >= 2);
        alice->closeInput();
        QVERIFY(alice->waitForExit());
        QCOMPARE(alice->process().exitCode(), 0);
    }

    void refusedSignInExitsWithOne()
    {
        NatterProcess alice({s("cli"), s("--server"), m_base.toString(), s("--dialect"), s("rooms"), s("--user"),
                             s("alice"), s("--password"), s("wrong-password"), s("--outbox"),
                             m_dir.filePath(s("refused.db"))});
        QVERIFY(alice.waitForEvent(s("disconnected")));
        QVERIFY(alice.waitForExit());
        QCOMPARE(alice.process().exitCode(), 1);
    }

    void usageErrorsExitWithTwo()
    {
        QProcess process;
        process.start(natterBinary(), {s("cli"), s("--server"), m_base.toString(), s("--dialect"), s("smoke"),
                                       s("--token"), s("x")});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--dialect"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
