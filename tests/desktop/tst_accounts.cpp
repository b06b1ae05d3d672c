// The app's accounts and settings: joining by address (probe, sign in or
// register) and with a pasted token, what is kept across restarts (accounts
// with their token, never the password; drafts; preferences), and removing one.

#include "account.h"
#include "accountlistmodel.h"
#include "appsettings.h"
#include "desktopapp.h"
#include "isolateddesktoptest.h"
#include "discoveredservermodel.h"
#include "lanbeacon.h"
#include "testpki.h"
#include "testserver.h"
#include "tlstrust.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using natter::desktop::DesktopApp;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
} // namespace

class TestAccounts : public QObject
{
    Q_OBJECT
    QTemporaryDir m_data;
    natter::test::TestServer m_server;

    QString address() const { return m_server.url(s("/")).authority(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
    }

    // A LAN host's TLS server with its own certificate: typed by hand, the app
    // asks before it trusts it (showing the fingerprint); picked from the LAN
    // list, the beacon's fingerprint is the trust; a changed certificate is refused.
    void tlsServerTrustOnFirstUse()
    {
        natter::test::TestPki pki;
        QVERIFY(pki.isValid());
        const auto selfSigned = pki.issue(s("lanhost"), natter::test::TestPki::localSpec(), true);
        natter::server::ServerConfig config = natter::test::TestServer::defaultConfig();
        config.tlsCertificateFile = selfSigned.certificate;
        config.tlsKeyFile = selfSigned.key;
        natter::test::TestServer server(config);
        QVERIFY(server.start());
        const QString typed = server.url(s("/")).authority(); // "127.0.0.1:PORT", no scheme

        DesktopApp app(m_data.filePath(s("tls")));
        QSignalSpy probed(&app, &DesktopApp::probed);
        QSignalSpy question(&app, &DesktopApp::certificateQuestion);
        QSignalSpy joined(&app, &DesktopApp::joined);
        app.probeServer(typed);
        QVERIFY(question.wait(10000));
        QVERIFY(probed.isEmpty());
        QCOMPARE(question.last().at(0).toString(), typed);
        QCOMPARE(question.last().at(1).toString(), natter::client::displayFingerprint(selfSigned.fingerprint));
        QCOMPARE(question.last().at(4).toBool(), true); // can be trusted

        app.trustCertificate(typed, question.last().at(2).toString());
        app.probeServer(typed);
        QVERIFY(probed.wait(10000));
        QCOMPARE(probed.last().at(2).toBool(), true); // a Natter server, over https
        app.joinServer(typed, s("rooms"), s("tina"), s("password123"), true);
        QVERIFY(joined.wait(10000));
        natter::desktop::Account *tina = app.currentAccount();
        QCOMPARE(tina->config().serverUrl.scheme(), s("https"));
        QCOMPARE(tina->config().tlsFingerprint, selfSigned.fingerprint);
        QTRY_COMPARE_WITH_TIMEOUT(tina->connectionState(), s("online"), 10000);

        // Picked from the LAN list: the beacon named the certificate, no question.
        DesktopApp lanApp(m_data.filePath(s("tls-lan")));
        natter::discovery::LanBeacon beacon;
        beacon.id = s("lan-tls-host");
        beacon.name = s("Lan host");
        beacon.port = quint16(server.server().port());
        beacon.dialects = {s("rooms")};
        beacon.tlsFingerprint = selfSigned.fingerprint;
        lanApp.lanServers()->addBeacon(beacon, QHostAddress(QHostAddress::LocalHost));
        QSignalSpy lanProbed(&lanApp, &DesktopApp::probed);
        QSignalSpy lanQuestion(&lanApp, &DesktopApp::certificateQuestion);
        lanApp.probeServer(typed, true);
        QVERIFY(lanProbed.wait(10000));
        QVERIFY(lanQuestion.isEmpty());
        QCOMPARE(lanProbed.last().at(2).toBool(), true);

        // The certificate changes (another machine at that address): refused, not asked.
        DesktopApp changedApp(m_data.filePath(s("tls-changed")));
        QSignalSpy changedQuestion(&changedApp, &DesktopApp::certificateQuestion);
        changedApp.trustCertificate(typed, QString::fromLatin1(QByteArray(32, 'x').toHex()));
        changedApp.probeServer(typed);
        QVERIFY(changedQuestion.wait(10000));
        QCOMPARE(changedQuestion.last().at(4).toBool(), false);
        QVERIFY(changedQuestion.last().at(3).toString().contains(s("has changed")));

        // A beacon (unauthenticated UDP) never replaces a trusted fingerprint, even picked from the list.
        changedApp.lanServers()->addBeacon(beacon, QHostAddress(QHostAddress::LocalHost));
        changedApp.probeServer(typed, true);
        QVERIFY(changedQuestion.wait(10000));
        QCOMPARE(changedQuestion.last().at(4).toBool(), false);
        QCOMPARE(changedApp.trustedFingerprint(QUrl(s("https://") + typed)), QByteArray(32, 'x'));
    }

    // A server signed by the user's own CA: unknown until the CA is added
    // (the join form's field), then no question; the account keeps the CA.
    void addedCaIsTrusted()
    {
        natter::test::TestPki pki;
        QVERIFY(pki.isValid());
        natter::server::ServerConfig config = natter::test::TestServer::defaultConfig();
        config.tlsCertificateFile = pki.server().certificate;
        config.tlsKeyFile = pki.server().key;
        natter::test::TestServer server(config);
        QVERIFY(server.start());
        const QString typed = server.url(s("/")).authority();
        DesktopApp app(m_data.filePath(s("ca")));
        QSignalSpy probed(&app, &DesktopApp::probed);
        QSignalSpy question(&app, &DesktopApp::certificateQuestion);
        QSignalSpy joined(&app, &DesktopApp::joined);
        app.probeServer(typed);
        QVERIFY(question.wait(10000));
        QVERIFY(app.addCaCertificate(typed, m_data.filePath(s("missing.pem"))).contains(s("cannot read")));
        QCOMPARE(app.addCaCertificate(typed, pki.caFile()), QString());
        app.probeServer(typed);
        QVERIFY2(probed.wait(10000), qPrintable(question.last().value(3).toString()));
        QCOMPARE(question.count(), 1);
        QCOMPARE(probed.last().at(2).toBool(), true);
        app.joinServer(typed, s("chats"), s("uma"), s("password123"), true);
        QVERIFY(joined.wait(10000));
        QCOMPARE(app.currentAccount()->config().caCertificates, pki.caCertificates());
        QTRY_COMPARE_WITH_TIMEOUT(app.currentAccount()->connectionState(), s("online"), 10000);
    }

    void probeTellsANatterServerApart()
    {
        DesktopApp app(m_data.filePath(s("probe")));
        QSignalSpy probed(&app, &DesktopApp::probed);
        app.probeServer(address());
        QVERIFY(probed.wait(10000));
        QCOMPARE(probed.last().at(1).toBool(), true); // reachable
        QCOMPARE(probed.last().at(2).toBool(), true); // natter
        QVERIFY(probed.last().at(4).toStringList().contains(s("gateway")));
        QCOMPARE(probed.last().at(5).toBool(), true); // registration open

        // Nothing listens on port 1: not reachable. Junk is refused before any request.
        app.probeServer(s("127.0.0.1:1"));
        QVERIFY(probed.wait(10000));
        QCOMPARE(probed.last().at(1).toBool(), false);
        app.probeServer(s("not a host:port!"));
        QCOMPARE(probed.last().at(1).toBool(), false);
        QCOMPARE(app.normalizedServerUrl(s("10.0.0.5:8000")), s("http://10.0.0.5:8000"));
        QCOMPARE(app.normalizedServerUrl(s("https://chat.example/x?y")), s("https://chat.example"));
        QCOMPARE(app.normalizedServerUrl(s("ftp://x")), QString());
    }

    void joinRegisterTokenRestoreAndRemove()
    {
        const QString dataDir = m_data.filePath(s("join"));
        {
            DesktopApp app(dataDir);
            QAbstractItemModelTester tester(app.accounts(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QSignalSpy joined(&app, &DesktopApp::joined);
            QSignalSpy failed(&app, &DesktopApp::joinFailed);

            // A wrong password is refused with a readable reason and adds nothing.
            m_server.registerUser(s("dora"));
            app.joinServer(address(), s("rooms"), s("dora"), s("wrong-password"), false);
            QVERIFY(failed.wait(10000));
            QCOMPARE(failed.last().first().toString(), s("Wrong username or password."));
            QCOMPARE(app.accounts()->count(), 0);

            // Register a new account, speaking `social` to the server.
            app.joinServer(address(), s("social"), s("erin"), s("password123"), true);
            QVERIFY(joined.wait(10000));
            natter::desktop::Account *erin = app.currentAccount();
            QCOMPARE(erin->dialect(), s("social"));
            QTRY_COMPARE_WITH_TIMEOUT(erin->connectionState(), s("online"), 10000);

            // Any dialect with a token pasted by the user (here a Natter token for cable).
            const natter::test::Account frank = m_server.registerUser(s("frank"));
            app.joinWithToken(address(), s("cable"), QString(), frank.token, s("frank"));
            QCOMPARE(joined.count(), 2);
            natter::desktop::Account *cable = app.currentAccount();
            QCOMPARE(cable->dialect(), s("cable"));
            QTRY_COMPARE_WITH_TIMEOUT(cable->connectionState(), s("online"), 10000);
            QCOMPARE(app.accounts()->count(), 2);

            // Preferences and a draft.
            app.settings()->setTheme(s("dark"));
            app.settings()->setSendTyping(false);
            app.settings()->setDraft(s("acct/room 1"), s("half a thought"));
        }

        // Next launch: both accounts back with their tokens, no password on disk.
        DesktopApp app(dataDir);
        QSignalSpy restored(&app, &DesktopApp::restored);
        app.restore();
        QVERIFY(restored.wait(15000));
        QCOMPARE(app.accounts()->count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(app.accounts()->at(0)->connectionState(), s("online"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(app.accounts()->at(1)->connectionState(), s("online"), 10000);
        // The account that signed in with a password on a Natter server moved
        // to Natter's own dialect; the pasted-token cable account stays.
        auto dialectOf = [&app](const QString &username) {
            for (natter::desktop::Account *account : app.accounts()->accounts()) {
                if (account->config().username == username)
                    return account->dialect();
            }
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(dialectOf(s("erin")), s("natter"), 10000);
        QCOMPARE(dialectOf(s("frank")), s("cable"));
        QCOMPARE(app.accounts()->count(), 2);
        for (int row = 0; row < 2; ++row)
            QTRY_COMPARE_WITH_TIMEOUT(app.accounts()->at(row)->connectionState(), s("online"), 10000);
        QSettings settings;
        QVERIFY(!settings.allKeys().join(u' ').contains(s("password")));
        QVERIFY(!settings.allKeys().join(u' ').contains(s("token"))); // the keyring (or a 0600 file) has them
        QCOMPARE(app.settings()->theme(), s("dark"));
        QCOMPARE(app.settings()->sendTyping(), false);
        QCOMPARE(app.settings()->draft(s("acct/room 1")), s("half a thought"));
        app.settings()->setDraft(s("acct/room 1"), QString());
        QCOMPARE(app.settings()->draft(s("acct/room 1")), QString());
        app.settings()->setTheme(s("purple"));
        QCOMPARE(app.settings()->theme(), s("system")); // unknown values read as the default

        // Signing out of one removes it, here and on disk.
        app.removeAccount(app.accounts()->at(0)->accountId());
        QCOMPARE(app.accounts()->count(), 1);
        QVERIFY(app.currentAccount());
        DesktopApp again(dataDir);
        QSignalSpy restoredAgain(&again, &DesktopApp::restored);
        again.restore();
        QVERIFY(restoredAgain.wait(15000));
        QCOMPARE(again.accounts()->count(), 1);
    }
};

int main(int argc, char *argv[])
{
    return natter::testing::runIsolatedDesktopTest<TestAccounts>(argc, argv, QStringLiteral("natter-accounts"));
}

#include "tst_accounts.moc"
