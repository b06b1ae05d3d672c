#pragma once

// `natter --headless` as a test runs it: a real process on 127.0.0.1 and a
// port the OS picks (read from its "listening" line), on a data directory
// the test owns, so that it can be stopped, killed and started again on
// the same data. Killed when the object goes.

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace natter::test {

class HeadlessProcess
{
public:
    explicit HeadlessProcess(const QString &dataDir) : m_dataDir(dataDir) { }
    ~HeadlessProcess();

    // Starts with --listen 127.0.0.1:0 --data-dir DIR and `extra`, and waits
    // for the listening line.
    bool start(const QStringList &extra = {});
    QUrl url(const QString &path, const QString &scheme = QStringLiteral("http")) const;
    quint16 port() const { return m_port; }
    QProcess &process() { return m_process; }

private:
    QString m_dataDir;
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace natter::test
