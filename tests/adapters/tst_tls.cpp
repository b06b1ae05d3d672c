// TLS end to end, with a CA and certificates made in the test: Natter's server
// on https/wss (REST, all five dialects, an extra mount port, Secure cookies,
// a refusal for plain HTTP, certificate reload without dropping anyone) and
// the client's trust decisions (system + added CAs, expired, wrong host,
// unknown CA, a trusted fingerprint, a changed one).

#include "backendfactory.h"
#include "backendtesting.h"
#include "testpki.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

using namespace natter;
using namespace natter::client;
using namespace Qt::StringLiterals;
using natter::test::Account;
using natter::test::TestPki;
using natter::test::TestServer;

class TestTls : public QObject
{
    Q_OBJECT

private:
    TestPki m_pki;
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    QString m_aliceUuid;
    QString m_bobUuid;
    qint64 m_roomId = 0;
    QString m_roomUuid;

    std::unique_ptr<TestServer> startServer(const TestPki::Files &files, QList<server::Mount> mounts = {})
    {
        server::ServerConfig config = TestServer::defaultConfig();
        config.tlsCertificateFile = files.certificate;
        config.tlsKeyFile = files.key;
        config.extraMounts = mounts;
        auto server = std::make_unique<TestServer>(config);
        server->setCaCertificates(m_pki.caCertificates());
        if (!server->start())
            return nullptr;
        return server;
    }

    Backend::Settings signIn(const TestServer &server, const QString &user, bool withCa = true) const
    {
        Backend::Settings settings = test::passwordSignIn(server, user);
        if (withCa)
            settings.tls.extraCaCertificates = m_pki.caCertificates();
        return settings;
    }

    QString roomKey(const QString &dialect, const Account &other) const
    {
        return test::DirectRoom{m_roomId, m_roomUuid}.keyFor(dialect, other.id);
    }

    // Connects a backend that must be refused; returns the problem it reported.
    std::optional<TlsProblem> refusal(const QString &dialect, const Backend::Settings &settings)
    {
        auto backend = makeBackend(dialect, settings);
        QSignalSpy refused(backend.get(), &Backend::tlsRefused);
        QSignalSpy connected(backend.get(), &Backend::connected);
        backend->subscribe(roomKey(dialect, m_bob));
        backend->connectToServer();
        if (!refused.wait(10000))
            return std::nullopt;
        [&] { QTRY_COMPARE(backend->connectionState(), Backend::ConnectionState::Disconnected); }();
        if (!connected.isEmpty())
            return std::nullopt;
        return refused.first().first().value<TlsProblem>();
    }

    // The certificate a new TLS connection to `port` is shown.
    static QByteArray servedFingerprint(quint16 port)
    {
        QSslSocket socket;
        connect(&socket, &QSslSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
        QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, port);
        if (!encrypted.wait(10000)) // the server runs on this thread: no blocking waits
            return {};
        return socket.peerCertificate().digest(QCryptographicHash::Sha256);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_pki.isValid());
        m_server = startServer(m_pki.server());
        QVERIFY(m_server);
        QVERIFY(m_server->server().isSecure());
        QCOMPARE(m_server->server().baseUrl().scheme(), u"https"_s);
        QCOMPARE(m_server->server().tlsFingerprint(), m_pki.server().fingerprint);
        m_alice = m_server->registerUser(u"alice"_s, u"Alice Adams"_s);
        m_bob = m_server->registerUser(u"bob"_s, u"Bob Brown"_s);
        QVERIFY(!m_alice.token.isEmpty());
        m_aliceUuid = m_server->get(u"/api/auth/me"_s, m_alice.token).json.value(u"uuid"_s).toString();
        m_bobUuid = m_server->get(u"/api/auth/me"_s, m_bob.token).json.value(u"uuid"_s).toString();
        const auto room = m_server->post(u"/api/v1.0/chat/rooms/"_s, QJsonObject{{u"participant"_s, m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(u"id"_s).toInteger();
        m_roomUuid = room.json.value(u"uuid"_s).toString();
    }

    void cookiesAreSecure()
    {
        const auto login = m_server->post(u"/api/auth/login"_s,
                                          QJsonObject{{u"username"_s, u"alice"_s}, {u"password"_s, u"password123"_s}});
        QCOMPARE(login.status, 200);
        QVERIFY(!login.setCookies.isEmpty());
        for (const QByteArray &cookie : login.setCookies)
            QVERIFY2(cookie.contains("; Secure"), cookie.constData());
    }

    void plainHttpIsRefusedClearly()
    {
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, m_server->server().port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /api/natter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("use https://")
                                     || socket.state() == QAbstractSocket::UnconnectedState, 5000);
        answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
        QVERIFY(answer.contains("This port speaks HTTPS only"));
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void everyDialectOverWss_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &dialect : backendDialects())
            QTest::newRow(qPrintable(dialect)) << dialect;
    }

