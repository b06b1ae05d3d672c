// The desktop app end to end, as a user drives it: a real window (under Xvfb
// in CTest). First start hosts a server from the welcome page (stop / start
// from the banner); then, from the rail's +, Alice joins a headless natter
// process, starts a chat with Bob (Ctrl+N), types a message and presses Enter;
// Bob is a `natter cli` process that sees the message and sends a read
// receipt, which must come back to Alice's bubble as "read".
// Screenshots of the main window are saved as test artifacts.

#include "account.h"
#include "accountlistmodel.h"
#include "chatsession.h"
#include "desktopapp.h"
#include "desktopwindow.h"
#include "hostingcontroller.h"
#include "messagemodel.h"
#include "isolateddesktoptest.h"
#include "natterprocess.h"
#include "roomlistmodel.h"
#include "discoveredservermodel.h"
#include "lanbeacon.h"
#include "testpki.h"
#include "tlstrust.h"
#include "windowdriver.h"

#include <QApplication>
#include <QDir>
#include <QJsonDocument>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QRegularExpression>
#include <QProcessEnvironment>
#include <QSslCertificate>
#include <QCryptographicHash>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

using natter::testing::NatterProcess;
using natter::testing::postJson;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

} // namespace

class TestDesktopEndToEnd : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<NatterProcess> m_server;
    QUrl m_base;
    std::unique_ptr<natter::desktop::DesktopApp> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;

    std::unique_ptr<natter::testing::WindowDriver> m_driver;

    QQuickItem *item(const QString &name) { return m_driver->item(name); }
    QQuickItem *waitForItem(const QString &name) { return m_driver->waitForItem(name); }
    void click(QQuickItem *target) { QVERIFY(m_driver->click(target)); }
    void type(QQuickItem *field, const QString &text) { QVERIFY(m_driver->type(field, text)); }

    // The join form after Check: a new account `username`, by keyboard (the
    // form is taller than the window): Tab to "Create a new account", Space, Tab, join.
    void signUpInJoinForm(const QString &username)
    {
        type(waitForItem(s("usernameField")), username);
        type(waitForItem(s("passwordField")), s("password123"));
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_Tab);
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_Space);
        QTRY_VERIFY(item(s("registerCheck")) && item(s("registerCheck"))->property("checked").toBool());
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_Tab);
        click(waitForItem(s("joinButton")));
    }

    void saveScreenshot(const QString &name) { QVERIFY(m_driver->saveScreenshot(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<NatterProcess>(QStringList{s("--headless"), s("--listen"), s("127.0.0.1:0"),
                                                               s("--data-dir"), m_dir.filePath(s("server"))});
        const auto line = m_server->waitForLine([](const QString &text) { return text.startsWith(s("Natter server listening")); });
        QVERIFY(line);
        m_base = QUrl(line->section(u' ', -1));

        natter::desktop::prepareDesktopStyle();
        // As on a desktop without a keyring, whatever this machine has: the app must say so.
        qputenv("NATTER_SECRET_STORE", "file");
        m_app = std::make_unique<natter::desktop::DesktopApp>(m_dir.filePath(s("app")));
        QSignalSpy restored(m_app.get(), &natter::desktop::DesktopApp::restored);
        m_app->restore();
        QVERIFY(restored.wait(15000));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_window = natter::desktop::loadMainWindow(*m_engine);
        QVERIFY(m_window);
        m_driver = std::make_unique<natter::testing::WindowDriver>(m_window);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        // Shortcuts need the window to be the active one.
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
    }

    // First start: host a server here. The banner shows the address; stop and
    // start again from the banner.
    void hostFromTheWelcomePage()
    {
        click(waitForItem(s("hostChoice")));
        QQuickItem *name = waitForItem(s("serverNameField"));
        name->setProperty("text", QString());
        type(name, s("Office"));
        // Port 0: let the system pick a free one (a test must not fight over 8000).
        type(waitForItem(s("hostPortField")), s("0"));
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_0);
        type(waitForItem(s("hostUsernameField")), s("carol"));
        type(waitForItem(s("hostPasswordField")), s("password123"));
        click(waitForItem(s("hostButton")));

        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->count(), 1, 15000);
        QVERIFY(m_app->hosting()->running());
        QVERIFY(m_app->hosting()->port() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->currentAccount()->connectionState(), s("online"), 15000);
        QQuickItem *status = waitForItem(s("hostingStatus"));
        QVERIFY(status);
        QVERIFY2(status->property("text").toString().endsWith(u':' + QString::number(m_app->hosting()->port())),
                 qPrintable(status->property("text").toString()));
        saveScreenshot(s("desktop-hosting.png"));

        click(waitForItem(s("stopHostingButton")));
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->hosting()->running() && !m_app->hosting()->stopping(), 10000);
        click(waitForItem(s("startHostingButton")));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->hosting()->running(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->currentAccount()->connectionState(), s("online"), 20000);
    }

    // Join another server from the rail's +, start a chat with Bob (Ctrl+N),
    // send with Enter; Bob (`natter cli`) sees it and reads it; the tick turns "read".
    void joinSendAndSeeItRead()
    {
        const QJsonObject bobAccount = postJson(m_base.resolved(QUrl(s("/api/auth/register"))),
                                                {{s("username"), s("bob")}, {s("password"), s("password123")},
                                                 {s("display_name"), s("Bob Smith")}});
        QVERIFY(!bobAccount.value(s("token")).toString().isEmpty());

        // Rail + → welcome page → Join a server → address → Check → new account.
        click(waitForItem(s("addServerButton")));
        click(waitForItem(s("joinChoice")));
        type(waitForItem(s("addressField")), m_base.authority());
        click(waitForItem(s("checkButton")));
        signUpInJoinForm(s("alice"));

        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->count(), 2, 15000);
        natter::desktop::Account *alice = m_app->currentAccount();
        QVERIFY(alice);
        QVERIFY(!alice->hosted());
        QCOMPARE(alice->dialect(), s("natter")); // the join form picks Natter's own dialect on a Natter server
        QTRY_COMPARE_WITH_TIMEOUT(alice->connectionState(), s("online"), 15000);

        // Ctrl+N, pick Bob: the direct room is created and opened.
        QSignalSpy created(alice->session(), &natter::client::ChatSession::roomCreated);
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_N, Qt::ControlModifier);
        click(waitForItem(s("person:bob")));
        QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000);
        const QString roomId = created.first().first().toString();
        QVERIFY(!roomId.isEmpty());

        NatterProcess bob({s("cli"), s("--server"), m_base.toString(), s("--dialect"), s("natter"), s("--user"),
                           s("bob"), s("--password"), s("password123"), s("--room"), roomId, s("--outbox"),
                           m_dir.filePath(s("bob.db"))});
        QVERIFY(bob.waitForEvent(s("subscribed")));

        QQuickItem *composer = waitForItem(s("composerInput"));
        const QString text = s("Hello Bob, this is Alice from the desktop app");
        type(composer, text);
        QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key_Return);

        const auto received = bob.waitForEvent(s("message"), [&text](const QJsonObject &event) {
            return event.value(s("text")).toString() == text;
        });
        QVERIFY(received);
        QCOMPARE(received->value(s("from")).toString(), s("alice"));

        // Bob reads it; Alice's bubble turns "read".
        bob.writeLine({{s("cmd"), s("read")}, {s("room"), roomId}, {s("message"), received->value(s("id"))}});
        natter::client::MessageModel *messages = alice->openRoom(roomId);
        QVERIFY(messages);
        const QString messageId = received->value(s("id")).toVariant().toString();
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowOfId(messageId) >= 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(messages->index(messages->rowOfId(messageId))
                                      .data(natter::client::MessageModel::StatusNameRole).toString(),
                                  s("read"), 10000);
        // …and the delegate on screen shows it.
        QTRY_VERIFY_WITH_TIMEOUT(item(s("message:") + messageId), 5000);

        // Bob answers; it appears in Alice's room.
        bob.writeLine({{s("cmd"), s("send")}, {s("room"), roomId}, {s("text"), s("Hi Alice! Got it.")},
                       {s("temp_id"), s("bob-1")}});
        QVERIFY(bob.waitForEvent(s("ack")));
        QTRY_COMPARE_WITH_TIMEOUT(messages->rowCount(), 2, 10000);

        QQuickItem *secretsNotice = waitForItem(s("secretsNotice"));
        QVERIFY(secretsNotice && secretsNotice->isVisible());
        QVERIFY(secretsNotice->property("text").toString().contains(m_app->secretsFile()));
        saveScreenshot(s("desktop-main-window.png"));
        bob.closeInput();
        QVERIFY(bob.waitForExit());
    }

    // A LAN host serving TLS with its own certificate. Typed by hand: the join
    // form shows its fingerprint and asks; trusted, the account keeps it.
    // Picked from the LAN list: its beacon named the certificate, no question.
    // A second Natter app on this machine hosts: TLS by default, with the
    // self-signed certificate it made on its first start. Typed by name, this
    // app asks before trusting it and shows the fingerprint the host's banner
    // shows; picked from the LAN list (the host's real beacon), the beacon's
    // fingerprint is the trust and there is no prompt.
    void joinASecondAppsHostByAddressWithThePromptAndFromTheLanListWithout()
    {
        const QString home = m_dir.filePath(s("second-app"));
        const QString configHome = QDir(home).filePath(s("config"));
        const QString dataHome = QDir(home).filePath(s("data"));
        {
            // What the second app's Host form saved (port 0: the system picks one).
            QSettings seeded(QDir(configHome).filePath(s("Natter/natter.conf")), QSettings::IniFormat);
            seeded.setValue(s("host/enabled"), true);
            seeded.setValue(s("host/name"), s("Second app"));
            seeded.setValue(s("host/listenAddress"), s("127.0.0.1"));
            seeded.setValue(s("host/port"), 0);
            seeded.sync();
            QCOMPARE(seeded.status(), QSettings::NoError);
        }
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(s("XDG_CONFIG_HOME"), configHome);
        environment.insert(s("XDG_DATA_HOME"), dataHome);
        environment.insert(s("XDG_RUNTIME_DIR"), QDir(home).filePath(s("run")));
        environment.insert(s("QT_QPA_PLATFORM"), s("offscreen"));
        environment.insert(s("NATTER_SECRET_STORE"), s("file"));
        QDir().mkpath(QDir(home).filePath(s("run")));
        QFile::setPermissions(QDir(home).filePath(s("run")), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        NatterProcess secondApp(QStringList{}, environment);
        static const QRegularExpression listening(s("listening on \"?https://127\\.0\\.0\\.1:(\\d+)"));
        const auto line = secondApp.waitForLine([](const QString &text) { return listening.match(text).hasMatch(); },
                                                30000);
        QVERIFY2(line, qPrintable(secondApp.lines().join(u'\n')));
        const int port = listening.match(*line).captured(1).toInt();
        const auto certificates = QSslCertificate::fromPath(
            QDir(dataHome).filePath(s("Natter/natter/host/tls/host.crt")));
        QCOMPARE(certificates.size(), 1);
        const QByteArray fingerprint = certificates.first().digest(QCryptographicHash::Sha256);

        // By name: nothing ties "localhost" to a beacon, so the user compares fingerprints.
        click(waitForItem(s("addServerButton")));
        click(waitForItem(s("joinChoice")));
        type(waitForItem(s("addressField")), s("localhost:") + QString::number(port));
        click(waitForItem(s("checkButton")));
        QQuickItem *shown = waitForItem(s("certificateFingerprint"));
        QVERIFY(shown);
        QCOMPARE(shown->property("text").toString(), natter::client::displayFingerprint(fingerprint));
        saveScreenshot(s("desktop-certificate-prompt.png"));
        click(waitForItem(s("trustCertificateButton")));
        signUpInJoinForm(s("dan"));
        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->count(), 3, 15000);
        natter::desktop::Account *dan = m_app->currentAccount();
        QCOMPARE(dan->config().tlsFingerprint, fingerprint);
        QCOMPARE(dan->config().serverUrl.scheme(), s("https"));
        QTRY_COMPARE_WITH_TIMEOUT(dan->connectionState(), s("online"), 15000);

        // From the LAN list: the second app's own beacon, heard on this machine.
        click(waitForItem(s("addServerButton")));
        click(waitForItem(s("joinChoice")));
        // The row may sit below the list's visible part: bring it into view, then click it.
        QQuickItem *lanRow = waitForItem(s("lanServer:127.0.0.1:") + QString::number(port));
        QVERIFY(lanRow);
        QCOMPARE(m_app->lanServers()->announcedFingerprint(s("127.0.0.1"), quint16(port)), fingerprint);
        QQuickItem *lanList = lanRow->parentItem() ? lanRow->parentItem()->parentItem() : nullptr;
        QVERIFY(lanList && lanList->inherits("QQuickListView"));
        QMetaObject::invokeMethod(lanList, "positionViewAtEnd");
        click(lanRow);
        QVERIFY(waitForItem(s("usernameField"))); // no prompt: straight to signing in
        QVERIFY(!item(s("certificatePrompt")));
        signUpInJoinForm(s("erin"));
        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->count(), 4, 15000);
        natter::desktop::Account *erin = m_app->currentAccount();
        QCOMPARE(erin->config().tlsFingerprint, fingerprint);
        QCOMPARE(erin->config().serverUrl.host(), s("127.0.0.1"));
        QTRY_COMPARE_WITH_TIMEOUT(erin->connectionState(), s("online"), 15000);
    }

    void cleanup()
    {
        // What the user saw when it went wrong.
        if (QTest::currentTestFailed())
            saveScreenshot(s("desktop-failure.png"));
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_app.reset();
    }
};

int main(int argc, char *argv[])
{
    return natter::testing::runIsolatedDesktopTest<TestDesktopEndToEnd>(argc, argv, QStringLiteral("natter-e2e"));
}

#include "tst_desktope2e.moc"
