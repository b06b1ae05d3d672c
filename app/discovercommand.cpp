#include "discovercommand.h"

#include "discoveredservermodel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>
#include <cstdio>

namespace natter::app {
namespace {

using discovery::DiscoveredServerModel;

QJsonObject serverObject(const QModelIndex &index)
{
    return {{QStringLiteral("name"), index.data(DiscoveredServerModel::NameRole).toString()},
            {QStringLiteral("host"), index.data(DiscoveredServerModel::HostRole).toString()},
            {QStringLiteral("port"), index.data(DiscoveredServerModel::PortRole).toInt()},
            {QStringLiteral("url"), index.data(DiscoveredServerModel::UrlRole).toUrl().toString()},
            {QStringLiteral("dialects"),
             QJsonArray::fromStringList(index.data(DiscoveredServerModel::DialectsRole).toStringList())}};
}

QString serverLine(const QModelIndex &index)
{
    return QStringLiteral("%1\t%2\t%3")
        .arg(index.data(DiscoveredServerModel::NameRole).toString(),
             index.data(DiscoveredServerModel::UrlRole).toUrl().toString(),
             index.data(DiscoveredServerModel::DialectsRole).toStringList().join(u','));
}

} // namespace

int runDiscover(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List the Natter servers announcing themselves on the LAN, each as it is first heard:\n"
        "NAME<tab>URL<tab>DIALECTS, or one JSON object a line with --json."));
    parser.addHelpOption();
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds to listen (default 5)."), QStringLiteral("seconds"),
                                     QStringLiteral("5"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("One JSON object a line: name, host, port, url, dialects."));
    const QCommandLineOption discoveryPort(
        QStringLiteral("discovery-port"),
        QStringLiteral("UDP port of the LAN announcements (default %1).").arg(discovery::DiscoveryChannel::defaultPort),
        QStringLiteral("port"), QString::number(discovery::DiscoveryChannel::defaultPort));
    parser.addOptions({timeout, json, discoveryPort});

    QTextStream err(stderr);
    QStringList forParser = arguments; // natter discover …; the parser wants the program name first
    forParser.removeAt(1);
    if (!parser.parse(forParser)) {
        err << "natter discover: " << parser.errorText() << "\nTry 'natter discover --help'.\n";
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    bool ok = false;
    const double seconds = parser.value(timeout).toDouble(&ok);
    if (!ok || seconds <= 0 || seconds > 24 * 3600) {
        err << "natter discover: --timeout wants a positive number of seconds\n";
        return 2;
    }
    const uint port = parser.value(discoveryPort).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        err << "natter discover: --discovery-port wants a port number\n";
        return 2;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "natter discover: unexpected argument '" << parser.positionalArguments().constFirst() << "'\n";
        return 2;
    }

    discovery::DiscoveryChannel channel;
    channel.port = static_cast<quint16>(port);
    DiscoveredServerModel servers(channel);
    if (!servers.start()) {
        err << "natter discover: " << servers.errorString() << '\n';
        return 1;
    }
    QTextStream out(stdout);
    const bool asJson = parser.isSet(json);
    QObject::connect(&servers, &DiscoveredServerModel::rowsInserted, &servers,
                     [&servers, &out, asJson](const QModelIndex &, int first, int last) {
                         for (int row = first; row <= last; ++row) {
                             const QModelIndex index = servers.index(row);
                             if (asJson)
                                 out << QJsonDocument(serverObject(index)).toJson(QJsonDocument::Compact);
                             else
                                 out << serverLine(index);
                             out << Qt::endl; // flushed: a reader sees each server at once
                         }
                     });
    QTimer::singleShot(std::chrono::milliseconds(static_cast<qint64>(seconds * 1000)), qApp,
                       [] { QCoreApplication::exit(0); });
    return QCoreApplication::exec();
}

} // namespace natter::app
