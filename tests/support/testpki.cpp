#include "testpki.h"

#include <QFile>

using namespace Qt::StringLiterals;

namespace natter::test {
namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

} // namespace

tls::CertificateSpec TestPki::localSpec()
{
    tls::CertificateSpec spec;
    spec.commonName = u"127.0.0.1"_s;
    spec.dnsNames = {u"localhost"_s};
    spec.ipAddresses = {u"127.0.0.1"_s};
    return spec;
}

TestPki::TestPki()
{
    tls::CertificateSpec caSpec;
    caSpec.commonName = u"Natter Test CA"_s;
    caSpec.certificateAuthority = true;
    QString error;
    const auto ca = tls::issueCertificate(caSpec, nullptr, &error);
    if (!ca) {
        qWarning("TestPki: %s", qPrintable(error));
        return;
    }
    m_ca = *ca;
    m_caFile = m_dir.filePath(u"ca.crt"_s);
    if (!writeFile(m_caFile, m_ca.certificatePem))
        return;
    m_server = issue(u"server"_s);
    m_valid = !m_server.certificate.isEmpty();
}

QList<QSslCertificate> TestPki::caCertificates() const
{
    return QSslCertificate::fromData(m_ca.certificatePem, QSsl::Pem);
}

TestPki::Files TestPki::issue(const QString &name, tls::CertificateSpec spec, bool selfSigned)
{
    QString error;
    const auto pair = tls::issueCertificate(spec, selfSigned ? nullptr : &m_ca, &error);
    if (!pair) {
        qWarning("TestPki: %s", qPrintable(error));
        return {};
    }
    return write(name, *pair);
}

TestPki::Files TestPki::write(const QString &name, const tls::KeyAndCertificate &pair)
{
    Files files{m_dir.filePath(name + u".crt"_s), m_dir.filePath(name + u".key"_s), {}};
    if (!writeFile(files.certificate, pair.certificatePem) || !writeFile(files.key, pair.keyPem))
        return {};
    files.fingerprint = QSslCertificate(pair.certificatePem, QSsl::Pem).digest(QCryptographicHash::Sha256);
    return files;
}

} // namespace natter::test
