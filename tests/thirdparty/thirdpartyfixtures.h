#pragma once

// The servers in tests/thirdparty that are not Natter, for the tests that run
// Natter's client on them: start one (it prints "LISTENING <port>"), read what
// it stored (GET /test/messages), and the cable fixture's JWTs.

#include <QHash>
#include <QJsonDocument>
#include <QProcess>
#include <QUrl>

namespace natter::testing {

class ServerProcess
{
public:
    ServerProcess(const QString &program, const QStringList &arguments, const QProcessEnvironment &environment = {});
    ~ServerProcess();

    // Waits (on the process's output) for "LISTENING <port>".
    bool waitListening(int timeoutMs = 60'000);
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    int port() const { return m_port; }

private:
    QProcess m_process;
    int m_port = 0;
};

// A fixture by its path below tests/thirdparty.
QString thirdPartyFixture(const char *relative);
// The Python fixtures run on Debian's interpreter (python3 on PATH may be another).
std::unique_ptr<ServerProcess> startPythonFixture(const char *relative, const QStringList &arguments = {});
// The real ActionCable on Puma (cable/run.sh).
std::unique_ptr<ServerProcess> startActionCable();

// GET as JSON (waits on the reply's signal; any certificate is accepted: the test's own fixture).
QJsonDocument getJson(const QUrl &url);
// How many times the server stored each text (field `textField` of GET /test/messages).
QHash<QString, int> storedCopies(const QUrl &base, const char *textField);
// The cable fixture's HS256 JWT, with the claims a Rails app might put in: user_id (not sub) and username.
QString cableToken(int userId, const QString &username);

} // namespace natter::testing