    void everyDialectOverWss()
    {
        QFETCH(QString, dialect);
        auto bob = test::connectAndSubscribe(dialect, signIn(*m_server, u"bob"_s), roomKey(dialect, m_alice));
        QVERIFY2(bob, "Bob could not connect over TLS");
        auto alice = test::connectAndSubscribe(dialect, signIn(*m_server, u"alice"_s), roomKey(dialect, m_bob));
        QVERIFY2(alice, "Alice could not connect over TLS");
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        OutgoingMessage message;
        message.roomKey = roomKey(dialect, m_bob);
        message.recipientId = test::DirectRoom::recipientFor(dialect, m_bob.id, m_bobUuid);
        message.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        message.text = u"over %1 with TLS"_s.arg(dialect);
        alice->send(message);
        QTRY_VERIFY_WITH_TIMEOUT(!acked.isEmpty(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(received.cbegin(), received.cend(), [&message](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == message.text;
        }), 10000);
    }

    void extraMountPortServesTls()
    {
        auto server = startServer(m_pki.server(), {{u"gateway"_s, u"/ws"_s, 0}});
        QVERIFY(server);
        QCOMPARE(server->server().ports().size(), 2);
        server->registerUser(u"carol"_s);
        Backend::Settings settings = signIn(*server, u"carol"_s);
        settings.path = u"/ws"_s;
        QUrl url = settings.serverUrl;
        url.setPort(server->server().ports().at(1));
        settings.serverUrl = url;
        auto backend = makeBackend(u"gateway"_s, settings);
        QSignalSpy connected(backend.get(), &Backend::connected);
        backend->connectToServer();
        QVERIFY(connected.wait(10000));
        QCOMPARE(servedFingerprint(server->server().ports().at(1)), m_pki.server().fingerprint);
    }

    void untrustedCertificatesAreRefusedWithTheirReason_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<QString>("certificate"); // expired, wronghost, unknownca
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("says");
        for (const QString &dialect : {u"chats"_s, u"rooms"_s}) {
            QTest::addRow("%s expired", qPrintable(dialect)) << dialect << u"expired"_s
                << int(TlsProblem::Kind::Expired) << u"expired on"_s;
            QTest::addRow("%s wrong host", qPrintable(dialect)) << dialect << u"wronghost"_s
                << int(TlsProblem::Kind::WrongHost) << u"is for chat.example.org"_s;
            QTest::addRow("%s unknown CA", qPrintable(dialect)) << dialect << u"unknownca"_s
                << int(TlsProblem::Kind::UnknownIssuer) << u"not signed by an authority"_s;
        }
    }

    void untrustedCertificatesAreRefusedWithTheirReason()
    {
        QFETCH(QString, dialect);
        QFETCH(QString, certificate);
        QFETCH(int, kind);
        QFETCH(QString, says);
        tls::CertificateSpec spec = TestPki::localSpec();
        if (certificate == u"expired") {
            spec.notBefore = QDateTime::currentDateTimeUtc().addDays(-30);
            spec.notAfter = QDateTime::currentDateTimeUtc().addDays(-1);
        } else if (certificate == u"wronghost") {
            spec.commonName = u"chat.example.org"_s;
            spec.dnsNames = {u"chat.example.org"_s};
            spec.ipAddresses = {};
        }
        const TestPki::Files files = m_pki.issue(certificate, spec);
        auto server = startServer(files);
        QVERIFY(server);
        server->registerUser(u"dave"_s);
        // The unknown CA: ours, not added this time.
        const auto problem = refusal(dialect, signIn(*server, u"dave"_s, certificate != u"unknownca"));
        QVERIFY(problem);
        QCOMPARE(int(problem->kind), kind);
        QVERIFY2(problem->message.contains(says), qPrintable(problem->message));
        QCOMPARE(problem->fingerprint, files.fingerprint);
        QCOMPARE(problem->host, u"127.0.0.1:"_s + QString::number(server->server().port()));
    }

    void trustedFingerprintConnectsToASelfSignedServer_data()
    {
        QTest::addColumn<QString>("dialect");
        for (const QString &dialect : backendDialects())
            QTest::newRow(qPrintable(dialect)) << dialect;
    }

    void trustedFingerprintConnectsToASelfSignedServer()
    {
        QFETCH(QString, dialect);
        const TestPki::Files files = m_pki.issue(u"selfsigned"_s, TestPki::localSpec(), true);
        auto server = startServer(files);
        QVERIFY(server);
        server->registerUser(u"erin"_s);
        // First contact: refused, with the fingerprint to compare.
        const auto first = refusal(dialect, signIn(*server, u"erin"_s, false));
        QVERIFY(first);
        QCOMPARE(first->kind, TlsProblem::Kind::UnknownIssuer);
        QVERIFY(first->canBeTrusted());
        QCOMPARE(first->fingerprint, files.fingerprint);
        // Trusted: connects.
        Backend::Settings settings = signIn(*server, u"erin"_s, false);
        settings.tls.trustedFingerprint = first->fingerprint;
        auto backend = makeBackend(dialect, settings);
        QSignalSpy connected(backend.get(), &Backend::connected);
        QSignalSpy refused(backend.get(), &Backend::tlsRefused);
        backend->connectToServer();
        QVERIFY(connected.wait(10000));
        QVERIFY(refused.isEmpty());
    }

