#pragma once

// The certificate a server hosted from the app serves: self-signed, made once
// in <dataDir>/tls (key mode 0600) and kept, so that everyone who trusted its
// fingerprint keeps trusting it across restarts.

#include <QString>
#include <QStringList>
#include <optional>

namespace natter::tls {

struct CertificateFiles
{
    QString certificate;
    QString key;
};

// The existing pair in `dataDir`/tls, or a new one for `serverName` naming
// `addresses` (IPs) and localhost. Empty with `error` when it cannot be made.
std::optional<CertificateFiles> ensureHostCertificate(const QString &dataDir, const QString &serverName,
                                                      const QStringList &addresses, QString *error);

} // namespace natter::tls
