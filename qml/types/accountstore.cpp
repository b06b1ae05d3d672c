#include "accountstore.h"

#include <QSettings>

namespace natter::desktop {

QList<AccountConfig> loadAccounts(QSettings &settings)
{
    QList<AccountConfig> accounts;
    const int count = settings.beginReadArray(QStringLiteral("accounts"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        AccountConfig config;
        config.id = settings.value(QStringLiteral("id")).toString();
        config.serverUrl = settings.value(QStringLiteral("serverUrl")).toUrl();
        config.dialect = settings.value(QStringLiteral("dialect")).toString();
        config.path = settings.value(QStringLiteral("path")).toString();
        config.serverName = settings.value(QStringLiteral("serverName")).toString();
        config.railName = settings.value(QStringLiteral("railName")).toString();
        config.username = settings.value(QStringLiteral("username")).toString();
        config.displayName = settings.value(QStringLiteral("displayName")).toString();
        // Only a version that kept secrets here wrote these; restore() moves them to the SecretVault.
        config.token = settings.value(QStringLiteral("token")).toString();
        config.cookie = settings.value(QStringLiteral("cookie")).toString();
        config.tlsFingerprint = QByteArray::fromHex(settings.value(QStringLiteral("tlsFingerprint")).toByteArray());
        config.caCertificates = QSslCertificate::fromData(settings.value(QStringLiteral("caCertificates")).toByteArray());
        config.hosted = settings.value(QStringLiteral("hosted")).toBool();
        config.natter = settings.value(QStringLiteral("natter"), true).toBool();
        if (!config.id.isEmpty() && config.serverUrl.isValid() && !config.dialect.isEmpty())
            accounts.append(config);
    }
    settings.endArray();
    return accounts;
}

void saveAccounts(QSettings &settings, const QList<AccountConfig> &accounts)
{
    settings.remove(QStringLiteral("accounts"));
    settings.beginWriteArray(QStringLiteral("accounts"), int(accounts.size()));
    for (int i = 0; i < accounts.size(); ++i) {
        const AccountConfig &config = accounts.at(i);
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("id"), config.id);
        settings.setValue(QStringLiteral("serverUrl"), config.serverUrl);
        settings.setValue(QStringLiteral("dialect"), config.dialect);
        settings.setValue(QStringLiteral("path"), config.path);
        settings.setValue(QStringLiteral("serverName"), config.serverName);
        if (config.railName.isEmpty())
            settings.remove(QStringLiteral("railName"));
        else
            settings.setValue(QStringLiteral("railName"), config.railName);
        settings.setValue(QStringLiteral("username"), config.username);
        settings.setValue(QStringLiteral("displayName"), config.displayName);
        if (config.tlsFingerprint.isEmpty())
            settings.remove(QStringLiteral("tlsFingerprint"));
        else
            settings.setValue(QStringLiteral("tlsFingerprint"), config.tlsFingerprint.toHex());
        QByteArray cas;
        for (const QSslCertificate &ca : config.caCertificates)
            cas += ca.toPem();
        if (cas.isEmpty())
            settings.remove(QStringLiteral("caCertificates"));
        else
            settings.setValue(QStringLiteral("caCertificates"), cas);
        settings.setValue(QStringLiteral("hosted"), config.hosted);
        settings.setValue(QStringLiteral("natter"), config.natter);
    }
    settings.endArray();
    settings.sync();
}

} // namespace natter::desktop
