#include "tlscredentials.h"

#include "certificatefactory.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

using namespace Qt::StringLiterals;

namespace natter::tls {
namespace {

std::optional<QByteArray> readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

QSslKey parseKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

} // namespace

bool TlsCredentials::load(const QString &certificateFile, const QString &keyFile, QString *error)
{
    const auto certificatePem = readFile(certificateFile, error);
    const auto keyPem = certificatePem ? readFile(keyFile, error) : std::nullopt;
    if (!keyPem)
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certificatePem, QSsl::Pem);
    if (chain.isEmpty()) {
        *error = u"%1 holds no PEM certificate"_s.arg(certificateFile);
        return false;
    }
    const QSslKey key = parseKey(*keyPem);
    if (key.isNull()) {
        *error = u"%1 holds no PEM private key (unencrypted RSA, EC or DSA)"_s.arg(keyFile);
        return false;
    }
    if (!keyMatchesCertificate(*keyPem, *certificatePem)) {
        *error = u"the key in %1 is not the key of the certificate in %2"_s.arg(keyFile, certificateFile);
        return false;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients show no certificates
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    m_certificateFile = certificateFile;
    m_keyFile = keyFile;
    m_configuration = configuration;
    m_fingerprint = chain.first().digest(QCryptographicHash::Sha256);
    return true;
}

} // namespace natter::tls
