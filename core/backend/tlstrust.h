#pragma once

// How the client decides whether to talk to a TLS server. A certificate is
// accepted when it verifies against the system CAs plus the ones the user
// added (--tls-ca, the join form), or when its SHA-256 fingerprint is the one
// the user trusted for this server (trust on first use: a LAN host's
// self-signed certificate). A trusted fingerprint is also a promise: any other
// certificate from that server is refused, even one that would verify.
// Every refusal is a TlsProblem that says what failed and carries the
// fingerprint to compare.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QUrl>
#include <functional>
#include <optional>
#include <QMetaType>

class QNetworkAccessManager;
class QNetworkRequest;
class QObject;
class QWebSocket;

namespace natter::client {

struct TlsProblem
{
    enum class Kind {
        UnknownIssuer,      // self-signed, or a CA this computer does not trust: can be trusted by fingerprint
        Expired,
        NotYetValid,
        WrongHost,          // the certificate names another host
        FingerprintChanged, // not the certificate trusted before: never accepted
        Other,
    };
    Kind kind = Kind::Other;
    QString host;            // host:port
    QByteArray fingerprint;  // SHA-256 of the certificate the server showed
    QString message;         // for people: what failed, and what to do
    bool canBeTrusted() const { return kind != Kind::FingerprintChanged && !fingerprint.isEmpty(); }
};

// "host:port" of a URL, the default port filled in: what trust is kept per.
QString tlsHostOf(const QUrl &url);
// unknown_issuer, expired, not_yet_valid, wrong_host, fingerprint_changed, other.
QString tlsProblemKindName(TlsProblem::Kind kind);
// "AB:CD:…" (upper-case hex pairs), how fingerprints are shown.
QString displayFingerprint(const QByteArray &sha256);
// 64 hex digits, with or without ':' or spaces between pairs → 32 bytes; nullopt otherwise.
std::optional<QByteArray> parseFingerprint(const QString &text);
// Every certificate in a PEM file (a CA to add); empty with `error` when there is none.
QList<QSslCertificate> readCaFile(const QString &path, QString *error);

class TlsTrust
{
public:
    struct Settings
    {
        QList<QSslCertificate> extraCaCertificates;
        QByteArray trustedFingerprint; // SHA-256 the user trusted for this server; empty: none
    };

    TlsTrust() = default;
    explicit TlsTrust(Settings settings) : m_settings(std::move(settings)) { }

    const Settings &settings() const { return m_settings; }
    // The system's CAs plus the added ones.
    QSslConfiguration configuration() const;

    // The verdict on a handshake that reported `errors` for the certificate
    // `peer` of `host`: nullopt to go on (ignore them), else why not.
    std::optional<TlsProblem> judge(const QList<QSslError> &errors, const QSslCertificate &peer,
                                    const QString &host) const;
    // The same for a handshake that verified: only a trusted fingerprint can refuse it.
    std::optional<TlsProblem> judgeVerified(const QSslCertificate &peer, const QString &host) const;

    // Applies the configuration and the verdicts to a socket (before it
    // opens) or to every reply of a manager; a refused handshake fails (the
    // socket disconnects, the reply finishes with an error) after `refused`
    // has been told why.
    using Refusal = std::function<void(const TlsProblem &)>;
    void guard(QWebSocket &socket, const QString &host, Refusal refused) const;
    void watch(QNetworkAccessManager &network, QObject *context, Refusal refused) const;
    // Adds the CAs to an https request (every request a watched manager sends).
    void prepare(QNetworkRequest &request) const;

private:
    Settings m_settings;
};

} // namespace natter::client

Q_DECLARE_METATYPE(natter::client::TlsProblem)
