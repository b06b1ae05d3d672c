#include "desktopapp.h"

#include "account.h"
#include "accountlistmodel.h"
#include "accountstore.h"
#include "appsettings.h"
#include "backendfactory.h"
#include "chatsession.h"
#include "discoveredservermodel.h"
#include "hostingcontroller.h"
#include "natterlogin.h"
#include "secretvault.h"

#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QSysInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSettings>
#include <QUuid>

#include <memory>
#include <optional>

namespace natter::desktop {

namespace {
DesktopApp *s_instance = nullptr;

const auto hostNameKey = QStringLiteral("host/name");
// Trusted certificate fingerprints per "host:port" (hex SHA-256), and added CAs (PEM).
const auto trustedCertificatesGroup = QStringLiteral("tls/trusted");
const auto addedCasGroup = QStringLiteral("tls/ca");

QUrl secureUrl(const QString &base)
{
    QUrl url(base);
    url.setScheme(QStringLiteral("https"));
    return url;
}

// What Natter's server answers plain HTTP on a TLS port.
bool isHttpsOnlyRefusal(int status, const QByteArray &body)
{
    return status == 400 && body.contains("speaks HTTPS only");
}
const auto hostAddressKey = QStringLiteral("host/listenAddress");
const auto hostPortKey = QStringLiteral("host/port");
const auto hostEnabledKey = QStringLiteral("host/enabled");
} // namespace

DesktopApp::DesktopApp(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
    , m_settings(std::make_unique<AppSettings>())
    , m_accounts(std::make_unique<AccountListModel>())
    , m_hosting(std::make_unique<HostingController>(QDir(dataDir).filePath(QStringLiteral("host"))))
    , m_lanServers(std::make_unique<discovery::DiscoveredServerModel>())
    // NATTER_SECRET_STORE=file: never ask the keyring (a machine whose keyring should stay out of it).
    , m_vault(std::make_unique<SecretVault>(QCoreApplication::organizationName() + u'/'
                                                + QCoreApplication::applicationName(),
                                            QDir(dataDir).filePath(QStringLiteral("secrets.json")),
                                            qEnvironmentVariable("NATTER_SECRET_STORE") != u"file"))
{
    s_instance = this;
    connect(m_vault.get(), &SecretVault::storageChanged, this, &DesktopApp::secretStorageChanged);
    m_lanServers->setManualHosts(m_settings->manualHosts());
    connect(m_lanServers.get(), &discovery::DiscoveredServerModel::manualHostsChanged, this,
            [this] { m_settings->setManualHosts(m_lanServers->manualHosts()); });
    // Not hearing the LAN (port taken, no network) leaves typed addresses working.
    if (!m_lanServers->start())
        qWarning("LAN discovery is not listening; join by address instead");
    connect(m_settings.get(), &AppSettings::changed, this, &DesktopApp::applyPrivacy);
}

DesktopApp::~DesktopApp()
{
    if (s_instance == this)
        s_instance = nullptr;
}

DesktopApp *DesktopApp::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT(s_instance);
    // main() owns the object; the engine must not delete it.
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

DesktopApp *DesktopApp::instance()
{
    return s_instance;
}

bool DesktopApp::hostConfigured() const
{
    return m_settings->store().contains(hostPortKey);
}

QStringList DesktopApp::dialects() const
{
    return client::backendDialects();
}

QString DesktopApp::machineName() const
{
    return QSysInfo::machineHostName();
}

QString DesktopApp::secretStorage() const
{
    switch (m_vault->storage()) {
    case SecretVault::Storage::Keyring:
        return QStringLiteral("keyring");
    case SecretVault::Storage::File:
        return QStringLiteral("file");
    case SecretVault::Storage::Undecided:
        break;
    }
    return QString();
}

QString DesktopApp::secretsFile() const
{
    return QDir::toNativeSeparators(m_vault->fallbackFile());
}

void DesktopApp::copyToClipboard(const QString &text) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

void DesktopApp::restore()
{
    QSettings &store = m_settings->store();
    if (store.value(hostEnabledKey).toBool()) {
        if (!m_hosting->start(store.value(hostNameKey).toString(), store.value(hostAddressKey).toString(),
                              store.value(hostPortKey).toInt()))
            emit hostFailed(m_hosting->errorString());
    }
    const QList<AccountConfig> saved = loadAccounts(store);
    QStringList ids;
    for (const AccountConfig &config : saved)
        ids.append(config.id);
    m_restoring = true;
    emit restoredChanged();
    m_vault->read(ids, [this, saved](const QHash<QString, AccountSecrets> &secrets) {
        bool rewrite = false;
        // Secrets an older version kept in the settings file leave it only once they are kept elsewhere.
        auto moving = std::make_shared<int>(0);
        auto allKept = std::make_shared<bool>(true);
        for (AccountConfig config : saved) {
            const bool inSettings = !config.token.isEmpty() || !config.cookie.isEmpty();
            if (const auto kept = secrets.constFind(config.id); kept != secrets.cend()) {
                config.token = kept->token;
                config.cookie = kept->cookie;
                rewrite = rewrite || inSettings;
            } else if (inSettings) {
                ++*moving;
                keepSecrets(config, [this, moving, allKept](bool stored) {
                    *allKept = *allKept && stored;
                    if (--*moving == 0 && *allKept)
                        saveAccounts();
                });
            }
            // The hosted server serves TLS now: an account made when it did not follows it.
            if (config.hosted && m_hosting->running() && config.serverUrl.scheme() == u"http") {
                config.serverUrl.setScheme(QStringLiteral("https"));
                config.tlsFingerprint = m_hosting->tlsFingerprint();
                trustCertificate(config.serverUrl.authority(), QString::fromLatin1(config.tlsFingerprint.toHex()));
                rewrite = true;
            }
            addAccount(config, !m_current);
            moveToOwnDialect(config);
        }
        m_restoring = false;
        if (rewrite || m_saveAfterRestore)
            saveAccounts();
        m_saveAfterRestore = false;
        emit restoredChanged();
        emit restored();
    });
}

void DesktopApp::keepSecrets(const AccountConfig &config, std::function<void(bool)> done)
{
    m_vault->write(config.id, {config.token, config.cookie}, [id = config.id, done](bool stored) {
        if (!stored)
            qWarning("natter: the sign-in of account %s could not be kept; it will ask again next time",
                     qPrintable(id));
        if (done)
            done(stored);
    });
}

void DesktopApp::hostServer(const QString &serverName, const QString &listenAddress, int port,
                            const QString &username, const QString &password)
{
    if (m_busy)
        return;
    if (!m_hosting->start(serverName, listenAddress, port)) {
        emit hostFailed(m_hosting->errorString());
        return;
    }
    QSettings &store = m_settings->store();
    store.setValue(hostNameKey, serverName);
    store.setValue(hostAddressKey, listenAddress);
    // Keep the port the OS picked so the address others saved stays valid.
    store.setValue(hostPortKey, m_hosting->port());
    store.setValue(hostEnabledKey, true);
    emit busyChanged();
    // The app trusts the certificate it serves.
    trustCertificate(m_hosting->localUrl().authority(), QString::fromLatin1(m_hosting->tlsFingerprint().toHex()));
    signIn(m_hosting->localUrl(), QStringLiteral("natter"), username, password, true, true);
}

void DesktopApp::resumeHosting()
{
    QSettings &store = m_settings->store();
    if (!m_hosting->start(store.value(hostNameKey).toString(), store.value(hostAddressKey).toString(),
                          store.value(hostPortKey).toInt())) {
        emit hostFailed(m_hosting->errorString());
        return;
    }
    store.setValue(hostEnabledKey, true);
    // The hosted account reconnects by itself (its backend retries with backoff).
    for (Account *account : m_accounts->accounts()) {
        if (account->hosted() && account->session())
            account->session()->backend().connectToServer();
    }
}

void DesktopApp::stopHosting()
{
    m_settings->store().setValue(hostEnabledKey, false);
    m_hosting->stop();
}

QString DesktopApp::normalizedServerUrl(const QString &address) const
{
    QString text = address.trimmed();
    if (text.isEmpty())
        return {};
    if (!text.contains(QStringLiteral("://")))
        text.prepend(QStringLiteral("http://"));
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return {};
    url.setPath({});
    url.setQuery(QString());
    url.setFragment({});
    return url.toString();
}

void DesktopApp::setOpenRoomKey(const QString &roomKey)
{
    if (m_openRoomKey == roomKey)
        return;
    m_openRoomKey = roomKey;
    emit openRoomKeyChanged();
}

void DesktopApp::openRoom(const QString &accountId, const QString &roomKey)
{
    if (!m_accounts->find(accountId))
        return; // removed since the notification was shown
    selectAccount(accountId);
    emit openRoomRequested(accountId, roomKey);
}

void DesktopApp::probeServer(const QString &address, bool pickedFromLanList)
{
    const QString base = normalizedServerUrl(address);
    if (base.isEmpty()) {
        emit probed(address, false, false, {}, {}, false);
        return;
    }
    const QUrl url(base);
    const QUrl secure = secureUrl(base);
    // A server heard on the LAN said it serves TLS and with which certificate:
    // picking its row is the trust, the first time. A different fingerprint
    // trusted before stays: the probe then refuses the certificate as changed.
    const QByteArray announced = m_lanServers->announcedFingerprint(url.host(), quint16(url.port()));
    if (pickedFromLanList && !announced.isEmpty() && trustedFingerprint(secure).isEmpty())
        trustCertificate(address, QString::fromLatin1(announced.toHex()));
    // Known to serve TLS: never fall back to plain HTTP (a listener could answer it).
    if (!announced.isEmpty() || knownToServeTls(secure))
        return probeAt(address, secure, false);
    probeAt(address, url, !address.contains(QStringLiteral("://")));
}

bool DesktopApp::knownToServeTls(const QUrl &secure) const
{
    if (!trustedFingerprint(secure).isEmpty() || !trustFor(secure).settings().extraCaCertificates.isEmpty())
        return true;
    const QString authority = client::tlsHostOf(secure);
    for (Account *account : m_accounts->accounts()) {
        const QUrl known = account->config().serverUrl;
        if (known.scheme() == u"https" && client::tlsHostOf(known) == authority)
            return true;
    }
    return false;
}

void DesktopApp::finishPendingWrites(int timeoutMs)
{
    if (!m_vault->finishPending(timeoutMs))
        qWarning("natter: the keyring did not finish in time; a sign-in made just now may ask again");
}

void DesktopApp::probeAt(const QString &address, QUrl base, bool mayTryHttps)
{
    QNetworkRequest request(QUrl(base.toString() + QStringLiteral("/api/natter")));
    request.setTransferTimeout(5000);
    const client::TlsTrust trust = trustFor(base);
    trust.prepare(request);
    QNetworkReply *reply = m_network.get(request);
    auto refusal = std::make_shared<std::optional<client::TlsProblem>>();
    connect(reply, &QNetworkReply::sslErrors, this, [reply, refusal, trust](const QList<QSslError> &errors) {
        *refusal = trust.judge(errors, reply->sslConfiguration().peerCertificate(), client::tlsHostOf(reply->url()));
        if (!*refusal)
            reply->ignoreSslErrors();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, address, base, mayTryHttps, refusal] {
        reply->deleteLater();
        if (*refusal) {
            const client::TlsProblem &problem = **refusal;
            emit certificateQuestion(address, client::displayFingerprint(problem.fingerprint),
                                     QString::fromLatin1(problem.fingerprint.toHex()), problem.message,
                                     problem.canBeTrusted());
            return;
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray bytes = reply->readAll();
        if (mayTryHttps && base.scheme() == u"http" && isHttpsOnlyRefusal(status, bytes)) {
            QUrl secure = base;
            secure.setScheme(QStringLiteral("https"));
            return probeAt(address, secure, false);
        }
        const bool reachable = status > 0;
        const QJsonObject body = QJsonDocument::fromJson(bytes).object();
        const bool natter = status == 200 && body.value(QStringLiteral("natter")).toInt() >= 1;
        if (reachable)
            m_probedUrls.insert(address, base);
        if (natter)
            m_serverNames.insert(base.toString(), body.value(QStringLiteral("name")).toString());
        emit probed(address, reachable, natter, body.value(QStringLiteral("name")).toString(),
                    body.value(QStringLiteral("dialects")).toObject().keys(),
                    body.value(QStringLiteral("registration")).toBool(),
                    natter ? QString() : QString::fromLatin1(reply->rawHeader("Server")).left(60));
    });
}

QUrl DesktopApp::serverUrlFor(const QString &address) const
{
    const auto probed = m_probedUrls.constFind(address);
    return probed != m_probedUrls.cend() ? *probed : QUrl(normalizedServerUrl(address));
}

void DesktopApp::trustCertificate(const QString &address, const QString &fingerprintHex)
{
    const auto fingerprint = client::parseFingerprint(fingerprintHex);
    const QString base = normalizedServerUrl(address);
    if (!fingerprint || base.isEmpty())
        return;
    QUrl url(base);
    url.setScheme(QStringLiteral("https"));
    QSettings &store = m_settings->store();
    store.beginGroup(trustedCertificatesGroup);
    store.setValue(client::tlsHostOf(url), QString::fromLatin1(fingerprint->toHex()));
    store.endGroup();
    m_network.clearConnectionCache();
}

QByteArray DesktopApp::trustedFingerprint(const QUrl &url) const
{
    if (url.scheme() != u"https")
        return {};
    QSettings &store = m_settings->store();
    store.beginGroup(trustedCertificatesGroup);
    const QByteArray hex = store.value(client::tlsHostOf(url)).toString().toLatin1();
    store.endGroup();
    return QByteArray::fromHex(hex);
}

QString DesktopApp::addCaCertificate(const QString &address, const QString &path)
{
    const QString base = normalizedServerUrl(address);
    if (base.isEmpty())
        return tr("'%1' is not a server address.").arg(address);
    QString error;
    QString file = path.trimmed();
    if (file.startsWith(QStringLiteral("file://")))
        file = QUrl(file).toLocalFile();
    const QList<QSslCertificate> cas = client::readCaFile(file, &error);
    if (cas.isEmpty())
        return error;
    QByteArray pem;
    for (const QSslCertificate &ca : cas)
        pem += ca.toPem();
    QSettings &store = m_settings->store();
    store.beginGroup(addedCasGroup);
    store.setValue(client::tlsHostOf(secureUrl(base)), QString::fromLatin1(pem));
    store.endGroup();
    // Pooled connections keep the TLS configuration they were made with.
    m_network.clearConnectionCache();
    return {};
}

client::TlsTrust DesktopApp::trustFor(const QUrl &url) const
{
    QSettings &store = m_settings->store();
    store.beginGroup(addedCasGroup);
    const QByteArray pem = store.value(client::tlsHostOf(url)).toString().toLatin1();
    store.endGroup();
    return client::TlsTrust({QSslCertificate::fromData(pem, QSsl::Pem), trustedFingerprint(url)});
}

void DesktopApp::joinServer(const QString &address, const QString &dialect, const QString &username,
                            const QString &password, bool registerNew)
{
    const QString base = normalizedServerUrl(address);
    if (base.isEmpty()) {
        emit joinFailed(tr("'%1' is not a server address. Type host:port, e.g. 192.168.1.23:8000.").arg(address));
        return;
    }
    signIn(serverUrlFor(address), dialect, username, password, registerNew, false);
}

void DesktopApp::joinWithToken(const QString &address, const QString &dialect, const QString &path,
                               const QString &token, const QString &username, const QString &cookie,
                               const QString &railName)
{
    const QString base = normalizedServerUrl(address);
    if (base.isEmpty() || (token.trimmed().isEmpty() && cookie.trimmed().isEmpty())) {
        emit joinFailed(dialect == u"social" ? tr("An address and the session cookie's value are needed.")
                                             : tr("An address and a token are needed."));
        return;
    }
    AccountConfig config;
    config.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    config.serverUrl = serverUrlFor(address);
    config.tlsFingerprint = trustedFingerprint(config.serverUrl);
    config.caCertificates = trustFor(config.serverUrl).settings().extraCaCertificates;
    config.dialect = dialect;
    config.path = path.trimmed();
    config.username = username.trimmed();
    config.token = token.trimmed();
    config.cookie = cookie.trimmed();
    config.railName = railName.trimmed();
    config.natter = false;
    Account *account = addAccount(config, true);
    keepSecrets(config);
    saveAccounts();
    emit joined(account);
}

void DesktopApp::signIn(const QUrl &serverUrl, const QString &dialect, const QString &username,
                        const QString &password, bool registerNew, bool hosted)
{
    setBusy(true);
    auto *login = new client::NatterLogin(m_network, trustFor(serverUrl), this);
    auto attempt = std::make_shared<bool>(registerNew);
    connect(login, &client::NatterLogin::succeeded, this,
            [this, login, serverUrl, dialect, username, hosted](const QString &token, const QString &cookie,
                                                               qint64, const QString &,
                                                               const QString &displayName) {
        login->deleteLater();
        if (hosted)
            m_hosting->makeAdmin(username);
        // One account per server and user: signing in again refreshes its token.
        for (Account *existing : m_accounts->accounts()) {
            const AccountConfig &known = existing->config();
            if (known.serverUrl == serverUrl && known.username == username && known.dialect == dialect)
                removeAccount(known.id);
        }
        AccountConfig config;
        config.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        config.serverUrl = serverUrl;
        config.dialect = dialect;
        config.username = username;
        config.displayName = displayName;
        config.token = token;
        config.cookie = cookie;
        config.tlsFingerprint = trustedFingerprint(serverUrl);
        config.caCertificates = trustFor(serverUrl).settings().extraCaCertificates;
        config.hosted = hosted;
        config.serverName = hosted ? m_hosting->serverName() : m_serverNames.value(serverUrl.toString());
        Account *account = addAccount(config, true);
        keepSecrets(config);
        saveAccounts();
        setBusy(false);
        emit joined(account);
    });
    connect(login, &client::NatterLogin::failed, this,
            [this, login, attempt, serverUrl, username, password, hosted](int status, const QString &reason) {
        // Hosting again on a server that already knows this user: sign in instead.
        if (hosted && *attempt && status == 409) {
            *attempt = false;
            login->signIn(serverUrl, username, password, false);
            return;
        }
        login->deleteLater();
        setBusy(false);
        const QString message = status == 0 ? tr("The server did not answer: %1").arg(reason)
            : status == 401                 ? tr("Wrong username or password.")
                                            : reason;
        if (hosted)
            emit hostFailed(message);
        else
            emit joinFailed(message);
    });
    login->signIn(serverUrl, username, password, registerNew);
}

Account *DesktopApp::addAccount(const AccountConfig &config, bool select)
{
    auto account = std::make_unique<Account>(config, QDir(m_dataDir).filePath(QStringLiteral("accounts")));
    Account *raw = account.get();
    raw->setPrivacy(m_settings->sendReadReceipts(), m_settings->sendTyping());
    connect(raw, &Account::messageArrived, this,
            [this, raw](const QString &roomKey, const QString &roomName, const QString &sender, const QString &text) {
        const QString title = sender == roomName || sender.isEmpty() ? roomName : sender + QStringLiteral(" · ") + roomName;
        emit messageArrived(raw, roomKey, title, text);
    });
    m_accounts->add(std::move(account));
    raw->start();
    if (select) {
        m_current = raw;
        emit currentAccountChanged();
    }
    return raw;
}

void DesktopApp::moveToOwnDialect(const AccountConfig &config)
{
    if (!config.natter || config.dialect == u"natter" || !config.path.isEmpty())
        return;
    QNetworkRequest request(QUrl(config.serverUrl.toString() + QStringLiteral("/api/natter")));
    request.setTransferTimeout(5000);
    trustFor(config.serverUrl).prepare(request);
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, config] {
        reply->deleteLater();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        if (reply->error() != QNetworkReply::NoError
            || !body.value(QStringLiteral("dialects")).toObject().contains(QStringLiteral("natter")))
            return; // an older Natter, or not reachable now: next launch asks again
        Account *account = m_accounts->find(config.id);
        if (!account || account->config().dialect != config.dialect)
            return;
        AccountConfig moved = account->config();
        moved.dialect = QStringLiteral("natter");
        // rooms and cable key rooms by Natter's room id, as natter does: the
        // account's cache stays valid. The others key them otherwise: a new id
        // (and so a new cache) for the account, its sign-in kept under it.
        const bool keyedAlike = config.dialect == u"rooms" || config.dialect == u"cable";
        if (!keyedAlike) {
            moved.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            keepSecrets(moved);
            m_vault->remove(config.id);
        }
        const bool wasCurrent = m_current == account;
        if (wasCurrent)
            m_current = nullptr;
        m_accounts->remove(config.id);
        addAccount(moved, wasCurrent || !m_current);
        saveAccounts();
        qInfo("natter: account %s on %s now speaks natter (was %s)", qPrintable(moved.username),
              qPrintable(moved.serverUrl.toString()), qPrintable(config.dialect));
    });
}

void DesktopApp::renameInRail(const QString &accountId, const QString &name)
{
    if (Account *account = m_accounts->find(accountId)) {
        account->setRailName(name);
        saveAccounts();
    }
}

void DesktopApp::selectAccount(const QString &accountId)
{
    Account *account = m_accounts->find(accountId);
    if (!account || account == m_current)
        return;
    m_current = account;
    emit currentAccountChanged();
}

void DesktopApp::removeAccount(const QString &accountId)
{
    const bool wasCurrent = m_current && m_current->accountId() == accountId;
    m_accounts->remove(accountId);
    m_vault->remove(accountId);
    if (wasCurrent) {
        m_current = m_accounts->at(0);
        emit currentAccountChanged();
    }
    saveAccounts();
}

void DesktopApp::saveAccounts()
{
    // The saved list is not all here yet: writing now would drop what restore() is reading.
    if (m_restoring) {
        m_saveAfterRestore = true;
        return;
    }
    QList<AccountConfig> configs;
    for (Account *account : m_accounts->accounts())
        configs.append(account->config());
    natter::desktop::saveAccounts(m_settings->store(), configs);
}

void DesktopApp::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    emit busyChanged();
}

void DesktopApp::applyPrivacy()
{
    for (Account *account : m_accounts->accounts())
        account->setPrivacy(m_settings->sendReadReceipts(), m_settings->sendTyping());
}

} // namespace natter::desktop
