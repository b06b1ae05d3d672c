// Account secrets never sit in the settings file. Run twice by CTest: under
// tests/support/with-keyring.sh (a session bus and an unlocked GNOME Keyring of
// the test's own, NATTER_TEST_KEYRING=1), where tokens must land in the keyring,
// looked at from outside with secret-tool; and where no bus answers, where they
// must land in a file only the user can read (mode 0600) and the app says so.

#include "account.h"
#include "accountlistmodel.h"
#include "appsettings.h"
#include "desktopapp.h"
#include "isolateddesktoptest.h"
#include "secretvault.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using natter::desktop::AccountSecrets;
using natter::desktop::DesktopApp;
using natter::desktop::SecretVault;
using namespace Qt::StringLiterals;

namespace {

bool keyringExpected()
{
    return qEnvironmentVariable("NATTER_TEST_KEYRING") == u"1";
}

QString appService()
{
    return QCoreApplication::organizationName() + u'/' + QCoreApplication::applicationName();
}

// What the keyring holds for (service, key), asked from outside the app.
QString keyringEntry(const QString &service, const QString &key)
{
    QProcess tool;
    tool.start(u"secret-tool"_s, {u"lookup"_s, u"server"_s, service, u"user"_s, key});
    if (!tool.waitForFinished(10000))
        return u"<secret-tool did not finish>"_s;
    return QString::fromUtf8(tool.readAllStandardOutput());
}

int modeOf(const QString &path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}

// Every file below `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList found;
    QDirIterator files(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        QFile file(files.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            found.append(file.fileName());
    }
    return found;
}

struct Waiter
{
    bool done = false;
    QHash<QString, AccountSecrets> found;
    bool stored = false;
};

} // namespace

class TestSecretVault : public QObject
{
    Q_OBJECT
    QTemporaryDir m_data;
    natter::test::TestServer m_server;

    QString address() const { return m_server.url(u"/"_s).authority(); }
    QString configDir() const { return qEnvironmentVariable("XDG_CONFIG_HOME"); }

    static QHash<QString, AccountSecrets> readAll(SecretVault &vault, const QStringList &ids)
    {
        Waiter waiter;
        vault.read(ids, [&waiter](const QHash<QString, AccountSecrets> &found) {
            waiter.found = found;
            waiter.done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(waiter.done, 15000); }();
        return waiter.found;
    }
    static bool writeOne(SecretVault &vault, const QString &id, const AccountSecrets &secrets)
    {
        Waiter waiter;
        vault.write(id, secrets, [&waiter](bool stored) {
            waiter.stored = stored;
            waiter.done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(waiter.done, 15000); }();
        return waiter.stored;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.start());
        qInfo("keyring expected: %s", keyringExpected() ? "yes" : "no (no session bus)");
    }

    void keepsReadsReplacesAndRemoves()
    {
        const QString service = appService() + u"/vault"_s;
        const QString file = m_data.filePath(u"vault/secrets.json"_s);
        SecretVault vault(service, file, true);
        QSignalSpy storage(&vault, &SecretVault::storageChanged);

        QVERIFY(writeOne(vault, u"a"_s, {u"token-a1"_s, u"natter_session=c1"_s}));
        QVERIFY(!storage.isEmpty());
        if (keyringExpected()) {
            QCOMPARE(vault.storage(), SecretVault::Storage::Keyring);
            QVERIFY(vault.keyringError().isEmpty());
            QVERIFY(keyringEntry(service, u"a"_s).contains(u"token-a1"_s));
            QVERIFY(!QFile::exists(file));
        } else {
            QCOMPARE(vault.storage(), SecretVault::Storage::File);
            QVERIFY(!vault.keyringError().isEmpty());
            QCOMPARE(modeOf(file), 0600);
            QCOMPARE(filesContaining(m_data.path(), "token-a1"), QStringList{file});
        }

        auto found = readAll(vault, {u"a"_s, u"b"_s});
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.value(u"a"_s), (AccountSecrets{u"token-a1"_s, u"natter_session=c1"_s}));

        QVERIFY(writeOne(vault, u"a"_s, {u"token-a2"_s, QString()}));
        QVERIFY(writeOne(vault, u"b"_s, {u"token-b"_s, QString()}));
        found = readAll(vault, {u"a"_s, u"b"_s});
        QCOMPARE(found.value(u"a"_s).token, u"token-a2"_s);
        QCOMPARE(found.value(u"b"_s).token, u"token-b"_s);

        vault.remove(u"a"_s);
        found = readAll(vault, {u"a"_s, u"b"_s});
        QVERIFY(!found.contains(u"a"_s));
        QVERIFY(found.contains(u"b"_s));
        if (keyringExpected())
            QVERIFY(!keyringEntry(service, u"a"_s).contains(u"token"_s));
        else
            QCOMPARE(modeOf(file), 0600);
        vault.remove(u"b"_s);
        QVERIFY(readAll(vault, {u"b"_s}).isEmpty());
    }

