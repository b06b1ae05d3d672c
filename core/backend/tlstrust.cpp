#include "tlstrust.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslSocket>
#include <QUrl>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {

bool isIssuerError(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::InvalidCaCertificate:
        return true;
    default:
        return false;
    }
}

// The leaf the server showed: the handshake's peer certificate, else the one
// an error names (QWebSocket does not always pass its peer certificate on).
QSslCertificate leafOf(const QList<QSslError> &errors, const QSslCertificate &peer)
{
    if (!peer.isNull())
        return peer;
    for (const QSslError &error : errors) {
        if (error.error() == QSslError::HostNameMismatch && !error.certificate().isNull())
            return error.certificate();
    }
    for (const QSslError &error : errors) {
        if (!error.certificate().isNull())
            return error.certificate();
    }
    return QSslCertificate();
}

QString namesOf(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    names += certificate.subjectAlternativeNames().values(QSsl::IpAddressEntry);
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.join(u", "_s);
}

TlsProblem problemFor(const QSslError &error, const QSslCertificate &leaf, const QString &host)
{
    TlsProblem problem;
    problem.host = host;
    problem.fingerprint = leaf.isNull() ? QByteArray() : leaf.digest(QCryptographicHash::Sha256);
    const QString fingerprint = displayFingerprint(problem.fingerprint);
    const QSslCertificate &named = error.certificate().isNull() ? leaf : error.certificate();
    switch (error.error()) {
    case QSslError::CertificateExpired:
        problem.kind = TlsProblem::Kind::Expired;
        problem.message = u"The certificate of %1 expired on %2."_s.arg(
            host, named.expiryDate().toUTC().toString(Qt::ISODate));
        break;
    case QSslError::CertificateNotYetValid:
        problem.kind = TlsProblem::Kind::NotYetValid;
        problem.message = u"The certificate of %1 is not valid before %2 (is this computer's clock right?)."_s.arg(
            host, named.effectiveDate().toUTC().toString(Qt::ISODate));
        break;
    case QSslError::HostNameMismatch:
        problem.kind = TlsProblem::Kind::WrongHost;
        problem.message = u"The certificate %1 showed is for %2, not for this host name."_s.arg(host, namesOf(leaf));
        break;
    default:
        if (isIssuerError(error.error())) {
            problem.kind = TlsProblem::Kind::UnknownIssuer;
            problem.message = u"The certificate of %1 is not signed by an authority this computer trusts "
                              "(SHA-256 %2). Trust it only if the server's owner shows you the same "
                              "fingerprint, or add the CA that signed it."_s.arg(host, fingerprint);
        } else {
            problem.message = u"The TLS certificate of %1 was refused: %2"_s.arg(host, error.errorString());
        }
        break;
    }
    return problem;
}

// What a refusal says first when several things are wrong: the one a user can act on.
int severity(QSslError::SslError error)
{
    if (error == QSslError::CertificateExpired || error == QSslError::CertificateNotYetValid)
        return 0;
    if (error == QSslError::HostNameMismatch)
        return 1;
    if (isIssuerError(error))
        return 2;
    return 3;
}

} // namespace

QString tlsHostOf(const QUrl &url)
{
    const bool secure = url.scheme() == u"https" || url.scheme() == u"wss";
    return url.host() + u':' + QString::number(url.port(secure ? 443 : 80));
}

QString tlsProblemKindName(TlsProblem::Kind kind)
{
    switch (kind) {
    case TlsProblem::Kind::UnknownIssuer: return u"unknown_issuer"_s;
    case TlsProblem::Kind::Expired: return u"expired"_s;
    case TlsProblem::Kind::NotYetValid: return u"not_yet_valid"_s;
    case TlsProblem::Kind::WrongHost: return u"wrong_host"_s;
    case TlsProblem::Kind::FingerprintChanged: return u"fingerprint_changed"_s;
    case TlsProblem::Kind::Other: break;
    }
    return u"other"_s;
}

QString displayFingerprint(const QByteArray &sha256)
{
    return QString::fromLatin1(sha256.toHex(':').toUpper());
}

std::optional<QByteArray> parseFingerprint(const QString &text)
{
    QString hex = text.trimmed();
    hex.remove(u':');
    hex.remove(u' ');
    if (hex.size() != 64)
        return std::nullopt;
    for (const QChar c : std::as_const(hex)) {
        if (!c.isDigit() && !(c.toLower() >= u'a' && c.toLower() <= u'f'))
            return std::nullopt;
    }
    return QByteArray::fromHex(hex.toLatin1());
}

QList<QSslCertificate> readCaFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        *error = u"%1 holds no PEM certificate"_s.arg(path);
    return certificates;
}

