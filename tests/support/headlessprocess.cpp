#include "headlessprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace natter::test {

HeadlessProcess::~HeadlessProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool HeadlessProcess::start(const QStringList &extra)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(qEnvironmentVariable("NATTER_BINARY"),
                    QStringList{QStringLiteral("--headless"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                QStringLiteral("--data-dir"), m_dataDir, QStringLiteral("--no-announce")}
                        + extra);
    if (!m_process.waitForStarted(5000))
        return false;
    static const QRegularExpression line(QStringLiteral("^Natter server listening on http://127\\.0\\.0\\.1:(\\d+)$"));
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (m_process.canReadLine()) {
            const QString text = QString::fromUtf8(m_process.readLine()).trimmed();
            const auto match = line.match(text);
            if (!match.hasMatch()) {
                qWarning() << "unexpected line" << text;
                return false;
            }
            m_port = static_cast<quint16>(match.captured(1).toUInt());
            return true;
        }
        if (!m_process.waitForReadyRead(static_cast<int>(deadline.remainingTime())))
            break;
    }
    qWarning() << "no listening line; stderr:" << m_process.readAllStandardError();
    return false;
}

QUrl HeadlessProcess::url(const QString &path, const QString &scheme) const
{
    QUrl url(scheme + QStringLiteral("://127.0.0.1") + path);
    url.setPort(m_port);
    return url;
}

} // namespace natter::test
