#pragma once

// Keys and X.509 certificates made with OpenSSL's library: the self-signed
// certificate a hosting app makes the first time it serves TLS, and the test
// CAs and server certificates of the TLS tests. EC P-256 keys, SHA-256
// signatures, PEM out.

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <optional>

namespace natter::tls {

struct KeyAndCertificate
{
    QByteArray keyPem;         // PKCS#8, unencrypted
    QByteArray certificatePem;
};

struct CertificateSpec
{
    QString commonName;
    QStringList dnsNames;    // subjectAltName DNS entries
    QStringList ipAddresses; // subjectAltName IP entries
    QDateTime notBefore = QDateTime::currentDateTimeUtc().addSecs(-3600);
    QDateTime notAfter = QDateTime::currentDateTimeUtc().addDays(825);
    bool certificateAuthority = false; // may sign other certificates
};

// A new key and a certificate for it, signed by `issuer` (a CA made here or
// loaded from PEM), or self-signed when `issuer` is null. Empty with `error`
// set when OpenSSL refuses.
std::optional<KeyAndCertificate> issueCertificate(const CertificateSpec &spec,
                                                  const KeyAndCertificate *issuer, QString *error);

// Whether the PEM key belongs to the PEM certificate (its first one).
bool keyMatchesCertificate(const QByteArray &keyPem, const QByteArray &certificatePem);

} // namespace natter::tls