QSslConfiguration TlsTrust::configuration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!m_settings.trustedFingerprint.isEmpty()) {
        // A trusted fingerprint replaces the CAs: every handshake then reports
        // errors, and judge() compares the certificate with it. (QWebSocket
        // does not show its peer certificate after a handshake that verified,
        // so a certificate that verifies could not be compared otherwise.)
        configuration.setCaCertificates({});
        return configuration;
    }
    if (!m_settings.extraCaCertificates.isEmpty())
        configuration.addCaCertificates(m_settings.extraCaCertificates);
    return configuration;
}

std::optional<TlsProblem> TlsTrust::judge(const QList<QSslError> &errors, const QSslCertificate &peer,
                                          const QString &host) const
{
    const QSslCertificate leaf = leafOf(errors, peer);
    if (!m_settings.trustedFingerprint.isEmpty())
        return judgeVerified(leaf, host);
    if (errors.isEmpty())
        return std::nullopt;
    const QSslError *worst = &errors.first();
    for (const QSslError &error : errors) {
        if (severity(error.error()) < severity(worst->error()))
            worst = &error;
    }
    return problemFor(*worst, leaf, host);
}

std::optional<TlsProblem> TlsTrust::judgeVerified(const QSslCertificate &peer, const QString &host) const
{
    if (m_settings.trustedFingerprint.isEmpty())
        return std::nullopt;
    if (peer.isNull()) {
        // Pinned, and nothing to compare: fail closed.
        TlsProblem problem;
        problem.kind = TlsProblem::Kind::Other;
        problem.host = host;
        problem.message = u"%1 showed no certificate to compare with the one you trusted. Not connecting."_s.arg(host);
        return problem;
    }
    const QByteArray shown = peer.digest(QCryptographicHash::Sha256);
    if (shown == m_settings.trustedFingerprint)
        return std::nullopt;
    TlsProblem problem;
    problem.kind = TlsProblem::Kind::FingerprintChanged;
    problem.host = host;
    problem.fingerprint = shown;
    problem.message = u"The certificate of %1 has changed since you trusted it: it was SHA-256 %2, now it is %3. "
                      "Not connecting. If the server's owner did not replace it, someone may be listening in."_s
                          .arg(host, displayFingerprint(m_settings.trustedFingerprint), displayFingerprint(shown));
    return problem;
}

void TlsTrust::guard(QWebSocket &socket, const QString &host, Refusal refused) const
{
    socket.setSslConfiguration(configuration());
    QObject::connect(&socket, &QWebSocket::sslErrors, &socket,
                     [trust = *this, &socket, host, refused](const QList<QSslError> &errors) {
        if (const auto problem = trust.judge(errors, socket.sslConfiguration().peerCertificate(), host)) {
            refused(*problem);
            return; // not ignored: the handshake fails
        }
        socket.setProperty("natterTlsJudged", true);
        socket.ignoreSslErrors();
    });
    // A handshake that verified is still held to a trusted fingerprint.
    QObject::connect(&socket, &QWebSocket::connected, &socket, [trust = *this, &socket, host, refused] {
        const bool judged = socket.property("natterTlsJudged").toBool();
        socket.setProperty("natterTlsJudged", false);
        if (judged || socket.requestUrl().scheme() != u"wss")
            return;
        if (const auto problem = trust.judgeVerified(socket.sslConfiguration().peerCertificate(), host)) {
            refused(*problem);
            socket.abort();
        }
    });
}

void TlsTrust::watch(QNetworkAccessManager &network, QObject *context, Refusal refused) const
{
    QObject::connect(&network, &QNetworkAccessManager::sslErrors, context,
                     [trust = *this, refused](QNetworkReply *reply, const QList<QSslError> &errors) {
        const QString host = tlsHostOf(reply->url());
        if (const auto problem = trust.judge(errors, reply->sslConfiguration().peerCertificate(), host)) {
            reply->setProperty("natterTlsRefused", true);
            refused(*problem);
            return; // not ignored: the reply fails
        }
        reply->ignoreSslErrors();
    });
    // A handshake that verified is still held to a trusted fingerprint.
    QObject::connect(&network, &QNetworkAccessManager::encrypted, context,
                     [trust = *this, refused](QNetworkReply *reply) {
        if (reply->property("natterTlsRefused").toBool())
            return;
        const QString host = tlsHostOf(reply->url());
        if (const auto problem = trust.judgeVerified(reply->sslConfiguration().peerCertificate(), host)) {
            refused(*problem);
            reply->abort();
        }
    });
}

void TlsTrust::prepare(QNetworkRequest &request) const
{
    if (request.url().scheme() == u"https")
        request.setSslConfiguration(configuration());
}

} // namespace natter::client
