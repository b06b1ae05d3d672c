#include "thirdpartyfixtures.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include <memory>

using namespace Qt::StringLiterals;

namespace natter::testing {

ServerProcess::ServerProcess(const QString &program, const QStringList &arguments,
                             const QProcessEnvironment &environment)
{
    if (!environment.isEmpty())
        m_process.setProcessEnvironment(environment);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(program, arguments);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10'000))
        m_process.kill();
    m_process.waitForFinished(3000);
}

bool ServerProcess::waitListening(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && m_process.state() != QProcess::NotRunning) {
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
            if (line.startsWith(u"LISTENING ")) {
                m_port = line.section(u' ', 1).toInt();
                return m_port > 0;
            }
        }
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    }
    return false;
}

QString thirdPartyFixture(const char *relative)
{
    return QStringLiteral(NATTER_THIRDPARTY_DIR "/") + QString::fromLatin1(relative);
}

std::unique_ptr<ServerProcess> startPythonFixture(const char *relative, const QStringList &arguments)
{
    return std::make_unique<ServerProcess>(u"/usr/bin/python3"_s,
                                           QStringList{u"-B"_s, thirdPartyFixture(relative)} + arguments);
}

std::unique_ptr<ServerProcess> startActionCable()
{
    return std::make_unique<ServerProcess>(u"/bin/sh"_s, QStringList{thirdPartyFixture("cable/run.sh")});
}

QJsonDocument getJson(const QUrl &url)
{
    QNetworkAccessManager network;
    QNetworkReply *reply = network.get(QNetworkRequest(url));
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10'000);
    const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
    reply->deleteLater();
    return document;
}

QHash<QString, int> storedCopies(const QUrl &base, const char *textField)
{
    QHash<QString, int> copies;
    const QJsonArray stored = getJson(base.resolved(QUrl(u"/test/messages"_s))).array();
    for (const QJsonValue &value : stored)
        ++copies[value.toObject().value(QString::fromLatin1(textField)).toString()];
    return copies;
}

namespace {
QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

QString cableToken(int userId, const QString &username)
{
    const QByteArray header = base64Url(R"({"alg":"HS256","typ":"JWT"})");
    const QByteArray payload = base64Url(
        QJsonDocument(QJsonObject{{u"user_id"_s, userId}, {u"username"_s, username}}).toJson(QJsonDocument::Compact));
    const QByteArray signingInput = header + '.' + payload;
    const QByteArray signature = QMessageAuthenticationCode::hash(signingInput, QByteArrayLiteral("cable-test-secret"),
                                                                  QCryptographicHash::Sha256);
    return QString::fromLatin1(signingInput + '.' + base64Url(signature));
}

} // namespace natter::testing
