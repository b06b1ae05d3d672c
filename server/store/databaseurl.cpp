#include "databaseurl.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace natter::server {
namespace {

const QString kUsage = u"use sqlite:PATH or postgres://user:password@host:port/database"_s;

std::optional<DatabaseUrl> failure(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return std::nullopt;
}

std::optional<DatabaseUrl> parseSqlite(const QString &text, QString *error)
{
    const QString path = text.mid(text.indexOf(u':') + 1);
    if (path.isEmpty())
        return failure(error,
            u"the sqlite: database URL needs a file path, e.g. sqlite:/var/lib/natter/natter.db"_s);
    return DatabaseUrl::sqlite(path);
}

// Error texts never repeat the URL itself: it may carry a password.
std::optional<DatabaseUrl> parsePostgres(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return failure(error,
            u"invalid PostgreSQL URL (%1; percent-encode special characters "
            "in the user name and password)"_s.arg(kUsage));
    if (url.host().isEmpty())
        return failure(error, u"the PostgreSQL URL has no host name"_s);
    if (url.port() == 0)
        return failure(error, u"the PostgreSQL URL has an invalid port"_s);
    if (url.hasQuery() || url.hasFragment())
        return failure(error, u"the PostgreSQL URL must not have ?options or a #fragment"_s);

    const QString path = url.path(QUrl::FullyDecoded);
    const QString database = path.mid(1);
    if (database.isEmpty() || database.contains(u'/'))
        return failure(error,
            u"the PostgreSQL URL needs a database name as its path, e.g. "
            "postgres://natter:secret@localhost:5432/natter"_s);

    DatabaseUrl result;
    result.kind = DatabaseUrl::Kind::Postgres;
    result.host = url.host(QUrl::FullyDecoded);
    result.port = url.port(5432);
    result.user = url.userName(QUrl::FullyDecoded);
    result.password = url.password(QUrl::FullyDecoded);
    result.database = database;
    return result;
}

} // namespace

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u"sqlite:"_s, Qt::CaseInsensitive))
        return parseSqlite(trimmed, error);
    if (trimmed.startsWith(u"postgres://"_s, Qt::CaseInsensitive)
        || trimmed.startsWith(u"postgresql://"_s, Qt::CaseInsensitive))
        return parsePostgres(trimmed, error);
    if (trimmed.isEmpty())
        return failure(error, u"the database URL is empty: %1"_s.arg(kUsage));
    return failure(error, u"unsupported database URL: %1"_s.arg(kUsage));
}

DatabaseUrl DatabaseUrl::sqlite(const QString &path)
{
    DatabaseUrl url;
    url.kind = Kind::Sqlite;
    url.path = path;
    return url;
}

QString DatabaseUrl::toDisplayString() const
{
    if (kind == Kind::Sqlite)
        return u"sqlite:"_s + path;

    QUrl url;
    url.setScheme(u"postgres"_s);
    url.setUserName(user, QUrl::DecodedMode);
    url.setHost(host, QUrl::DecodedMode);
    url.setPort(port);
    url.setPath(u"/"_s + database, QUrl::DecodedMode);
    return url.toString();
}

} // namespace natter::server
