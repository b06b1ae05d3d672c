#include "serveroptions.h"

#include <QDir>
#include <QStandardPaths>

namespace natter::app {

void ServerOptions::addTo(QCommandLineParser &parser)
{
    parser.addOption(m_dataDir);
    parser.addOption(m_database);
}

bool ServerOptions::apply(const QCommandLineParser &parser, server::ServerConfig &config,
                          QString *error) const
{
    config.dataDir = parser.isSet(m_dataDir)
        ? QDir(parser.value(m_dataDir)).absolutePath()
        : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!QDir().mkpath(config.dataDir)) {
        *error = QStringLiteral("cannot create the data directory %1").arg(config.dataDir);
        return false;
    }
    if (parser.isSet(m_database)) {
        const auto url = server::DatabaseUrl::parse(parser.value(m_database), error);
        if (!url)
            return false;
        config.database = *url;
    } else {
        config.database = server::DatabaseUrl::sqlite(QDir(config.dataDir).filePath(QStringLiteral("natter.db")));
    }
    return true;
}

} // namespace natter::app
