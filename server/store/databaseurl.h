#pragma once

#include <QString>
#include <optional>

namespace natter::server {

// `sqlite:PATH` or `postgres://user:pass@host:port/db` (also `postgresql://`).
struct DatabaseUrl
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path; // sqlite
    QString host; // postgres
    int port = 5432;
    QString user;
    QString password;
    QString database;

    // nullopt for anything else, with a reason in *error that never repeats
    // the URL (it may hold a password). User and password are percent-decoded.
    static std::optional<DatabaseUrl> parse(const QString &text, QString *error = nullptr);
    static DatabaseUrl sqlite(const QString &path);
    QString toDisplayString() const; // without the password
};

} // namespace natter::server
