#pragma once

// A natter process started by a test (headless server or `natter cli`), its
// stdout read as lines; waits are on signals, never sleeps. Also a small
// blocking JSON POST for setting up users and rooms over REST.

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>
#include <functional>
#include <optional>

namespace natter::testing {

// The natter binary under test (NATTER_BINARY, set by add_natter_test).
QString natterBinary();

class NatterProcess : public QObject
{
public:
    explicit NatterProcess(const QStringList &arguments);
    // With its own environment, stderr read as lines too (a desktop app's log).
    NatterProcess(const QStringList &arguments, const QProcessEnvironment &environment);
    ~NatterProcess() override;

    // Waits (on signals) for a line that matches; removes and returns it.
    std::optional<QString> waitForLine(const std::function<bool(const QString &)> &match, int timeoutMs = 15000);
    // A JSON line whose "event" is `event` (and that `extra` accepts).
    std::optional<QJsonObject> waitForEvent(const QString &event,
                                            const std::function<bool(const QJsonObject &)> &extra = {},
                                            int timeoutMs = 15000);
    void writeLine(const QJsonObject &command);
    void closeInput() { m_process.closeWriteChannel(); }
    bool waitForExit(int timeoutMs = 15000);
    QProcess &process() { return m_process; }
    QStringList lines() const { return m_lines; }

private:
    void start(const QStringList &arguments);

    QProcess m_process;
    QStringList m_lines;
};

// POSTs `body` as JSON (with a Bearer token when given); the JSON answer, empty on failure.
QJsonObject postJson(const QUrl &url, const QJsonObject &body, const QString &token = {});

} // namespace natter::testing
