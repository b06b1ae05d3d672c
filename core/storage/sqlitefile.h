#pragma once

// SqliteFile: one QSQLITE connection of the client's local storage (outbox,
// cache), with its own connection name, WAL, a busy timeout, and checked
// statements. Every statement is prepared once per connection and reset
// after use (a SELECT left open would pin a WAL snapshot). Not thread-safe:
// use it from the thread that opened it.
//
// Several accounts share one file: every row carries an account id from the
// `natter_accounts` table, keyed by (account, server). The outbox and the
// cache may use one file (each with its own connection) or separate files.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <functional>
#include <memory>
#include <unordered_map>

namespace natter::client {

class SqliteFile
{
public:
    enum class Durability {
        Normal, // synchronous=NORMAL: a commit survives an app crash (the cache)
        Full,   // synchronous=FULL: a commit also survives power loss (the outbox)
    };

    SqliteFile() = default;
    ~SqliteFile();
    SqliteFile(const SqliteFile &) = delete;
    SqliteFile &operator=(const SqliteFile &) = delete;

    // Opens (creating the file and its directory), sets WAL and the pragmas,
    // and runs `schema` (CREATE … IF NOT EXISTS statements) in one transaction.
    bool open(const QString &path, Durability durability, const QStringList &schema);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }

    // The id of (account, server) in this file, created on first use; -1 on error.
    qint64 accountId(const QString &account, const QString &server);

    // A statement with positional bindings; false (lastError set) on failure.
    bool exec(const QString &sql, const QVariantList &bindings = {}, int *rowsAffected = nullptr);
    // Same, returning the new row's rowid.
    qint64 insert(const QString &sql, const QVariantList &bindings);
    // A query: `row` is called for each result row (false stops). False on failure.
    bool select(const QString &sql, const QVariantList &bindings, const std::function<bool(const QSqlQuery &)> &row);

    bool begin();
    bool commit();
    void rollback();

private:
    QSqlQuery *prepared(const QString &sql, const QVariantList &bindings);
    bool fail(const QString &what, const QSqlError &error);

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
    QString m_lastError;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_statements;
};

} // namespace natter::client
