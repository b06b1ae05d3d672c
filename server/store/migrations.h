#pragma once

// Versioned schema of the conversation store. Each migration runs once, in its
// own transaction, and is recorded in `schema_migrations`. Append new
// migrations; never edit one that has shipped.

#include <QList>
#include <QString>
#include <QVariantMap>

namespace natter::server::migrations {

enum class Dialect { Sqlite, Postgres };

struct Statement
{
    QString sql;
    QVariantMap bindings; // ":name" → value; empty for DDL (PostgreSQL cannot PREPARE DDL)
};

struct Migration
{
    int version = 0;
    QString description;
    QList<Statement> statements;
};

// Every migration in ascending order, in the SQL of `dialect`. Built per call
// so seeded values (the lobby's UUID and creation time) are fresh.
QList<Migration> all(Dialect dialect);
int latestVersion();

// The bookkeeping table; identical on both engines.
QString createMigrationTableSql();

} // namespace natter::server::migrations
