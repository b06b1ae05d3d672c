// `natter --headless --tls-cert --tls-key` and `natter cli` over TLS as a user
// runs them: real processes, a CA and certificates made by the test, SIGHUP
// to reload a renewed certificate without dropping a connected client.

#include "servertestmain.h"
#include "natterprocess.h"
#include "testpki.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using natter::test::TestPki;
using natter::testing::NatterProcess;

class TestHeadlessTls : public QObject
{
    Q_OBJECT

private:
    TestPki m_pki;
    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
    std::unique_ptr<NatterProcess> m_server;
    quint16 m_port = 0;

    static QByteArray servedFingerprint(quint16 port)
    {
        QSslSocket socket;
        connect(&socket, &QSslSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
        QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
        if (!encrypted.wait(10000))
            return {};
        return socket.peerCertificate().digest(QCryptographicHash::Sha256);
    }

    static bool replaceFile(const QString &from, const QString &to)
    {
        QFile::remove(to);
        return QFile::copy(from, to);
    }

    QString baseUrl() const { return u"https://127.0.0.1:%1"_s.arg(m_port); }

    std::unique_ptr<NatterProcess> cli(const QStringList &extra)
    {
        return std::make_unique<NatterProcess>(
            QStringList{u"cli"_s, u"--server"_s, baseUrl(), u"--dialect"_s, u"chats"_s, u"--user"_s, u"alice"_s,
                        u"--password"_s, u"password123"_s, u"--outbox"_s,
                        m_dir.filePath(u"outbox-%1.db"_s.arg(QTest::currentDataTag()
                                                                 ? QString::fromLatin1(QTest::currentDataTag())
                                                                 : QString::fromLatin1(QTest::currentTestFunction())))}
            + extra);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_pki.isValid());
        QVERIFY(m_dir.isValid());
        m_certificate = m_dir.filePath(u"server.crt"_s);
        m_key = m_dir.filePath(u"server.key"_s);
        QVERIFY(replaceFile(m_pki.server().certificate, m_certificate));
        QVERIFY(replaceFile(m_pki.server().key, m_key));
        m_server = std::make_unique<NatterProcess>(QStringList{
            u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, m_dir.filePath(u"data"_s),
            u"--no-announce"_s, u"--tls-cert"_s, m_certificate, u"--tls-key"_s, m_key});
        static const QRegularExpression listening(u"^Natter server listening on https://127\\.0\\.0\\.1:(\\d+)$"_s);
        const auto line = m_server->waitForLine([](const QString &text) { return listening.match(text).hasMatch(); });
        QVERIFY2(line, qPrintable(QString::fromUtf8(m_server->process().readAllStandardError())));
        m_port = static_cast<quint16>(listening.match(*line).captured(1).toUInt());
        const auto fingerprint = m_server->waitForLine([](const QString &text) {
            return text.startsWith(u"TLS certificate SHA-256: "_s);
        });
        QVERIFY(fingerprint);
        QCOMPARE(*fingerprint, u"TLS certificate SHA-256: "_s
                                   + QString::fromLatin1(m_pki.server().fingerprint.toHex(':')));
        const QJsonObject registered = natter::testing::postJson(
            QUrl(baseUrl() + u"/api/auth/register"_s),
            {{u"username"_s, u"alice"_s}, {u"password"_s, u"password123"_s}});
        QVERIFY2(registered.contains(u"token"_s), QJsonDocument(registered).toJson().constData());
    }

    void bothFlagsOrNeither()
    {
        NatterProcess lonely({u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s,
                              m_dir.filePath(u"lonely"_s), u"--no-announce"_s, u"--tls-cert"_s, m_certificate});
        QVERIFY(lonely.waitForExit());
        QCOMPARE(lonely.process().exitCode(), 2);
        QVERIFY(lonely.process().readAllStandardError().contains("--tls-cert and --tls-key go together"));
    }