    // A file that is not what the vault wrote may hold other accounts' secrets: never overwritten.
    void anUnreadableFileIsLeftAlone()
    {
        const QString file = m_data.filePath(u"garbled/secrets.json"_s);
        QDir().mkpath(QFileInfo(file).absolutePath());
        {
            QFile garbled(file);
            QVERIFY(garbled.open(QIODevice::WriteOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
            garbled.write("{\"other\": {\"token\": \"kept\"");
        }
        SecretVault vault(appService() + u"/garbled"_s, file, false);
        QVERIFY(!writeOne(vault, u"new"_s, {u"token-new"_s, QString()}));
        QFile check(file);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray("{\"other\": {\"token\": \"kept\""));
        QVERIFY(readAll(vault, {u"new"_s}).isEmpty());
    }

    // Kept in the file while no keyring ran: moved into the keyring when one answers.
    void fileEntriesMoveIntoTheKeyring()
    {
        if (!keyringExpected())
            QSKIP("needs the keyring session (tests/support/with-keyring.sh)");
        const QString service = appService() + u"/move"_s;
        const QString file = m_data.filePath(u"move/secrets.json"_s);
        {
            SecretVault offline(service, file, false);
            QVERIFY(writeOne(offline, u"old"_s, {u"token-old"_s, QString()}));
            QCOMPARE(modeOf(file), 0600);
        }
        SecretVault vault(service, file, true);
        QCOMPARE(readAll(vault, {u"old"_s}).value(u"old"_s).token, u"token-old"_s);
        QCOMPARE(vault.storage(), SecretVault::Storage::Keyring);
        QVERIFY(keyringEntry(service, u"old"_s).contains(u"token-old"_s));
        QVERIFY(!QFile::exists(file));
    }

    // The app: a token pasted in the join form goes to the keyring (or the 0600
    // file), no settings file holds it, and the next launch signs in with it.
    void appKeepsTokensOutOfTheSettingsFile()
    {
        const QString dataDir = m_data.filePath(u"app"_s);
        const natter::test::Account gina = m_server.registerUser(u"gina"_s);
        QString accountId;
        {
            DesktopApp app(dataDir);
            QSignalSpy joined(&app, &DesktopApp::joined);
            app.joinWithToken(address(), u"rooms"_s, QString(), gina.token, u"gina"_s);
            QCOMPARE(joined.count(), 1);
            accountId = app.currentAccount()->accountId();
            QTRY_COMPARE_WITH_TIMEOUT(app.currentAccount()->connectionState(), u"online"_s, 10000);
            if (keyringExpected()) {
                QTRY_VERIFY_WITH_TIMEOUT(keyringEntry(appService(), accountId).contains(gina.token), 10000);
                QTRY_COMPARE_WITH_TIMEOUT(app.secretStorage(), u"keyring"_s, 10000);
            } else {
                const QString file = QDir(dataDir).filePath(u"secrets.json"_s);
                QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(file), 10000);
                QCOMPARE(modeOf(file), 0600);
                QTRY_COMPARE_WITH_TIMEOUT(app.secretStorage(), u"file"_s, 10000); // what SecretsNotice and Settings show
                QCOMPARE(app.secretsFile(), file);
            }
        }
        QVERIFY(QFile::exists(QSettings().fileName()));
        QCOMPARE(filesContaining(configDir(), gina.token.toUtf8()), QStringList());

        DesktopApp again(dataDir);
        QSignalSpy restored(&again, &DesktopApp::restored);
        again.restore();
        QVERIFY(again.restoring());
        QVERIFY(restored.wait(15000));
        QCOMPARE(again.accounts()->count(), 1);
        QCOMPARE(again.currentAccount()->accountId(), accountId);
        QTRY_COMPARE_WITH_TIMEOUT(again.currentAccount()->connectionState(), u"online"_s, 10000);
        again.removeAccount(accountId);
        if (keyringExpected())
            QTRY_VERIFY_WITH_TIMEOUT(!keyringEntry(appService(), accountId).contains(gina.token), 10000);
        else
            QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QDir(dataDir).filePath(u"secrets.json"_s)), 10000);
    }

    // A settings file from a version that kept tokens in it: the first start moves them out.
    void plaintextTokensAreMovedOnFirstStart()
    {
        const QString dataDir = m_data.filePath(u"legacy"_s);
        const natter::test::Account hugo = m_server.registerUser(u"hugo"_s);
        {
            QSettings settings;
            settings.remove(u"accounts"_s);
            settings.beginWriteArray(u"accounts"_s, 1);
            settings.setArrayIndex(0);
            settings.setValue(u"id"_s, u"legacy-account"_s);
            settings.setValue(u"serverUrl"_s, m_server.url(u"/"_s).adjusted(QUrl::RemovePath));
            settings.setValue(u"dialect"_s, u"rooms"_s);
            settings.setValue(u"username"_s, u"hugo"_s);
            settings.setValue(u"token"_s, hugo.token);
            settings.setValue(u"cookie"_s, QString());
            settings.setValue(u"natter"_s, true);
            settings.endArray();
            settings.sync();
        }
        QCOMPARE(filesContaining(configDir(), hugo.token.toUtf8()).size(), 1);

        DesktopApp app(dataDir);
        QSignalSpy restored(&app, &DesktopApp::restored);
        app.restore();
        QVERIFY(restored.wait(15000));
        QCOMPARE(app.accounts()->count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(app.currentAccount()->connectionState(), u"online"_s, 10000);
        QCOMPARE(filesContaining(configDir(), hugo.token.toUtf8()), QStringList());
        if (keyringExpected())
            QTRY_VERIFY_WITH_TIMEOUT(keyringEntry(appService(), u"legacy-account"_s).contains(hugo.token), 10000);
        else
            QCOMPARE(modeOf(QDir(dataDir).filePath(u"secrets.json"_s)), 0600);
    }
};

int main(int argc, char *argv[])
{
    return natter::testing::runIsolatedDesktopTest<TestSecretVault>(argc, argv, u"natter-secretvault"_s);
}

#include "tst_secretvault.moc"
