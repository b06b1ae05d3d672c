#include "headlesscommand.h"

#include "limitoptions.h"

#include "chatserver.h"
#include "endpointfactory.h"
#include "serverannouncement.h"
#include "serveroptions.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>
#include <algorithm>
#include <cstdio>

Q_LOGGING_CATEGORY(lcHeadless, "natter.headless")

namespace natter::app {
namespace {

// "ADDR:PORT", "[v6]:PORT" or ":PORT".
bool parseListen(const QString &text, server::ServerConfig &config, QString *error)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool portOk = false;
    const uint port = colon >= 0 ? text.mid(colon + 1).toUInt(&portOk) : 0;
    if (colon < 0 || !portOk || port > 65535) {
        *error = QStringLiteral("--listen wants ADDR:PORT, got '%1'").arg(text);
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        host = QStringLiteral("0.0.0.0");
    const QHostAddress address(host == u"localhost" ? QStringLiteral("127.0.0.1") : host);
    if (address.isNull()) {
        *error = QStringLiteral("--listen: '%1' is not an IP address").arg(host);
        return false;
    }
    config.listenAddress = address;
    config.listenPort = static_cast<quint16>(port);
    return true;
}

// "gateway=/ws" or "gateway=/ws@8001".
std::optional<server::Mount> parseMount(const QString &text, QString *error)
{
    static const QRegularExpression pattern(QStringLiteral("^([a-z]+)=(/[^@\\s]*)(?:@(\\d{1,5}))?$"));
    const QRegularExpressionMatch match = pattern.match(text);
    const QString dialect = match.captured(1);
    if (!match.hasMatch() || !server::dialectNames().contains(dialect)) {
        *error = QStringLiteral("--mount wants DIALECT=PATH[@PORT] with DIALECT one of %1, got '%2'")
                     .arg(server::dialectNames().join(QStringLiteral(", ")), text);
        return std::nullopt;
    }
    server::Mount mount{dialect, match.captured(2), server::Mount::mainPort};
    if (match.hasCaptured(3)) {
        const uint port = match.captured(3).toUInt();
        if (port == 0 || port > 65535) {
            *error = QStringLiteral("--mount: bad port in '%1'").arg(text);
            return std::nullopt;
        }
        mount.port = static_cast<int>(port);
    }
    return mount;
}

QString hostForUrl(const QHostAddress &address)
{
    const QString text = address.toString();
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + text + u']' : text;
}

} // namespace

int runHeadless(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Natter server without a GUI."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run the server without a GUI."));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address and port to listen on (default 127.0.0.1:8000; port 0: any free port)."),
                                    QStringLiteral("addr:port"), QStringLiteral("127.0.0.1:8000"));
    const QCommandLineOption noRegistration(QStringLiteral("no-registration"),
                                            QStringLiteral("Close POST /api/auth/register; add users with 'natter users add'."));
    const QCommandLineOption heartbeat(QStringLiteral("heartbeat-interval"),
                                       QStringLiteral("Seconds between server pings on the rooms dialect (default 30)."),
                                       QStringLiteral("seconds"));
    const QCommandLineOption commitWindow(QStringLiteral("commit-window"),
                                          QStringLiteral("Milliseconds posts wait to be written together in one "
                                                         "transaction (default 0: what one event-loop pass brought)."),
                                          QStringLiteral("ms"));
    const QCommandLineOption maxSendBuffer(QStringLiteral("max-send-buffer"),
                                           QStringLiteral("Unsent bytes a connection may queue before it is closed "
                                                          "as too slow (1008; default 1048576 = 1 MiB)."),
                                           QStringLiteral("bytes"));
    const QCommandLineOption threads(QStringLiteral("threads"),
                                     QStringLiteral("Threads serving: the server's own plus N-1 that do the "
                                                    "sockets' I/O (default: the number of cores, %1).")
                                         .arg(QThread::idealThreadCount()),
                                     QStringLiteral("N"));
    const QCommandLineOption mount(QStringLiteral("mount"),
                                   QStringLiteral("Also mount a dialect at a path, on the main port or on PORT, "
                                                  "e.g. gateway=/ws@8001. Repeatable."),
                                   QStringLiteral("dialect=path[@port]"));
    const QCommandLineOption allowedOrigin(QStringLiteral("allowed-origin"),
                                           QStringLiteral("An Origin allowed to open the cookie-authenticated "
                                                          "social /ws (default: the server's own). Repeatable."),
                                           QStringLiteral("origin"));
    const QString hostName = QSysInfo::machineHostName();
    const QCommandLineOption name(QStringLiteral("name"),
                                  QStringLiteral("Name announced on the LAN (default: this computer's host name)."),
                                  QStringLiteral("name"), hostName.isEmpty() ? QStringLiteral("Natter") : hostName);
    const QCommandLineOption noAnnounce(QStringLiteral("no-announce"),
                                        QStringLiteral("Do not announce the server on the LAN."));
    const QCommandLineOption discoveryPort(
        QStringLiteral("discovery-port"),
        QStringLiteral("UDP port of the LAN announcements (default %1).").arg(discovery::DiscoveryChannel::defaultPort),
        QStringLiteral("port"), QString::number(discovery::DiscoveryChannel::defaultPort));
    const QCommandLineOption tlsCertificate(QStringLiteral("tls-cert"),
                                            QStringLiteral("Serve TLS only (https, wss) on every port, with this PEM "
                                                           "certificate (chain). Needs --tls-key; SIGHUP reloads both."),
                                            QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("The PEM private key of --tls-cert (unencrypted)."),
                                    QStringLiteral("file"));
    const QCommandLineOption redis(QStringLiteral("redis"),
                                   QStringLiteral("Join a cluster: nodes on one PostgreSQL --database share rooms, "
                                                  "presence and typing through this Redis (redis://HOST[:PORT][/DB])."),
                                   QStringLiteral("url"));
    const QCommandLineOption nodeName(QStringLiteral("node-name"),
                                      QStringLiteral("This node's name in GET /api/natter and the log "
                                                     "(default: host:port)."),
                                      QStringLiteral("name"));
    parser.addOptions({headless, listen, noRegistration, heartbeat, commitWindow, maxSendBuffer, threads, mount, allowedOrigin, name,
                       noAnnounce, discoveryPort, tlsCertificate, tlsKey, redis, nodeName});
    ServerOptions storage;
    storage.addTo(parser);
    const LimitOptions limits;
    limits.addTo(parser);

    QTextStream err(stderr);
    if (!parser.parse(arguments)) {
        err << "natter: " << parser.errorText() << "\nTry 'natter --help'.\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText()
                            << "\nAccounts: natter users --help\n";
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "natter " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    }
    if (!parser.isSet(headless)) {
        err << "natter: server options need --headless (the desktop UI is not in this build)\n";
        return 2;
    }
    server::ServerConfig config;
    QString error;
    if (!parseListen(parser.value(listen), config, &error) || !storage.apply(parser, config, &error)
        || !limits.apply(parser, config, &error)) {
        err << "natter: " << error << '\n';
        return 2;
    }
    config.registrationOpen = !parser.isSet(noRegistration);
    if (parser.isSet(heartbeat)) {
        bool ok = false;
        const int seconds = parser.value(heartbeat).toInt(&ok);
        if (!ok || seconds <= 0) {
            err << "natter: --heartbeat-interval wants a positive number of seconds\n";
            return 2;
        }
        config.heartbeatInterval = std::chrono::seconds(seconds);
    }
    if (parser.isSet(commitWindow)) {
        bool ok = false;
        const int ms = parser.value(commitWindow).toInt(&ok);
        if (!ok || ms < 0 || ms > 1000) {
            err << "natter: --commit-window wants 0 to 1000 milliseconds\n";
            return 2;
        }
        config.commitWindow = std::chrono::milliseconds(ms);
    }

    if (parser.isSet(maxSendBuffer)) {
        bool ok = false;
        const qint64 bytes = parser.value(maxSendBuffer).toLongLong(&ok);
        if (!ok || bytes < 4096) {
            err << "natter: --max-send-buffer wants a number of bytes, at least 4096\n";
            return 2;
        }
        config.maxSendBuffer = bytes;
    }
    config.threads = std::max(1, QThread::idealThreadCount());
    if (parser.isSet(threads)) {
        bool ok = false;
        const int count = parser.value(threads).toInt(&ok);
        if (!ok || count < 1 || count > 64) {
            err << "natter: --threads wants 1 to 64\n";
            return 2;
        }
        config.threads = count;
    }

    for (const QString &text : parser.values(mount)) {
        const auto parsed = parseMount(text, &error);
        if (!parsed) {
            err << "natter: " << error << '\n';
            return 2;
        }
        config.extraMounts.append(*parsed);
    }
    config.allowedOrigins = parser.values(allowedOrigin);
    if (parser.isSet(tlsCertificate) != parser.isSet(tlsKey)) {
        err << "natter: --tls-cert and --tls-key go together\n";
        return 2;
    }
    if (parser.isSet(redis)) {
        const auto url = server::RedisUrl::parse(parser.value(redis), &error);
        if (!url) {
            err << "natter: " << error << '\n';
            return 2;
        }
        if (config.database.kind != server::DatabaseUrl::Kind::Postgres) {
            err << "natter: --redis needs a shared --database postgres://…: the nodes of a cluster share one database\n";
            return 2;
        }
        config.redis = *url;
    }
    config.nodeName = parser.value(nodeName).trimmed();
    config.tlsCertificateFile = parser.value(tlsCertificate);
    config.tlsKeyFile = parser.value(tlsKey);
    discovery::DiscoveryChannel channel;
    const uint discoveryPortNumber = parser.value(discoveryPort).toUInt();
    if (discoveryPortNumber == 0 || discoveryPortNumber > 65535) {
        err << "natter: --discovery-port wants a port number\n";
        return 2;
    }
    channel.port = static_cast<quint16>(discoveryPortNumber);
    if (parser.value(name).trimmed().isEmpty()) {
        err << "natter: --name must not be empty\n";
        return 2;
    }

    config.name = parser.value(name).trimmed();
    server::ChatServer server(config);
    if (!server.start()) {
        err << "natter: " << server.errorString() << '\n';
        return 1;
    }
    std::unique_ptr<discovery::LanAnnouncer> announcer;
    if (!parser.isSet(noAnnounce)) {
        // Not fatal: the server works without being listed on the LAN.
        announcer = server::announceServer(server, parser.value(name), channel, &error);
        if (!announcer)
            err << "natter: not announced on the LAN: " << error << Qt::endl;
    }
    UnixSignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &UnixSignalWatcher::terminationRequested, &server,
                     [&server, &announcer](int signal) {
                         qCInfo(lcHeadless) << "signal" << signal << "- closing connections";
                         if (announcer)
                             announcer->stop();
                         server.shutdown();
                     });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::reloadRequested, &server,
                     [&server, &announcer, &config] {
                         QString reloadError;
                         if (!server.reloadTls(&reloadError)) {
                             qCWarning(lcHeadless) << "SIGHUP: nothing reloaded:" << reloadError;
                             return;
                         }
                         if (announcer)
                             announcer->setBeacon(server::beaconFor(server, config.name));
                     });
    QObject::connect(&server, &server::ChatServer::stopped, qApp, [] { QCoreApplication::exit(0); });

    QTextStream out(stdout);
    out << "Natter server listening on " << (server.isSecure() ? "https://" : "http://")
        << hostForUrl(config.listenAddress) << ':' << server.port() << Qt::endl;
    if (server.isSecure())
        out << "TLS certificate SHA-256: " << QString::fromLatin1(server.tlsFingerprint().toHex(':')) << Qt::endl;
    return QCoreApplication::exec();
}

} // namespace natter::app