    void plainHttpOnTheTlsPortIsRefused()
    {
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, m_port);
        QVERIFY(socket.waitForConnected(5000)); // another process: blocking is fine
        socket.write("GET /api/natter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray answer;
        while (socket.waitForReadyRead(5000))
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
        QVERIFY(answer.contains("use https://"));
    }

    void cliTrustsAnAddedCa()
    {
        auto client = cli({u"--tls-ca"_s, m_pki.caFile()});
        QVERIFY2(client->waitForEvent(u"connected"_s), qPrintable(client->lines().join(u'\n')));
        client->closeInput();
    }

    void cliRefusesAnUnknownCaWithTheFingerprint()
    {
        auto client = cli({});
        const auto refused = client->waitForEvent(u"tls_refused"_s);
        QVERIFY2(refused, qPrintable(client->lines().join(u'\n')));
        QCOMPARE(refused->value(u"kind"_s).toString(), u"unknown_issuer"_s);
        QCOMPARE(refused->value(u"fingerprint"_s).toString(),
                 QString::fromLatin1(m_pki.server().fingerprint.toHex(':').toUpper()));
        QVERIFY(client->waitForExit());
        QCOMPARE(client->process().exitCode(), 1);
    }

    void cliConnectsWithThePinnedFingerprint_data()
    {
        QTest::addColumn<QString>("fingerprint");
        QTest::newRow("hex") << QString::fromLatin1(m_pki.server().fingerprint.toHex());
        QTest::newRow("colons") << QString::fromLatin1(m_pki.server().fingerprint.toHex(':').toUpper());
    }

    void cliConnectsWithThePinnedFingerprint()
    {
        QFETCH(QString, fingerprint);
        auto client = cli({u"--tls-fingerprint"_s, fingerprint});
        QVERIFY2(client->waitForEvent(u"connected"_s), qPrintable(client->lines().join(u'\n')));
        client->closeInput();
    }

    void cliRefusesAChangedFingerprint()
    {
        auto client = cli({u"--tls-fingerprint"_s, QString(64, u'a')});
        const auto refused = client->waitForEvent(u"tls_refused"_s);
        QVERIFY2(refused, qPrintable(client->lines().join(u'\n')));
        QCOMPARE(refused->value(u"kind"_s).toString(), u"fingerprint_changed"_s);
        QVERIFY(client->waitForExit());
        QCOMPARE(client->process().exitCode(), 1);
    }

    void cliRejectsABadFingerprintFlag()
    {
        auto client = cli({u"--tls-fingerprint"_s, u"abc"_s});
        QVERIFY(client->waitForExit());
        QCOMPARE(client->process().exitCode(), 2);
    }

    // Last: it changes the server's certificate.
    void sighupReloadsTheCertificateAndKeepsConnections()
    {
        auto client = cli({u"--tls-ca"_s, m_pki.caFile()});
        QVERIFY(client->waitForEvent(u"connected"_s));
        const TestPki::Files renewed = m_pki.issue(u"renewed"_s);
        QVERIFY(replaceFile(renewed.certificate, m_certificate));
        QVERIFY(replaceFile(renewed.key, m_key));
        QCOMPARE(::kill(static_cast<pid_t>(m_server->process().processId()), SIGHUP), 0);
        QTRY_COMPARE_WITH_TIMEOUT(servedFingerprint(m_port), renewed.fingerprint, 10000);
        QCOMPARE(m_server->process().state(), QProcess::Running);
        // The client connected before the reload is still there and still chats.
        client->writeLine({{u"cmd"_s, u"rooms"_s}});
        QVERIFY2(client->waitForEvent(u"rooms"_s), qPrintable(client->lines().join(u'\n')));
        QVERIFY(!client->waitForEvent(u"disconnected"_s, {}, 0));
        client->closeInput();
    }
};

NATTER_SERVER_TEST_MAIN(TestHeadlessTls)
#include "tst_headlesstls.moc"
