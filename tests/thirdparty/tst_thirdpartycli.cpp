// `natter cli` on servers that are not Natter and send no ack: a real
// ActionCable 6.1 on Puma (cable, spec 000) and a server written from spec 002
// (social). Every message reaches the other side exactly once: counted in the
// server's store and at the receiving cli over a window in which the old
// re-send-on-timeout behaviour (ack timeout 1 s) would have written each
// message several times, and the sender's own echo is an ack, never news.

#include "natterprocess.h"
#include "thirdpartyfixtures.h"
#include "testpki.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using natter::testing::natterBinary;
using natter::testing::NatterProcess;
using natter::testing::ServerProcess;
using natter::testing::cableToken;
using natter::testing::storedCopies;

namespace {
QString fixture(const char *relative) { return natter::testing::thirdPartyFixture(relative); }
} // namespace

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

constexpr int ackTimeoutMs = 1000;   // the sender's outbox re-sends after this without an ack
constexpr int countWindowMs = 10'000; // long enough for several re-sends, had there been any
constexpr int messagesPerRow = 3;

} // namespace

class TestThirdPartyCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<NatterProcess> cli(const QUrl &server, const QString &dialect, const QStringList &signIn,
                                       const QString &room, const QString &name)
    {
        QStringList arguments{s("cli"), s("--server"), server.toString(), s("--dialect"), dialect, s("--room"), room,
                              s("--ack-timeout"), QString::number(ackTimeoutMs), s("--outbox"),
                              m_dir.filePath(name + u'-' + QString::number(server.port()) + s(".db"))};
        return std::make_unique<NatterProcess>(arguments + signIn);
    }

    // Alice sends `messagesPerRow` texts into `aliceRoom`; each is acked once,
    // arrives at Bob once, is stored once, and never comes back to Alice as news.
    void exchangeExactlyOnce(const QUrl &server, const QString &dialect, const QStringList &aliceSignIn,
                             const QString &aliceRoom, const QStringList &bobSignIn, const QString &bobRoom,
                             const char *storedTextField, const QString &tag)
    {
        auto bob = cli(server, dialect, bobSignIn, bobRoom, s("bob"));
        QVERIFY(bob->waitForEvent(s("connected"), {}, 30'000));
        QVERIFY(bob->waitForEvent(s("subscribed"), {}, 30'000));
        auto alice = cli(server, dialect, aliceSignIn, aliceRoom, s("alice"));
        QVERIFY(alice->waitForEvent(s("connected"), {}, 30'000));
        QVERIFY(alice->waitForEvent(s("subscribed"), {}, 30'000));

        QStringList texts;
        for (int i = 0; i < messagesPerRow; ++i) {
            texts.append(s("%1 #%2").arg(tag).arg(i));
            alice->writeLine({{s("cmd"), s("send")}, {s("room"), aliceRoom}, {s("text"), texts.last()},
                              {s("temp_id"), s("%1-%2").arg(tag).arg(i)}});
        }
        for (int i = 0; i < messagesPerRow; ++i) {
            const auto ack = alice->waitForEvent(s("ack"), {}, 30'000);
            QVERIFY2(ack, qPrintable(s("no ack for message %1").arg(i)));
        }

        // Count for the window: any line either cli prints meanwhile is read.
        QHash<QString, int> atBob;
        QDeadlineTimer window(countWindowMs);
        while (!window.hasExpired()) {
            const auto message = bob->waitForEvent(s("message"), {}, int(std::max<qint64>(1, window.remainingTime())));
            if (message)
                ++atBob[message->value(s("text")).toString()];
        }
        const QHash<QString, int> stored = storedCopies(server, storedTextField);
        for (const QString &text : std::as_const(texts)) {
            QCOMPARE(stored.value(text), 1);
            QCOMPARE(atBob.value(text), 1);
        }
        // Alice's own echo was her ack, not someone else's message; no second ack either.
        QVERIFY(!alice->waitForEvent(s("message"), [&](const QJsonObject &event) {
            return texts.contains(event.value(s("text")).toString());
        }, 1));
        QVERIFY(!alice->waitForEvent(s("ack"), {}, 1));
        QVERIFY(!alice->waitForEvent(s("failed"), {}, 1));

        alice->closeInput();
        bob->closeInput();
        QVERIFY(alice->waitForExit());
        QVERIFY(bob->waitForExit());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(natterBinary()));
        QVERIFY(m_dir.isValid());
    }

    void cableOnActionCable_data()
    {
        QTest::addColumn<QString>("room");
        QTest::newRow("room 1") << s("1");
        QTest::newRow("lobby") << s("lobby");
    }

    void cableOnActionCable()
    {
        QFETCH(QString, room);
        ServerProcess server(s("/bin/sh"), {fixture("cable/run.sh")});
        QVERIFY2(server.waitListening(), "the ActionCable fixture did not start (ruby-actioncable, puma)");
        exchangeExactlyOnce(server.url(), s("cable"), {s("--token"), cableToken(1, s("alice"))}, room,
                            {s("--token"), cableToken(2, s("bob"))}, room, "message", s("cable ") + room);
    }

    void socialFromTheSpec_data()
    {
        QTest::addColumn<QStringList>("serverOptions");
        QTest::addColumn<QString>("aliceRoom");
        QTest::addColumn<QString>("bobRoom");
        QTest::newRow("private") << QStringList{} << s("user:2") << s("user:1");
        QTest::newRow("group") << QStringList{} << s("7") << s("7");
        QTest::newRow("group, echoed to the sender") << QStringList{s("--echo-to-sender")} << s("7") << s("7");
        QTest::newRow("group, history oldest first")
            << QStringList{s("--history-order"), s("oldest"), s("--seed-group-history"), s("7:120")} << s("7") << s("7");
    }

    void socialFromTheSpec()
    {
        QFETCH(QStringList, serverOptions);
        QFETCH(QString, aliceRoom);
        QFETCH(QString, bobRoom);
        ServerProcess server(s("/usr/bin/python3"),
                             QStringList{s("-B"), fixture("social/social_server.py")} + serverOptions);
        QVERIFY2(server.waitListening(), "the spec 002 fixture did not start (python3-aiohttp)");
        exchangeExactlyOnce(server.url(), s("social"), {s("--cookie"), s("session_id=sess-alice")}, aliceRoom,
                            {s("--cookie"), s("session_id=sess-bob")}, bobRoom, "content",
                            s("social ") + QString::fromLatin1(QTest::currentDataTag()));
    }

    // spec 001 written in Python, served by Debian's uvicorn over TLS with a
    // certificate from the test's CA: refused without the CA (with the
    // fingerprint to compare), exactly once with --tls-ca.
    void chatsOnUvicornOverTls()
    {
        natter::test::TestPki pki;
        QVERIFY(pki.isValid());
        ServerProcess server(s("/usr/bin/python3"),
                             {s("-B"), fixture("chats/chats_server.py"), s("--ssl-certfile"), pki.server().certificate,
                              s("--ssl-keyfile"), pki.server().key});
        QVERIFY2(server.waitListening(), "the spec 001 fixture did not start (python3-uvicorn)");
        QUrl url = server.url();
        url.setScheme(s("https"));
        const QString chat = s("11111111-2222-3333-4444-555555555555");

        auto stranger = cli(url, s("chats"), {s("--token"), s("token-alice")}, chat, s("stranger"));
        const auto refused = stranger->waitForEvent(s("tls_refused"));
        QVERIFY(refused);
        QCOMPARE(refused->value(s("kind")).toString(), s("unknown_issuer"));
        QCOMPARE(refused->value(s("fingerprint")).toString(),
                 QString::fromLatin1(pki.server().fingerprint.toHex(':').toUpper()));
        QVERIFY(stranger->waitForExit());
        QCOMPARE(stranger->process().exitCode(), 1);

        exchangeExactlyOnce(url, s("chats"), {s("--token"), s("token-alice"), s("--tls-ca"), pki.caFile()}, chat,
                            {s("--token"), s("token-bob"), s("--tls-ca"), pki.caFile()}, chat, "message",
                            s("chats over TLS"));
    }
};

QTEST_GUILESS_MAIN(TestThirdPartyCli)
#include "tst_thirdpartycli.moc"
