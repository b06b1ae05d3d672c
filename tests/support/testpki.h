#pragma once

// A throwaway PKI for TLS tests: a CA, a server certificate it signed for
// 127.0.0.1 and localhost, and whatever other certificates a test asks for
// (expired, another host, self-signed), all as PEM files in a temporary directory.

#include "certificatefactory.h"

#include <QSslCertificate>
#include <QTemporaryDir>

namespace natter::test {

class TestPki
{
public:
    struct Files
    {
        QString certificate;
        QString key;
        QByteArray fingerprint; // SHA-256 of the certificate
    };

    TestPki();
    bool isValid() const { return m_valid; }

    QString caFile() const { return m_caFile; }
    QList<QSslCertificate> caCertificates() const;
    const Files &server() const { return m_server; } // for 127.0.0.1 and localhost, valid now

    // A new certificate, signed by the CA (or self-signed), written as `name`.crt / `name`.key.
    // Defaults: valid now, for 127.0.0.1 and localhost.
    Files issue(const QString &name, tls::CertificateSpec spec = localSpec(), bool selfSigned = false);
    static tls::CertificateSpec localSpec();

private:
    Files write(const QString &name, const tls::KeyAndCertificate &pair);

    QTemporaryDir m_dir;
    tls::KeyAndCertificate m_ca;
    QString m_caFile;
    Files m_server;
    bool m_valid = false;
};

} // namespace natter::test
