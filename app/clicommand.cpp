#include "clicommand.h"

#include "backendfactory.h"
#include "messagesender.h"
#include "outbox.h"
#include "scriptsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTextStream>
#include <cstdio>
#include <unistd.h>

namespace natter::app {
namespace {

constexpr int usageError = 2;

// Reads stdin line by line without blocking the event loop.
class LineReader : public QObject
{
    Q_OBJECT
public:
    LineReader()
        : m_notifier(STDIN_FILENO, QSocketNotifier::Read)
    {
        connect(&m_notifier, &QSocketNotifier::activated, this, &LineReader::readAvailable);
    }

signals:
    void line(const QByteArray &line);
    void finished();

private:
    void readAvailable()
    {
        char buffer[4096];
        const ssize_t count = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (count <= 0) {
            m_notifier.setEnabled(false);
            if (!m_pending.isEmpty())
                emit line(std::exchange(m_pending, {}));
            emit finished();
            return;
        }
        m_pending.append(buffer, count);
        qsizetype newline;
        while ((newline = m_pending.indexOf('\n')) >= 0) {
            const QByteArray text = m_pending.left(newline);
            m_pending.remove(0, newline + 1);
            emit line(text);
        }
    }

    QSocketNotifier m_notifier;
    QByteArray m_pending;
};

} // namespace

int runCli(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Scripted chat client: one JSON command per line on stdin, one JSON event per line on stdout.\n"
        "See the README section 'natter cli' for the commands and events."));
    parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Base URL, http://host:port."), QStringLiteral("url"));
    const QCommandLineOption dialect(QStringLiteral("dialect"),
                                     QStringLiteral("natter (Natter's own, on Natter servers), cable, chats, social, rooms or gateway."), QStringLiteral("dialect"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("Username (with --password; Natter servers)."), QStringLiteral("name"));
    const QCommandLineOption password(QStringLiteral("password"), QStringLiteral("Password."), QStringLiteral("password"));
    const QCommandLineOption token(QStringLiteral("token"), QStringLiteral("A token the server issued."), QStringLiteral("token"));
    const QCommandLineOption cookie(QStringLiteral("cookie"), QStringLiteral("A session cookie, name=value."), QStringLiteral("cookie"));
    const QCommandLineOption room(QStringLiteral("room"), QStringLiteral("Subscribe to this room at start. Repeatable."), QStringLiteral("id"));
    const QCommandLineOption path(QStringLiteral("path"), QStringLiteral("WebSocket path, when the server mounts the dialect elsewhere."), QStringLiteral("path"));
    const QCommandLineOption outboxFile(QStringLiteral("outbox"), QStringLiteral("Outbox file (default: in the app data directory)."), QStringLiteral("file"));
    const QCommandLineOption ackTimeout(QStringLiteral("ack-timeout"),
                                        QStringLiteral("Seconds to wait for acks after stdin closes (default 10)."),
                                        QStringLiteral("seconds"), QStringLiteral("10"));
    const QCommandLineOption tlsCa(QStringLiteral("tls-ca"),
                                   QStringLiteral("Also trust the CA certificate(s) in this PEM file (https servers). Repeatable."),
                                   QStringLiteral("file"));
    const QCommandLineOption tlsFingerprint(QStringLiteral("tls-fingerprint"),
                                            QStringLiteral("Trust the server's certificate with this SHA-256 (hex; "
                                                           "colons optional), and refuse any other."),
                                            QStringLiteral("sha256hex"));
    parser.addOptions({server, dialect, user, password, token, cookie, room, path, outboxFile, ackTimeout, tlsCa,
                       tlsFingerprint});

    QStringList forParser = arguments;
    forParser.removeAt(1); // "cli"
    QTextStream err(stderr);
    if (!parser.parse(forParser)) {
        err << "natter cli: " << parser.errorText() << '\n';
        return usageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QUrl serverUrl(parser.value(server));
    if (!parser.isSet(server) || !serverUrl.isValid() || (serverUrl.scheme() != u"http" && serverUrl.scheme() != u"https")) {
        err << "natter cli: --server wants http://host:port or https://host:port\n";
        return usageError;
    }
    const bool withPassword = parser.isSet(user) && parser.isSet(password);
    if (!withPassword && !parser.isSet(token) && !parser.isSet(cookie)) {
        err << "natter cli: sign in with --user and --password, --token, or --cookie\n";
        return usageError;
    }

    client::Backend::Settings settings;
    settings.serverUrl = serverUrl;
    settings.path = parser.value(path);
    settings.signIn = {parser.value(user), parser.value(password), parser.value(token), parser.value(cookie)};
    for (const QString &file : parser.values(tlsCa)) {
        QString caError;
        const QList<QSslCertificate> cas = client::readCaFile(file, &caError);
        if (cas.isEmpty()) {
            err << "natter cli: --tls-ca: " << caError << '\n';
            return usageError;
        }
        settings.tls.extraCaCertificates += cas;
    }
    if (parser.isSet(tlsFingerprint)) {
        const auto fingerprint = client::parseFingerprint(parser.value(tlsFingerprint));
        if (!fingerprint) {
            err << "natter cli: --tls-fingerprint wants the certificate's SHA-256 as 64 hex digits\n";
            return usageError;
        }
        settings.tls.trustedFingerprint = *fingerprint;
    }
    std::unique_ptr<client::Backend> backend = client::makeBackend(parser.value(dialect), settings);
    if (!backend) {
        err << "natter cli: --dialect must be one of " << client::backendDialects().join(QStringLiteral(", ")) << '\n';
        return usageError;
    }

    QString outboxPath = parser.value(outboxFile);
    if (outboxPath.isEmpty()) {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        QDir().mkpath(dir);
        outboxPath = QDir(dir).filePath(QStringLiteral("cli-outbox.db"));
    }
    client::Outbox outbox;
    const QString account = parser.value(user).isEmpty() ? parser.value(token).left(32) + parser.value(cookie).left(32)
                                                         : parser.value(user);
    if (!outbox.open(outboxPath, parser.value(dialect) + u':' + account, serverUrl.toString())) {
        err << "natter cli: cannot open the outbox " << outboxPath << ": " << outbox.lastError() << '\n';
        return 1;
    }
    client::MessageSender sender(*backend, outbox);
    client::ScriptSession session(*backend, sender);
    QFile out;
    out.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered); // by fd: no stdio buffering on pipes
    QObject::connect(&session, &client::ScriptSession::event, &session, [&out](const QJsonObject &event) {
        out.write(QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n');
    });
    QObject::connect(&session, &client::ScriptSession::finished, qApp, [](int code) { QCoreApplication::exit(code); });

    LineReader input;
    QObject::connect(&input, &LineReader::line, &session, &client::ScriptSession::handleLine);
    const auto timeout = std::chrono::seconds(std::max(0, parser.value(ackTimeout).toInt()));
    QObject::connect(&input, &LineReader::finished, &session, [&session, timeout] { session.finishInput(timeout); });

    for (const QString &id : parser.values(room))
        backend->subscribe(id);
    backend->connectToServer();
    const int code = QCoreApplication::exec();
    backend->disconnectFromServer();
    return code;
}

} // namespace natter::app

#include "clicommand.moc"
