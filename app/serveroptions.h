#pragma once

// Options that name where the server's data lives, shared by `--headless`
// and `natter users`: --data-dir and --database.

#include "serverconfig.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <optional>

namespace natter::app {

class ServerOptions
{
public:
    void addTo(QCommandLineParser &parser);
    // Fills dataDir and database; nullopt (with `error`) for a bad value.
    bool apply(const QCommandLineParser &parser, server::ServerConfig &config, QString *error) const;

private:
    QCommandLineOption m_dataDir{QStringLiteral("data-dir"),
                                 QStringLiteral("Directory for the database and the signing secret."),
                                 QStringLiteral("dir")};
    QCommandLineOption m_database{
        QStringLiteral("database"),
        QStringLiteral("sqlite:PATH or postgres://user:pass@host:port/db (default: sqlite in the data directory)."),
        QStringLiteral("url")};
};

} // namespace natter::app
