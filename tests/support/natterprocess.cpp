#include "natterprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

namespace natter::testing {

QString natterBinary()
{
    return qEnvironmentVariable("NATTER_BINARY");
}

NatterProcess::NatterProcess(const QStringList &arguments)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    start(arguments);
}

NatterProcess::NatterProcess(const QStringList &arguments, const QProcessEnvironment &environment)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setProcessEnvironment(environment);
    start(arguments);
}

void NatterProcess::start(const QStringList &arguments)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
        while (m_process.canReadLine())
            m_lines.append(QString::fromUtf8(m_process.readLine()).trimmed());
    });
    m_process.start(natterBinary(), arguments);
}

NatterProcess::~NatterProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

std::optional<QString> NatterProcess::waitForLine(const std::function<bool(const QString &)> &match, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        for (qsizetype i = 0; i < m_lines.size(); ++i) {
            if (match(m_lines.at(i)))
                return m_lines.takeAt(i);
        }
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return std::nullopt;
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    }
}

std::optional<QJsonObject> NatterProcess::waitForEvent(const QString &event,
                                                       const std::function<bool(const QJsonObject &)> &extra,
                                                       int timeoutMs)
{
    std::optional<QJsonObject> found;
    const auto line = waitForLine([&](const QString &text) {
        const QJsonObject object = QJsonDocument::fromJson(text.toUtf8()).object();
        return object.value(QStringLiteral("event")).toString() == event && (!extra || extra(object));
    }, timeoutMs);
    if (line)
        found = QJsonDocument::fromJson(line->toUtf8()).object();
    return found;
}

void NatterProcess::writeLine(const QJsonObject &command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
}

bool NatterProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return true;
    QSignalSpy finished(&m_process, &QProcess::finished);
    return finished.wait(timeoutMs);
}

QJsonObject postJson(const QUrl &url, const QJsonObject &body, const QString &token)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson());
    // Set-up by the test, on a server it started: any certificate of it will do.
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(10000);
    const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return json;
}

} // namespace natter::testing
