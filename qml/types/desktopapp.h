#pragma once

// The app's root object for QML (`App`): settings, the accounts in the rail,
// the hosted server, and the two first-start flows (host / join).

#include <QNetworkAccessManager>
#include <QQmlEngine>
#include "tlstrust.h"

#include <QObject>
#include <QPointer>

#include "account.h"
#include <QtQml/qqmlregistration.h>
#include <functional>
#include <memory>

namespace natter::discovery {
class DiscoveredServerModel;
}

namespace natter::desktop {

class Account;
class AccountListModel;
class AppSettings;
class HostingController;
class SecretVault;
struct AccountConfig;

class DesktopApp : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    Q_MOC_INCLUDE("appsettings.h")
    Q_MOC_INCLUDE("accountlistmodel.h")
    Q_MOC_INCLUDE("hostingcontroller.h")
    Q_MOC_INCLUDE("account.h")
    Q_MOC_INCLUDE("discoveredservermodel.h")

    Q_PROPERTY(natter::desktop::AppSettings *settings READ settings CONSTANT)
    Q_PROPERTY(natter::desktop::AccountListModel *accounts READ accounts CONSTANT)
    Q_PROPERTY(natter::desktop::HostingController *hosting READ hosting CONSTANT)
    Q_PROPERTY(natter::desktop::Account *currentAccount READ currentAccount NOTIFY currentAccountChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // True from restore() until the saved accounts are back (their secrets read).
    Q_PROPERTY(bool restoring READ restoring NOTIFY restoredChanged)
    // Where tokens and cookies are kept: "keyring", or "file" when no keyring answered
    // (secretsFile then names the file only the user can read); "" until known.
    Q_PROPERTY(QString secretStorage READ secretStorage NOTIFY secretStorageChanged)
    Q_PROPERTY(QString secretsFile READ secretsFile CONSTANT)
    // The saved hosting setup (for "start hosting again").
    Q_PROPERTY(bool hostConfigured READ hostConfigured NOTIFY busyChanged)
    Q_PROPERTY(QStringList dialects READ dialects CONSTANT)
    // Servers heard on the LAN, and the hosts typed by hand (kept in the settings).
    Q_PROPERTY(natter::discovery::DiscoveredServerModel *lanServers READ lanServers CONSTANT)
    // This computer's name: the default name of a hosted server.
    Q_PROPERTY(QString machineName READ machineName CONSTANT)
    // The room the window shows (ChatShell keeps it current; notifications skip it).
    Q_PROPERTY(QString openRoomKey READ openRoomKey WRITE setOpenRoomKey NOTIFY openRoomKeyChanged)

public:
    // `dataDir`: accounts' caches and the hosted server's data go below it.
    explicit DesktopApp(const QString &dataDir, QObject *parent = nullptr);
    ~DesktopApp() override;

    // The one instance main() made (QML_SINGLETON hands it to the engine).
    static DesktopApp *create(QQmlEngine *, QJSEngine *);
    static DesktopApp *instance();

    AppSettings *settings() const { return m_settings.get(); }
    AccountListModel *accounts() const { return m_accounts.get(); }
    HostingController *hosting() const { return m_hosting.get(); }
    discovery::DiscoveredServerModel *lanServers() const { return m_lanServers.get(); }
    Account *currentAccount() const { return m_current; }
    bool busy() const { return m_busy; }
    bool restoring() const { return m_restoring; }
    QString secretStorage() const;
    QString secretsFile() const;
    bool hostConfigured() const;
    QStringList dialects() const;
    QString machineName() const;
    Q_INVOKABLE void copyToClipboard(const QString &text) const;

    // Starts the saved accounts (and the hosted server when it was running). The
    // accounts appear once their secrets are read from the keyring: restored().
    // Tokens an older version left in the settings file move to the keyring.
    void restore();

    // Host a server here and sign in to it as a new (or the existing) user.
    Q_INVOKABLE void hostServer(const QString &serverName, const QString &listenAddress, int port,
                                const QString &username, const QString &password);
    // The hosted server again with its saved settings (after "stop hosting").
    Q_INVOKABLE void resumeHosting();
    Q_INVOKABLE void stopHosting();
    // Asks `address` ("host:port" or a URL) whether it is a Natter server. → probed
    // pickedFromLanList: the user chose the beacon's row, so its announced
    // fingerprint is trusted when nothing is trusted for that server yet (a
    // beacon never replaces a trusted one). A server with TLS trust or an https
    // account is only ever probed over https.
    Q_INVOKABLE void probeServer(const QString &address, bool pickedFromLanList = false);
    // Waits (bounded) for secrets still being written: the app's way out.
    void finishPendingWrites(int timeoutMs);
    // Signs in (or registers) on a Natter server, then speaks `dialect` to it.
    Q_INVOKABLE void joinServer(const QString &address, const QString &dialect, const QString &username,
                                const QString &password, bool registerNew);
    // Any server of a dialect, with a token (and optional WebSocket path) given by the user.
    // `cookie` ("name=value") for dialects that sign in with a session cookie
    // (social); a token or a cookie is needed. `railName` names the server in
    // the rail (servers without a name of their own).
    Q_INVOKABLE void joinWithToken(const QString &address, const QString &dialect, const QString &path,
                                   const QString &token, const QString &username, const QString &cookie = {},
                                   const QString &railName = {});
    // The name the rail shows for a server without one of its own ("" goes back to the default).
    Q_INVOKABLE void renameInRail(const QString &accountId, const QString &name);
    Q_INVOKABLE void selectAccount(const QString &accountId);
    Q_INVOKABLE void removeAccount(const QString &accountId);
    // "host:port" → http://host:port (empty when it cannot be a server address).
    Q_INVOKABLE QString normalizedServerUrl(const QString &address) const;
    // Trusts the certificate with this SHA-256 (hex) for the server at
    // `address` from now on (after certificateQuestion); probe again to go on.
    Q_INVOKABLE void trustCertificate(const QString &address, const QString &fingerprintHex);
    // Trusts the CA certificate(s) in the PEM file `path` for the server at
    // `address` (a company CA). Empty on success, else why not.
    Q_INVOKABLE QString addCaCertificate(const QString &address, const QString &path);
    // The SHA-256 trusted for the https server at `url` (host:port); empty: none.
    QByteArray trustedFingerprint(const QUrl &url) const;

    QString openRoomKey() const { return m_openRoomKey; }
    void setOpenRoomKey(const QString &roomKey);
    // Selects the account, then asks the window to open the room (a clicked notification).
    Q_INVOKABLE void openRoom(const QString &accountId, const QString &roomKey);

signals:
    void currentAccountChanged();
    void busyChanged();
    void restoredChanged();
    void restored();
    void secretStorageChanged();
    // natter: the server answered GET /api/natter; dialects: the paths it serves.
    // software: the Server header of one that is not Natter's ("uvicorn", "Puma"), if it sent one.
    void probed(const QString &address, bool reachable, bool natter, const QString &name,
                const QStringList &dialects, bool registrationOpen, const QString &software = {});
    void joinFailed(const QString &message);
    // The https server at `address` showed a certificate nobody vouches for
    // (canTrust: the user may trust it after comparing the fingerprint, e.g. a
    // LAN host's self-signed one), or one that changed since it was trusted (!canTrust).
    void certificateQuestion(const QString &address, const QString &fingerprint, const QString &fingerprintHex,
                             const QString &message, bool canTrust);
    void hostFailed(const QString &message);
    void joined(natter::desktop::Account *account);
    // A message for a desktop notification (the window decides whether to show it).
    void messageArrived(natter::desktop::Account *account, const QString &roomKey, const QString &title,
                        const QString &body);
    void openRoomKeyChanged();
    // ChatShell opens the room; the account is already the current one.
    void openRoomRequested(const QString &accountId, const QString &roomKey);

private:
    Account *addAccount(const AccountConfig &config, bool select);
    // An account on a Natter server that speaks one of the five spec dialects
    // moves to Natter's own (`natter`) once the server says it has that door
    // (GET /api/natter). Accounts with a path of their own stay as they are.
    void moveToOwnDialect(const AccountConfig &config);
    void signIn(const QUrl &serverUrl, const QString &dialect, const QString &username, const QString &password,
                bool registerNew, bool hosted);
    void saveAccounts();
    void keepSecrets(const AccountConfig &config, std::function<void(bool)> done = {});
    bool knownToServeTls(const QUrl &secureUrl) const;
    void probeAt(const QString &address, QUrl base, bool mayTryHttps);
    // The base URL the last probe of `address` settled on (https when the server
    // serves TLS), else the normalized address.
    QUrl serverUrlFor(const QString &address) const;
    client::TlsTrust trustFor(const QUrl &url) const;
    void setBusy(bool busy);
    void applyPrivacy();

    QString m_dataDir;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<AccountListModel> m_accounts;
    std::unique_ptr<HostingController> m_hosting;
    std::unique_ptr<discovery::DiscoveredServerModel> m_lanServers;
    std::unique_ptr<SecretVault> m_vault;
    QNetworkAccessManager m_network;
    QPointer<Account> m_current;
    QHash<QString, QString> m_serverNames; // base URL → the name GET /api/natter gave
    QHash<QString, QUrl> m_probedUrls;     // address as typed → the base URL its probe answered on
    bool m_busy = false;
    bool m_restoring = false;
    bool m_saveAfterRestore = false;
    QString m_openRoomKey;
};

} // namespace natter::desktop
