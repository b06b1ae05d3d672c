#pragma once

// The server's certificate chain and key, read from PEM files
// (--tls-cert, --tls-key). Every new connection takes the configuration
// current at its handshake, so reload() (SIGHUP) changes what new
// connections see and leaves open ones alone.

#include <QByteArray>
#include <QSslConfiguration>
#include <QString>

namespace natter::tls {

class TlsCredentials
{
public:
    // Reads both files; false with `error` when a file is unreadable, is not
    // PEM, or the key is not the certificate's. A failed load keeps what was loaded.
    bool load(const QString &certificateFile, const QString &keyFile, QString *error);
    // The same files again (a renewed certificate).
    bool reload(QString *error) { return load(m_certificateFile, m_keyFile, error); }

    bool isLoaded() const { return !m_fingerprint.isEmpty(); }
    QSslConfiguration serverConfiguration() const { return m_configuration; }
    // SHA-256 of the leaf certificate (DER): what a client pins.
    QByteArray fingerprint() const { return m_fingerprint; }

private:
    QString m_certificateFile;
    QString m_keyFile;
    QSslConfiguration m_configuration;
    QByteArray m_fingerprint;
};

} // namespace natter::tls
