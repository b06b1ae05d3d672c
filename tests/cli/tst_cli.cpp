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
        return QString::number(m_roomId); // rooms, cable, natter
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
        QTest::newRow("natter-natter") << s("natter") << s("natter");
        QTest::newRow("natter-rooms") << s("natter") << s("rooms");
        QTest::newRow("cable-natter") << s("cable") << s("natter");
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
        if (aliceDialect == bobDialect && (aliceDialect == u"rooms" || aliceDialect == u"natter")) {
            bob->writeLine({{s("cmd"), s("read")}, {s("room"), roomKey(bobDialect, m_alice)},
                            {s("message"), received->value(s("id"))}});
            // (natter also reports the earlier messages the mark passed over: wait for this one.)
            const QString acked = ack->value(s("id")).toString();
            const auto status = alice->waitForEvent(s("status"), [&acked](const QJsonObject &event) {
                return event.value(s("status")).toString() == s("read") && event.value(s("id")).toString() == acked;
            });
            QVERIFY(status);
        }

        // Closing stdin ends each session cleanly.
        alice->closeInput();
        bob->closeInput();
        QVERIFY(alice->waitForExit());
        QVERIFY(bob->waitForExit());
        QCOMPARE(alice->process().exitCode(), 0);
        QCOMPARE(bob->process().exitCode(), 0);
    }

    // Room actions on `natter`: what one side does appears at the other at
    // once, pushed (no room-list request in between), and in either order.
    void roomActionsArePushedOnNatter()
    {
        registerUser(s("carol"));
        registerUser(s("dave"));
        auto natterCli = [this](const QString &user) {
            return std::make_unique<NatterProcess>(QStringList{
                s("cli"), s("--server"), m_base.toString(), s("--dialect"), s("natter"), s("--user"), user,
                s("--password"), s("password123"), s("--outbox"), m_dir.filePath(user + s("-actions.db"))});
        };
        auto dave = natterCli(s("dave"));
        QVERIFY(dave->waitForEvent(s("connected")));
        auto carol = natterCli(s("carol"));
        QVERIFY(carol->waitForEvent(s("connected")));
        const int roomListsBefore = int(dave->lines().filter(s("\"event\":\"rooms\"")).size());

        // A direct chat: both sides see the room.
        carol->writeLine({{s("cmd"), s("direct")}, {s("user"), s("dave")}});
        const auto opened = carol->waitForEvent(s("room"));
        QVERIFY(opened);
        QCOMPARE(opened->value(s("kind")).toString(), s("direct"));
        const QString directRoom = opened->value(s("room")).toString();
        QVERIFY(dave->waitForEvent(s("room"), [&directRoom](const QJsonObject &e) { return e.value(s("room")) == directRoom; },
                                   1000));

        // A group with dave invited: the invitation reaches him at once; he accepts.
        carol->writeLine({{s("cmd"), s("group")}, {s("name"), s("picnic")}, {s("members"), QJsonArray{s("dave")}}});
        const auto group = carol->waitForEvent(s("room"), [](const QJsonObject &e) { return e.value(s("name")) == s("picnic"); });
        QVERIFY(group);
        const QString groupRoom = group->value(s("room")).toString();
        QVERIFY(carol->waitForEvent(s("action"), [&groupRoom](const QJsonObject &e) {
            return e.value(s("action")) == s("invite") && e.value(s("room")) == groupRoom && e.value(s("ok")).toBool();
        }));
        const auto invitation = dave->waitForEvent(s("notification"), {}, 1000);
        QVERIFY(invitation);
        QCOMPARE(invitation->value(s("type")).toString(), s("group_invite"));
        QCOMPARE(invitation->value(s("room")).toString(), groupRoom);
        dave->writeLine({{s("cmd"), s("answer")}, {s("room"), groupRoom}, {s("accept"), true}});
        QVERIFY(dave->waitForEvent(s("action"), [](const QJsonObject &e) { return e.value(s("action")) == s("accept") && e.value(s("ok")).toBool(); }));
        QVERIFY(dave->waitForEvent(s("room"), [&groupRoom](const QJsonObject &e) { return e.value(s("room")) == groupRoom; }));
        carol->writeLine({{s("cmd"), s("send")}, {s("room"), groupRoom}, {s("text"), s("bring cake")}, {s("temp_id"), s("cake")}});
        QVERIFY(dave->waitForEvent(s("message"), [](const QJsonObject &e) { return e.value(s("text")) == s("bring cake"); }));

        // An invitation to a group made without him.
        carol->writeLine({{s("cmd"), s("group")}, {s("name"), s("later")}, {s("members"), QJsonArray{}}});
        const auto later = carol->waitForEvent(s("room"), [](const QJsonObject &e) { return e.value(s("name")) == s("later"); });
        QVERIFY(later);
        carol->writeLine({{s("cmd"), s("invite")}, {s("room"), later->value(s("room"))}, {s("user"), s("dave")}});
        QVERIFY(carol->waitForEvent(s("action"), [](const QJsonObject &e) { return e.value(s("action")) == s("invite") && e.value(s("ok")).toBool(); }));
        QVERIFY(dave->waitForEvent(s("notification"), [&later](const QJsonObject &e) { return e.value(s("room")) == later->value(s("room")); },
                                   1000));
        dave->writeLine({{s("cmd"), s("answer")}, {s("room"), later->value(s("room"))}, {s("accept"), false}});
        QVERIFY(dave->waitForEvent(s("action"), [](const QJsonObject &e) { return e.value(s("action")) == s("decline") && e.value(s("ok")).toBool(); }));

        // Thread answers: approving a direct room that is already active changes
        // nothing and is fine; a group is no thread: refused, as an action result.
        dave->writeLine({{s("cmd"), s("thread")}, {s("room"), directRoom}, {s("approve"), true}});
        QVERIFY(dave->waitForEvent(s("action"), [](const QJsonObject &e) { return e.value(s("action")) == s("approve") && e.value(s("ok")).toBool(); }));
        dave->writeLine({{s("cmd"), s("thread")}, {s("room"), groupRoom}, {s("approve"), false}});
        QVERIFY(dave->waitForEvent(s("action"), [](const QJsonObject &e) { return e.value(s("action")) == s("block") && !e.value(s("ok")).toBool(); }));
        // Someone unknown.
        carol->writeLine({{s("cmd"), s("direct")}, {s("user"), s("nobody-here")}});
        QVERIFY(carol->waitForEvent(s("error"), [](const QJsonObject &e) { return e.value(s("message")).toString().contains(s("nobody-here")); }));

        QCOMPARE(int(dave->lines().filter(s("\"event\":\"rooms\"")).size()), roomListsBefore); // nothing was polled
        carol->closeInput();
        dave->closeInput();
        QVERIFY(carol->waitForExit());
        QVERIFY(dave->waitForExit());
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
