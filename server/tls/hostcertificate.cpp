#include "hostcertificate.h"

#include "certificatefactory.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace natter::tls {
namespace {

bool writePrivate(const QString &path, const QByteArray &data, QFileDevice::Permissions permissions, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(permissions) || file.write(data) != data.size()
        || !file.commit()) {
        *error = u"cannot write %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

std::optional<CertificateFiles> ensureHostCertificate(const QString &dataDir, const QString &serverName,
                                                      const QStringList &addresses, QString *error)
{
    const QDir dir(QDir(dataDir).filePath(u"tls"_s));
    const CertificateFiles files{dir.filePath(u"host.crt"_s), dir.filePath(u"host.key"_s)};
    if (QFile::exists(files.certificate) && QFile::exists(files.key))
        return files;
    if (!QDir().mkpath(dir.path())) {
        *error = u"cannot create %1"_s.arg(dir.path());
        return std::nullopt;
    }
    CertificateSpec spec;
    spec.commonName = serverName.trimmed().isEmpty() ? u"Natter"_s : serverName.trimmed().left(64);
    spec.dnsNames = {u"localhost"_s};
    spec.ipAddresses = QStringList{u"127.0.0.1"_s} + addresses;
    spec.ipAddresses.removeDuplicates();
    spec.notAfter = QDateTime::currentDateTimeUtc().addYears(10); // trusted by fingerprint, not by date
    const auto pair = issueCertificate(spec, nullptr, error);
    if (!pair)
        return std::nullopt;
    // The key first, readable by this user only; the certificate is public.
    if (!writePrivate(files.key, pair->keyPem, QFileDevice::ReadOwner | QFileDevice::WriteOwner, error)
        || !writePrivate(files.certificate, pair->certificatePem,
                         QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                             | QFileDevice::ReadOther,
                         error))
        return std::nullopt;
    return files;
}

} // namespace natter::tls
