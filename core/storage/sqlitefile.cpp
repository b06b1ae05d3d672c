#include "sqlitefile.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <atomic>

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {
std::atomic<int> g_connections{0};
} // namespace

SqliteFile::~SqliteFile()
{
    close();
}

bool SqliteFile::open(const QString &path, Durability durability, const QStringList &schema)
{
    close();
    m_lastError.clear();
    m_path = path;
    if (path != u":memory:"_s)
        QDir().mkpath(QFileInfo(path).absolutePath());
    m_connectionName = u"natter-client-%1"_s.arg(++g_connections);
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    if (!m_db.isValid()) {
        m_lastError = u"the Qt Sql driver QSQLITE is not available"_s;
        close();
        return false;
    }
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        fail(u"cannot open %1"_s.arg(path), m_db.lastError());
        close();
        return false;
    }
    const QString synchronous = durability == Durability::Full ? u"FULL"_s : u"NORMAL"_s;
    const QStringList pragmas{
        u"PRAGMA busy_timeout = 5000"_s,
        u"PRAGMA journal_mode = WAL"_s,
        u"PRAGMA synchronous = "_s + synchronous,
        u"PRAGMA foreign_keys = ON"_s,
    };
    for (const QString &pragma : pragmas) {
        QSqlQuery query(m_db);
        if (!query.exec(pragma)) {
            fail(pragma, query.lastError());
            close();
            return false;
        }
    }
    QStringList statements{
        u"CREATE TABLE IF NOT EXISTS natter_accounts ("
        " id INTEGER PRIMARY KEY,"
        " account TEXT NOT NULL,"
        " server TEXT NOT NULL,"
        " UNIQUE (account, server))"_s,
    };
    statements += schema;
    if (!begin()) {
        close();
        return false;
    }
    for (const QString &statement : std::as_const(statements)) {
        QSqlQuery query(m_db);
        if (!query.exec(statement)) {
            fail(u"schema"_s, query.lastError());
            rollback();
            close();
            return false;
        }
    }
    if (!commit()) {
        close();
        return false;
    }
    return true;
}

void SqliteFile::close()
{
    m_statements.clear(); // every QSqlQuery must be gone before removeDatabase()
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

qint64 SqliteFile::accountId(const QString &account, const QString &server)
{
    if (!exec(u"INSERT OR IGNORE INTO natter_accounts (account, server) VALUES (?, ?)"_s, {account, server}))
        return -1;
    qint64 id = -1;
    if (!select(u"SELECT id FROM natter_accounts WHERE account = ? AND server = ?"_s, {account, server},
                [&id](const QSqlQuery &q) {
                    id = q.value(0).toLongLong();
                    return false;
                }))
        return -1;
    return id;
}

QSqlQuery *SqliteFile::prepared(const QString &sql, const QVariantList &bindings)
{
    if (!m_db.isOpen()) {
        m_lastError = u"the database is not open"_s;
        return nullptr;
    }
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto query = std::make_unique<QSqlQuery>(m_db);
        query->setForwardOnly(true);
        if (!query->prepare(sql)) {
            fail(sql.simplified().left(160), query->lastError());
            return nullptr;
        }
        it = m_statements.emplace(sql, std::move(query)).first;
    }
    QSqlQuery *query = it->second.get();
    for (int i = 0; i < bindings.size(); ++i)
        query->bindValue(i, bindings.at(i));
    return query;
}

bool SqliteFile::exec(const QString &sql, const QVariantList &bindings, int *rowsAffected)
{
    QSqlQuery *query = prepared(sql, bindings);
    if (!query)
        return false;
    if (!query->exec()) {
        fail(sql.simplified().left(160), query->lastError());
        query->finish();
        return false;
    }
    if (rowsAffected)
        *rowsAffected = query->numRowsAffected();
    query->finish();
    return true;
}

qint64 SqliteFile::insert(const QString &sql, const QVariantList &bindings)
{
    QSqlQuery *query = prepared(sql, bindings);
    if (!query)
        return -1;
    if (!query->exec()) {
        fail(sql.simplified().left(160), query->lastError());
        query->finish();
        return -1;
    }
    const qint64 id = query->lastInsertId().toLongLong();
    query->finish();
    return id;
}

bool SqliteFile::select(const QString &sql, const QVariantList &bindings,
                        const std::function<bool(const QSqlQuery &)> &row)
{
    QSqlQuery *query = prepared(sql, bindings);
    if (!query)
        return false;
    if (!query->exec()) {
        fail(sql.simplified().left(160), query->lastError());
        query->finish();
        return false;
    }
    while (query->next()) {
        if (!row(*query))
            break;
    }
    const bool ok = !query->lastError().isValid();
    if (!ok)
        fail(sql.simplified().left(160), query->lastError());
    query->finish();
    return ok;
}

bool SqliteFile::begin()
{
    if (!m_db.transaction())
        return fail(u"BEGIN"_s, m_db.lastError());
    return true;
}

bool SqliteFile::commit()
{
    if (!m_db.commit()) {
        fail(u"COMMIT"_s, m_db.lastError());
        m_db.rollback();
        return false;
    }
    return true;
}

void SqliteFile::rollback()
{
    m_db.rollback();
}

bool SqliteFile::fail(const QString &what, const QSqlError &error)
{
    m_lastError = u"%1: %2"_s.arg(what, error.text());
    return false;
}

} // namespace natter::client