    void changedFingerprintIsRefused_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<bool>("verifies"); // the new certificate would verify against a trusted CA
        QTest::addColumn<bool>("byToken");  // no password login first: the WebSocket is the first contact
        for (const QString &dialect : {u"chats"_s, u"rooms"_s, u"social"_s}) {
            QTest::addRow("%s self-signed", qPrintable(dialect)) << dialect << false << false;
            QTest::addRow("%s CA-signed", qPrintable(dialect)) << dialect << true << false;
        }
        QTest::addRow("chats CA-signed, token") << u"chats"_s << true << true;
        QTest::addRow("gateway CA-signed, token") << u"gateway"_s << true << true;
    }

    void changedFingerprintIsRefused()
    {
        QFETCH(QString, dialect);
        QFETCH(bool, verifies);
        QFETCH(bool, byToken);
        const TestPki::Files trusted = m_pki.issue(u"trusted"_s, TestPki::localSpec(), true);
        const TestPki::Files replacement = m_pki.issue(u"replacement"_s, TestPki::localSpec(), !verifies);
        auto server = startServer(replacement);
        QVERIFY(server);
        const Account frank = server->registerUser(u"frank"_s);
        Backend::Settings settings = signIn(*server, u"frank"_s, verifies);
        if (byToken)
            settings.signIn = {{}, {}, frank.token, {}};
        settings.tls.trustedFingerprint = trusted.fingerprint;
        const auto problem = refusal(dialect, settings);
        QVERIFY(problem);
        QCOMPARE(problem->kind, TlsProblem::Kind::FingerprintChanged);
        QVERIFY(!problem->canBeTrusted());
        QCOMPARE(problem->fingerprint, replacement.fingerprint);
        QVERIFY2(problem->message.contains(displayFingerprint(trusted.fingerprint))
                     && problem->message.contains(displayFingerprint(replacement.fingerprint)),
                 qPrintable(problem->message));
    }

    void reloadServesTheNewCertificateAndKeepsConnections()
    {
        auto server = startServer(m_pki.issue(u"before"_s));
        QVERIFY(server);
        server->registerUser(u"grace"_s);
        auto backend = makeBackend(u"gateway"_s, signIn(*server, u"grace"_s));
        QSignalSpy connected(backend.get(), &Backend::connected);
        backend->connectToServer();
        QVERIFY(connected.wait(10000));
        QSignalSpy states(backend.get(), &Backend::connectionStateChanged);

        // The files change in place (a renewal), then the reload.
        const TestPki::Files renewed = m_pki.issue(u"renewed"_s);
        const QString certificateFile = server->server().config().tlsCertificateFile;
        const QString keyFile = server->server().config().tlsKeyFile;
        QFile::remove(certificateFile);
        QFile::remove(keyFile);
        QVERIFY(QFile::copy(renewed.certificate, certificateFile));
        QVERIFY(QFile::copy(renewed.key, keyFile));
        QString error;
        QVERIFY2(server->server().reloadTls(&error), qPrintable(error));
        QCOMPARE(server->server().tlsFingerprint(), renewed.fingerprint);
        QCOMPARE(servedFingerprint(server->server().port()), renewed.fingerprint);
        QVERIFY(states.isEmpty()); // nobody was dropped
        QCOMPARE(backend->connectionState(), Backend::ConnectionState::Connected);

        // A broken file is not taken: the renewed certificate stays.
        QFile::remove(keyFile);
        QVERIFY(!server->server().reloadTls(&error));
        QVERIFY(error.contains(keyFile));
        QCOMPARE(servedFingerprint(server->server().port()), renewed.fingerprint);
    }

    void mismatchedKeyIsRefusedAtStart()
    {
        const TestPki::Files one = m_pki.issue(u"one"_s);
        const TestPki::Files two = m_pki.issue(u"two"_s);
        server::ServerConfig config = TestServer::defaultConfig();
        config.tlsCertificateFile = one.certificate;
        config.tlsKeyFile = two.key;
        TestServer server(config);
        QVERIFY(!server.start());
        QVERIFY2(server.server().errorString().contains(u"is not the key of the certificate"_s),
                 qPrintable(server.server().errorString()));
    }

    void fingerprintsParseAndShow()
    {
        const QByteArray digest = QByteArray::fromHex("00ff10ab00ff10ab00ff10ab00ff10ab00ff10ab00ff10ab00ff10ab00ff10ab");
        QCOMPARE(displayFingerprint(digest).left(12), u"00:FF:10:AB:"_s);
        QCOMPARE(parseFingerprint(displayFingerprint(digest)), std::optional<QByteArray>(digest));
        QCOMPARE(parseFingerprint(QString::fromLatin1(digest.toHex())), std::optional<QByteArray>(digest));
        QCOMPARE(parseFingerprint(u"00:ff"_s), std::nullopt);
        QCOMPARE(parseFingerprint(QString(64, u'g')), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
