// The conversation store against every engine it supports: each test runs
// once per global data row ("sqlite" always; "postgres" when
// NATTER_TEST_POSTGRES names a server), each time on a fresh database.

#include "migrations.h"
#include "store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>
#include <tuple>
#include <utility>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::server;

// The domain enums have a QString toString() of their own, which hides
// QTest's; compare them by their wire names, which also reads well on failure.
#define COMPARE_DOMAIN(actual, expected)                                                           \
    QCOMPARE(natter::toString(actual), natter::toString(expected))

namespace {

constexpr const char *kPostgresHint
    = "set NATTER_TEST_POSTGRES=postgres://user:pass@127.0.0.1:PORT/db to run the PostgreSQL "
      "cases (scripts/dev.sh test starts one)";

QString driverFor(const DatabaseUrl &url)
{
    return url.kind == DatabaseUrl::Kind::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
}

// A second, raw connection to the same database: to look behind the store's back.
class RawConnection
{
public:
    explicit RawConnection(const DatabaseUrl &url)
        : m_name(u"tst_store_raw_%1"_s.arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driverFor(url), m_name);
        if (url.kind == DatabaseUrl::Kind::Sqlite) {
            db.setDatabaseName(url.path);
        } else {
            db.setHostName(url.host);
            db.setPort(url.port);
            db.setUserName(url.user);
            db.setPassword(url.password);
            db.setDatabaseName(url.database);
        }
        if (!db.open())
            qWarning("raw connection failed: %s", qPrintable(db.lastError().text()));
    }
    ~RawConnection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }

    // The first column of the first row; invalid on error.
    QVariant value(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        if (!query.exec(sql) || !query.next()) {
            qWarning("raw query failed: %s", qPrintable(query.lastError().text()));
            return {};
        }
        return query.value(0);
    }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        const bool ok = query.exec(sql);
        if (!ok)
            qWarning("raw statement failed: %s", qPrintable(query.lastError().text()));
        return ok;
    }
    // A statement with bound values (":name" → value).
    bool exec(const QString &sql, const QVariantMap &bindings) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        bool ok = query.prepare(sql);
        if (ok) {
            for (auto it = bindings.cbegin(); it != bindings.cend(); ++it)
                query.bindValue(it.key(), it.value());
            ok = query.exec();
        }
        if (!ok)
            qWarning("raw statement failed: %s", qPrintable(query.lastError().text()));
        return ok;
    }
    // Every row, each as its columns; empty on error.
    QList<QVariantList> rows(const QString &sql) const
    {
        QSqlQuery query(QSqlDatabase::database(m_name, false));
        QList<QVariantList> rows;
        if (!query.exec(sql)) {
            qWarning("raw query failed: %s", qPrintable(query.lastError().text()));
            return rows;
        }
        while (query.next()) {
            QVariantList row;
            for (int column = 0; column < query.record().count(); ++column)
                row.append(query.value(column));
            rows.append(row);
        }
        return rows;
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

QDateTime utc(int year, int month, int day, int hour, int minute, int second, int msec = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second, msec), Qt::UTC);
}

template <typename Record> QList<qint64> idsOf(const QList<Record> &records)
{
    QList<qint64> ids;
    for (const Record &record : records)
        ids.append(record.id);
    return ids;
}

// Of memberships or marks.
template <typename Record> QList<qint64> userIdsOf(const QList<Record> &records)
{
    QList<qint64> ids;
    for (const Record &record : records)
        ids.append(record.userId);
    return ids;
}

QList<qint64> seqsOf(const QList<MessageRecord> &messages)
{
    QList<qint64> seqs;
    for (const MessageRecord &message : messages)
        seqs.append(message.seq);
    return seqs;
}

NewMessage newMessage(
    qint64 roomId, qint64 senderId, const QString &body, const QString &clientId = {})
{
    NewMessage message;
    message.roomId = roomId;
    message.senderId = senderId;
    message.body = body;
    message.clientId = clientId;
    return message;
}

QStringList bodiesOf(const QList<MessageRecord> &messages)
{
    QStringList bodies;
    for (const MessageRecord &message : messages)
        bodies.append(message.body);
    return bodies;
}

} // namespace

class TestStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void urlParsesGoodUrls_data();
    void urlParsesGoodUrls();
    void urlRejectsBadUrls_data();
    void urlRejectsBadUrls();
    void urlDisplayHidesPassword();

    void migrationsApplyOnce();
    void reopenKeepsDataAndVersion();
    void refusesNewerSchema();
    void migrationTurnsReceiptsIntoMarks();
    void storageFormat();
    void twoStoresInOneProcess();
    void openFailsCleanly();
    void closedStoreReportsErrors();

    void createAndFindUsers();
    void duplicateUsernameConflicts();
    void updateUsers();
    void searchUsers();
    void newUsersJoinLobby();
    void sessions();

    void groups();
    void directRooms();
    void memberships();

    void insertMessageTakesTheNextSeq();
    void duplicateClientIdConflicts();
    void emptyClientIdsNeverConflict();
    void unknownReferencesRollBack();
    void paginationNewestFirst();
    void pagingBySeq();
    void messagesAfter();
    void marksOnlyMoveForward();
    void unreadCount();
    void lastMessagesAndUnreadCounts();
    void commitBatchStoresMessagesAndMarks();
    void failedCommitBatchStoresNothing();
    void changeSignals();
    void contacts();
    void notifications();
    void countsSince();

private:
    bool needsDatabase() const;
    bool opensStore() const; // false: the test builds the database itself
    bool createPostgresDatabase();
    // Helpers return 0 on failure (after a warning); callers QVERIFY the id.
    qint64 newUser(const QString &name, UserRole role = UserRole::User);
    qint64 newGroup(const QString &name, qint64 creator, const QList<qint64> &members = {});
    std::optional<MessageRecord> post(
        qint64 roomId, qint64 senderId, const QString &body, const QString &clientId = {});
    qint64 send(qint64 roomId, qint64 senderId, const QString &body, const QString &clientId = {});

    DatabaseUrl m_url;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::optional<DatabaseUrl> m_postgres; // from NATTER_TEST_POSTGRES
    QString m_postgresError;
    QString m_postgresDatabase; // the fresh one of the running test
    const QString m_adminConnection = u"tst_store_admin"_s;
};

// --- fixture ---------------------------------------------------------------

void TestStore::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << u"sqlite"_s;
    QTest::newRow("postgres") << u"postgres"_s;
}

void TestStore::initTestCase()
{
    const QString text = qEnvironmentVariable("NATTER_TEST_POSTGRES");
    if (text.isEmpty())
        return;
    QString error;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(text, &error);
    if (!url || url->kind != DatabaseUrl::Kind::Postgres) {
        m_postgresError = u"NATTER_TEST_POSTGRES is not a postgres:// URL: "_s + error;
        return;
    }
    m_postgres = url;

    // The maintenance connection creates and drops one database per test.
    QSqlDatabase admin = QSqlDatabase::addDatabase(u"QPSQL"_s, m_adminConnection);
    admin.setHostName(url->host);
    admin.setPort(url->port);
    admin.setUserName(url->user);
    admin.setPassword(url->password);
    admin.setDatabaseName(url->database);
    if (!admin.open()) {
        m_postgresError
            = u"cannot connect to %1: %2"_s.arg(url->toDisplayString(), admin.lastError().text());
        return;
    }
    QSqlQuery(admin).exec(u"SET client_min_messages TO WARNING"_s);
}

bool TestStore::needsDatabase() const
{
    return !QByteArray(QTest::currentTestFunction()).startsWith("url");
}

bool TestStore::opensStore() const
{
    return QByteArray(QTest::currentTestFunction()) != "migrationTurnsReceiptsIntoMarks";
}

bool TestStore::createPostgresDatabase()
{
    static int counter = 0;
    m_postgresDatabase
        = u"natter_tst_%1_%2"_s.arg(QCoreApplication::applicationPid()).arg(++counter);
    QSqlQuery query(QSqlDatabase::database(m_adminConnection, false));
    // Identifiers cannot be bound; this one is built from digits only.
    if (!query.exec(u"CREATE DATABASE "_s + m_postgresDatabase)) {
        m_postgresError
            = u"CREATE DATABASE failed (the user needs CREATEDB): "_s + query.lastError().text();
        m_postgresDatabase.clear();
        return false;
    }
    m_url = *m_postgres;
    m_url.database = m_postgresDatabase;
    return true;
}

void TestStore::init()
{
    QFETCH_GLOBAL(QString, backend);
    if (!needsDatabase())
        return;
    if (backend == u"postgres"_s) {
        if (!m_postgres && m_postgresError.isEmpty())
            QSKIP(kPostgresHint);
        QVERIFY2(m_postgresError.isEmpty(), qPrintable(m_postgresError));
        QVERIFY2(createPostgresDatabase(), qPrintable(m_postgresError));
    } else {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_url = DatabaseUrl::sqlite(m_dir->filePath(u"natter.db"_s));
    }
    if (!opensStore())
        return;
    m_store = std::make_unique<Store>();
    QVERIFY2(m_store->open(m_url), qPrintable(m_store->lastErrorText()));
}

void TestStore::cleanup()
{
    m_store.reset();
    if (!m_postgresDatabase.isEmpty()) {
        QSqlQuery query(QSqlDatabase::database(m_adminConnection, false));
        if (!query.exec(u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_postgresDatabase)))
            qWarning("cannot drop %s: %s", qPrintable(m_postgresDatabase),
                qPrintable(query.lastError().text()));
        m_postgresDatabase.clear();
    }
    m_dir.reset();
}

void TestStore::cleanupTestCase()
{
    if (QSqlDatabase::contains(m_adminConnection)) {
        QSqlDatabase::database(m_adminConnection, false).close();
        QSqlDatabase::removeDatabase(m_adminConnection);
    }
}

qint64 TestStore::newUser(const QString &name, UserRole role)
{
    const auto user = m_store->createUser(name, name.toUpper(), "hash-" + name.toUtf8(), role);
    if (!user)
        qWarning(
            "createUser(%s) failed: %s", qPrintable(name), qPrintable(m_store->lastErrorText()));
    return user ? user->id : 0;
}

qint64 TestStore::newGroup(const QString &name, qint64 creator, const QList<qint64> &members)
{
    const auto room = m_store->createGroup(name, creator);
    if (!room) {
        qWarning(
            "createGroup(%s) failed: %s", qPrintable(name), qPrintable(m_store->lastErrorText()));
        return 0;
    }
    for (qint64 member : members) {
        if (!m_store->setMembership(room->id, member, MembershipState::Active))
            return 0;
    }
    return room->id;
}

std::optional<MessageRecord> TestStore::post(
    qint64 roomId, qint64 senderId, const QString &body, const QString &clientId)
{
    const auto stored = m_store->insertMessage(newMessage(roomId, senderId, body, clientId));
    if (!stored)
        qWarning("insertMessage failed: %s", qPrintable(m_store->lastErrorText()));
    return stored;
}

qint64 TestStore::send(qint64 roomId, qint64 senderId, const QString &body, const QString &clientId)
{
    const auto stored = post(roomId, senderId, body, clientId);
    return stored ? stored->id : 0;
}

// --- database URLs -----------------------------------------------------------

void TestStore::urlParsesGoodUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("database");

    QTest::newRow("sqlite absolute")
        << u"sqlite:/var/lib/natter/natter.db"_s << false << u"/var/lib/natter/natter.db"_s
        << QString() << 5432 << QString() << QString() << QString();
    QTest::newRow("sqlite relative, padded")
        << u"  sqlite:data/natter.db\n"_s << false << u"data/natter.db"_s << QString() << 5432
        << QString() << QString() << QString();
    QTest::newRow("postgres full")
        << u"postgres://natter:secret@db.example.org:6543/chat"_s << true << QString()
        << u"db.example.org"_s << 6543 << u"natter"_s << u"secret"_s << u"chat"_s;
    QTest::newRow("postgresql, default port")
        << u"postgresql://natter:secret@localhost/chat"_s << true << QString() << u"localhost"_s
        << 5432 << u"natter"_s << u"secret"_s << u"chat"_s;
    QTest::newRow("percent-decoded credentials")
        << u"postgres://n%40tter:p%40ss%3Aw%2Fo%25rd@10.0.0.5:5433/natter"_s << true << QString()
        << u"10.0.0.5"_s << 5433 << u"n@tter"_s << u"p@ss:w/o%rd"_s << u"natter"_s;
    QTest::newRow("ipv6 host") << u"postgres://u:p@[::1]:5432/natter"_s << true << QString()
                               << u"::1"_s << 5432 << u"u"_s << u"p"_s << u"natter"_s;
    QTest::newRow("no password") << u"postgres://natter@localhost/natter"_s << true << QString()
                                 << u"localhost"_s << 5432 << u"natter"_s << QString()
                                 << u"natter"_s;
    QTest::newRow("upper-case scheme") << u"POSTGRES://u:p@h/db"_s << true << QString() << u"h"_s
                                       << 5432 << u"u"_s << u"p"_s << u"db"_s;
}

void TestStore::urlParsesGoodUrls()
{
    QFETCH(QString, text);
    QFETCH(bool, postgres);
    QFETCH(QString, path);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, database);

    QString error = u"untouched"_s;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(text, &error);
    QVERIFY2(url, qPrintable(error));
    QCOMPARE(url->kind, postgres ? DatabaseUrl::Kind::Postgres : DatabaseUrl::Kind::Sqlite);
    QCOMPARE(url->path, path);
    if (postgres) {
        QCOMPARE(url->host, host);
        QCOMPARE(url->port, port);
        QCOMPARE(url->user, user);
        QCOMPARE(url->password, password);
        QCOMPARE(url->database, database);
    }
}

void TestStore::urlRejectsBadUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("hint"); // a word the error must contain

    QTest::newRow("empty") << QString() << u"empty"_s;
    QTest::newRow("other scheme") << u"mysql://u:hunter2@h/db"_s << u"sqlite:PATH"_s;
    QTest::newRow("bare path") << u"/var/lib/natter.db"_s << u"sqlite:PATH"_s;
    QTest::newRow("sqlite without path") << u"sqlite:"_s << u"path"_s;
    QTest::newRow("port not a number") << u"postgres://u:hunter2@h:port/db"_s << u"invalid"_s;
    QTest::newRow("port out of range") << u"postgres://u:hunter2@h:70000/db"_s << u"invalid"_s;
    QTest::newRow("port zero") << u"postgres://u:hunter2@h:0/db"_s << u"port"_s;
    QTest::newRow("no host") << u"postgres://u:hunter2@/db"_s << u"host"_s;
    QTest::newRow("no database") << u"postgres://u:hunter2@h:5432"_s << u"database"_s;
    QTest::newRow("empty database") << u"postgres://u:hunter2@h:5432/"_s << u"database"_s;
    QTest::newRow("nested path") << u"postgres://u:hunter2@h/db/x"_s << u"database"_s;
    QTest::newRow("query options")
        << u"postgres://u:hunter2@h/db?sslmode=require"_s << u"options"_s;
    QTest::newRow("bad percent escape") << u"postgres://u:hunter2%zz@h/db"_s << u"invalid"_s;
}

void TestStore::urlRejectsBadUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, hint);

    QString error;
    QVERIFY(!DatabaseUrl::parse(text, &error));
    QVERIFY2(error.contains(hint), qPrintable(error));
    QVERIFY2(!error.contains(u"hunter2"_s), "an error text must not leak the password");
    QVERIFY(!DatabaseUrl::parse(text)); // no error pointer: still no crash
}

void TestStore::urlDisplayHidesPassword()
{
    const auto url = DatabaseUrl::parse(u"postgres://natter:s3cret@db:5433/chat"_s);
    QVERIFY(url);
    QCOMPARE(url->toDisplayString(), u"postgres://natter@db:5433/chat"_s);
    QCOMPARE(DatabaseUrl::sqlite(u"/tmp/n.db"_s).toDisplayString(), u"sqlite:/tmp/n.db"_s);
    const auto decoded = DatabaseUrl::parse(u"postgresql://n%40tter:x@h/db"_s);
    QVERIFY(decoded);
    QVERIFY(!decoded->toDisplayString().contains(u":x@"_s));
    QCOMPARE(decoded->toDisplayString(), u"postgres://n%40tter@h:5432/db"_s);
}

// --- opening and migrations -------------------------------------------------------

void TestStore::migrationsApplyOnce()
{
    QVERIFY(m_store->isOpen());
    QVERIFY(Store::latestSchemaVersion() >= 1);
    QCOMPARE(m_store->schemaVersion(), Store::latestSchemaVersion());
    QCOMPARE(m_store->driverName(), driverFor(m_url));

    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
        Store::latestSchemaVersion());
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM rooms WHERE is_lobby = 1"_s).toInt(), 1);
    if (m_url.kind == DatabaseUrl::Kind::Sqlite)
        QCOMPARE(raw.value(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);

    const auto lobby = m_store->lobby();
    QVERIFY2(lobby, qPrintable(m_store->lastErrorText()));
    QCOMPARE(lobby->name, u"Lobby"_s);
    COMPARE_DOMAIN(lobby->kind, RoomKind::Group);
    QVERIFY(lobby->isLobby);
    QCOMPARE(lobby->createdBy, qint64(0));
    QVERIFY(!lobby->uuid.isNull());
    QVERIFY(lobby->createdAt.isValid());
    QCOMPARE(m_store->roomByUuid(lobby->uuid)->id, lobby->id);
}

void TestStore::reopenKeepsDataAndVersion()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Book club"_s, alice);
    QVERIFY(group);
    const QUuid lobbyUuid = m_store->lobby()->uuid;

    m_store->close();
    QVERIFY(!m_store->isOpen());
    QCOMPARE(m_store->lastError(), StoreError::None);

    // Re-open the same object, then a brand-new store on the same database.
    QVERIFY2(m_store->open(m_url), qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->schemaVersion(), Store::latestSchemaVersion());
    QCOMPARE(m_store->userByName(u"alice"_s)->id, alice); // fresh statements after re-open
    Store other;
    QVERIFY2(other.open(m_url), qPrintable(other.lastErrorText()));
    QCOMPARE(other.schemaVersion(), Store::latestSchemaVersion());

    const auto found = other.userByName(u"alice"_s);
    QVERIFY(found);
    QCOMPARE(found->id, alice);
    QCOMPARE(other.roomById(group)->name, u"Book club"_s);
    QCOMPARE(other.lobby()->uuid, lobbyUuid);
    COMPARE_DOMAIN(other.membership(other.lobby()->id, alice)->state, MembershipState::Active);

    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
        Store::latestSchemaVersion());
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM rooms WHERE is_lobby = 1"_s).toInt(), 1);
}

void TestStore::refusesNewerSchema()
{
    {
        RawConnection raw(m_url);
        QVERIFY(
            raw.exec(u"INSERT INTO schema_migrations (version, description, applied_at) "
                     "VALUES (%1, 'from the future', 0)"_s.arg(Store::latestSchemaVersion() + 1)));
    }
    Store newer;
    QVERIFY(!newer.open(m_url));
    QVERIFY(!newer.isOpen());
    QCOMPARE(newer.lastError(), StoreError::Database);
    QVERIFY2(newer.lastErrorText().contains(u"newer"_s), qPrintable(newer.lastErrorText()));
}

// Version 1 kept one receipt per message and recipient; version 2 turns them
// into per-member marks and numbers each room's messages.
void TestStore::migrationTurnsReceiptsIntoMarks()
{
    QVERIFY(!m_store); // init() left this database empty
    const bool sqlite = m_url.kind == DatabaseUrl::Kind::Sqlite;
    const QList<migrations::Migration> all
        = migrations::all(sqlite ? migrations::Dialect::Sqlite : migrations::Dialect::Postgres);
    QVERIFY(all.size() >= 2);
    const migrations::Migration &initial = all.constFirst();
    QCOMPARE(initial.version, 1);

    const qint64 t0 = 1'700'000'000'000; // 2023-11-14
    qint64 lobby = 0, alice = 0, bob = 0, carol = 0, group = 0, direct = 0;
    QList<qint64> groupIds, directIds; // in id order
    struct OldReceipt
    {
        qint64 messageId = 0;
        qint64 userId = 0;
        QString status;
    };
    QList<OldReceipt> receipts;
    QHash<QPair<qint64, qint64>, int> oldUnread; // (room, user) → receipts not read
    {
        RawConnection raw(m_url);
        for (const migrations::Statement &statement : initial.statements) {
            QVERIFY2(statement.bindings.isEmpty() ? raw.exec(statement.sql)
                                                  : raw.exec(statement.sql, statement.bindings),
                qPrintable(statement.sql));
        }
        QVERIFY(raw.exec(migrations::createMigrationTableSql()));
        QVERIFY(raw.exec(u"INSERT INTO schema_migrations (version, description, applied_at) "
                         "VALUES (1, :description, :applied)"_s,
            {{u":description"_s, initial.description}, {u":applied"_s, t0}}));
        QVERIFY(raw.exec(u"SELECT COUNT(*) FROM receipts"_s)); // the old table is there

        lobby = raw.value(u"SELECT id FROM rooms WHERE is_lobby = 1"_s).toLongLong();
        QVERIFY(lobby);
        const auto insertId = [&](const QString &sql) {
            return raw.value(sql + u" RETURNING id"_s).toLongLong();
        };
        const auto user = [&](const QString &name) {
            return insertId(u"INSERT INTO users (uuid, username, display_name, password_hash, role, "
                             "created_at) VALUES ('%1', '%2', '%3', 'h', 'user', %4)"_s
                                .arg(QUuid::createUuid().toString(QUuid::WithoutBraces), name,
                                    name.toUpper(), QString::number(t0)));
        };
        const auto room = [&](const QString &kind, const QString &name, qint64 creator,
                              const QString &key, qint64 at) {
            return insertId(u"INSERT INTO rooms (uuid, kind, name, created_by, is_lobby, direct_key, "
                             "created_at) VALUES ('%1', '%2', '%3', %4, 0, %5, %6)"_s
                                .arg(QUuid::createUuid().toString(QUuid::WithoutBraces), kind, name,
                                    QString::number(creator),
                                    key.isEmpty() ? u"NULL"_s : u"'%1'"_s.arg(key),
                                    QString::number(at)));
        };
        const auto join = [&](qint64 roomId, qint64 userId, qint64 since) {
            return raw.exec(u"INSERT INTO memberships (room_id, user_id, state, since) "
                             "VALUES (%1, %2, 'active', %3)"_s.arg(roomId).arg(userId).arg(since));
        };
        const auto message = [&](qint64 roomId, qint64 senderId, const QString &body, qint64 at) {
            return insertId(u"INSERT INTO messages (room_id, sender_id, kind, body, client_id, "
                             "created_at) VALUES (%1, %2, 'text', '%3', 'old-%3', %4)"_s
                                .arg(QString::number(roomId), QString::number(senderId), body,
                                    QString::number(at)));
        };
        const auto receipt = [&](qint64 messageId, qint64 at, qint64 userId, const QString &status) {
            // Delivered 100 ms after sending, read 100 ms later.
            const bool delivered = status != u"sent"_s;
            const bool read = status == u"read"_s;
            return raw.exec(u"INSERT INTO receipts (message_id, user_id, status, delivered_at, read_at) "
                             "VALUES (%1, %2, '%3', %4, %5)"_s
                                .arg(QString::number(messageId), QString::number(userId), status,
                                    delivered ? QString::number(at + 100) : u"NULL"_s,
                                    read ? QString::number(at + 200) : u"NULL"_s));
        };

        alice = user(u"alice"_s);
        bob = user(u"bob"_s);
        carol = user(u"carol"_s);
        QVERIFY(alice && bob && carol);
        group = room(u"group"_s, u"Old group"_s, alice, QString(), t0 + 10);
        direct = room(u"direct"_s, QString(), alice, u"%1:%2"_s.arg(alice).arg(bob), t0 + 20);
        QVERIFY(group && direct);
        for (qint64 member : {alice, bob, carol})
            QVERIFY(join(lobby, member, t0));
        QVERIFY(join(group, alice, t0 + 10));
        QVERIFY(join(group, bob, t0 + 10));
        QVERIFY(join(group, carol, t0 + 1500)); // after g1: she never got it
        QVERIFY(join(direct, alice, t0 + 20));
        QVERIFY(join(direct, bob, t0 + 20));

        // Ids interleave the rooms; each member's receipts are monotone in the
        // room's order (nothing read above something unread), so per-member
        // marks describe them exactly.
        const struct
        {
            bool inGroup;
            qint64 sender;
            const char *body;
            QList<std::pair<qint64, const char *>> receipts;
        } history[] = {
            {true, alice, "g1", {{bob, "read"}}},
            {false, alice, "d1", {{bob, "read"}}},
            {true, bob, "g2", {{alice, "read"}, {carol, "delivered"}}},
            {true, alice, "g3", {{bob, "read"}, {carol, "sent"}}},
            {false, bob, "d2", {{alice, "sent"}}},
            {true, carol, "g4", {{alice, "sent"}, {bob, "delivered"}}},
            {false, alice, "d3", {{bob, "delivered"}}},
            {true, alice, "g5", {{bob, "sent"}, {carol, "sent"}}},
        };
        qint64 at = t0;
        for (const auto &entry : history) {
            at += 1000;
            const qint64 id = message(entry.inGroup ? group : direct, entry.sender,
                QString::fromLatin1(entry.body), at);
            QVERIFY2(id, entry.body);
            (entry.inGroup ? groupIds : directIds).append(id);
            for (const auto &[userId, status] : entry.receipts)
                QVERIFY(receipt(id, at, userId, QString::fromLatin1(status)));
        }

        for (const QVariantList &row : raw.rows(u"SELECT message_id, user_id, status FROM receipts "
                                                "ORDER BY message_id, user_id"_s))
            receipts.append({row[0].toLongLong(), row[1].toLongLong(), row[2].toString()});
        QCOMPARE(receipts.size(), 12);
        for (const QVariantList &row : raw.rows(
                 u"SELECT m.room_id, r.user_id, COUNT(*) FROM receipts r "
                 "JOIN messages m ON m.id = r.message_id WHERE r.status <> 'read' "
                 "GROUP BY m.room_id, r.user_id"_s))
            oldUnread.insert({row[0].toLongLong(), row[1].toLongLong()}, row[2].toInt());
        QCOMPARE(oldUnread.size(), 5);
    }

    // Opening the store applies the rest.
    m_store = std::make_unique<Store>();
    QVERIFY2(m_store->open(m_url), qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->schemaVersion(), Store::latestSchemaVersion());

    // Seqs 1..n per room, in id order.
    for (const auto &[roomId, ids] : {std::pair(group, groupIds), std::pair(direct, directIds)}) {
        const QList<MessageRecord> history = m_store->messagesAfter(roomId, 0, 100);
        QCOMPARE(idsOf(history), ids);
        for (qsizetype i = 0; i < history.size(); ++i)
            QCOMPARE(history[i].seq, qint64(i + 1));
        QCOMPARE(m_store->lastSeq(roomId), qint64(ids.size()));
    }
    QCOMPARE(bodiesOf(m_store->messages(group, 10)),
        (QStringList {u"g5"_s, u"g4"_s, u"g3"_s, u"g2"_s, u"g1"_s}));
    QCOMPARE(m_store->messageByClientId(alice, u"old-g5"_s)->seq, qint64(5));
    QCOMPARE(m_store->messageByClientId(bob, u"old-d2"_s)->seq, qint64(2));

    // Marks: the highest delivered (or read) and the highest read seq per room and member.
    const auto expectMark = [&](qint64 roomId, qint64 userId, qint64 delivered, qint64 read,
                                qint64 deliveredAt, qint64 readAt) {
        const auto mark = m_store->mark(roomId, userId);
        QVERIFY2(mark, qPrintable(u"room %1 user %2: %3"_s.arg(roomId).arg(userId).arg(
                           m_store->lastErrorText())));
        QCOMPARE(mark->deliveredUpTo, delivered);
        QCOMPARE(mark->readUpTo, read);
        QCOMPARE(mark->deliveredAt, QDateTime::fromMSecsSinceEpoch(deliveredAt, Qt::UTC));
        if (readAt)
            QCOMPARE(mark->readAt, QDateTime::fromMSecsSinceEpoch(readAt, Qt::UTC));
        else
            QVERIFY(!mark->readAt.isValid());
    };
    expectMark(group, bob, 4, 3, t0 + 6100, t0 + 4200);
    expectMark(group, carol, 2, 0, t0 + 3100, 0);
    expectMark(group, alice, 2, 2, t0 + 3100, t0 + 3200);
    expectMark(direct, bob, 3, 1, t0 + 7100, t0 + 2200);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!m_store->mark(direct, alice)); // only "sent": nothing received
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QCOMPARE(userIdsOf(m_store->marks(group)), (QList<qint64> {alice, bob, carol}));
    QCOMPARE(userIdsOf(m_store->marks(direct)), QList<qint64> {bob});

    // Every old message shows each recipient the status its receipt had.
    for (const OldReceipt &old : std::as_const(receipts)) {
        const auto message = m_store->messageById(old.messageId);
        QVERIFY(message);
        const MarkRecord mark = m_store->mark(message->roomId, old.userId).value_or(MarkRecord {});
        QCOMPARE(natter::toString(mark.statusOf(message->seq)), old.status);
    }

    // Unread counts are what the receipts said.
    for (qint64 roomId : {lobby, group, direct}) {
        for (qint64 userId : {alice, bob, carol})
            QCOMPARE(m_store->unreadCount(roomId, userId), oldUnread.value({roomId, userId}, 0));
    }
    QCOMPARE(m_store->unreadCount(group, carol), 3); // g2, g3, g5: g1 was before she joined
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{group, 2}, {direct, 1}}));
    QCOMPARE(m_store->unreadCounts(alice), (QHash<qint64, int> {{group, 1}, {direct, 1}}));
    QCOMPARE(m_store->unreadCounts(carol), (QHash<qint64, int> {{group, 3}}));
    QCOMPARE(m_store->lastError(), StoreError::None);

    {
        RawConnection raw(m_url);
        const QString tableCount = sqlite
            ? u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%1'"_s
            : u"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '%1'"_s;
        QCOMPARE(raw.value(tableCount.arg(u"receipts"_s)).toInt(), 0);
        QCOMPARE(raw.value(tableCount.arg(u"room_marks"_s)).toInt(), 1);
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM room_marks"_s).toInt(), 4);
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages WHERE seq IS NULL"_s).toInt(), 0);
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM schema_migrations"_s).toInt(),
            Store::latestSchemaVersion());
    }

    // The store carries on from there.
    QCOMPARE(m_store->userByName(u"carol"_s)->id, carol);
    const auto g6 = post(group, bob, u"g6"_s);
    QVERIFY(g6);
    QCOMPARE(g6->seq, qint64(6));
    const auto d4 = post(direct, alice, u"d4"_s);
    QVERIFY(d4);
    QCOMPARE(d4->seq, qint64(4));
    QCOMPARE(m_store->unreadCount(group, alice), 2); // g4, g6
    QVERIFY(m_store->advanceMark({group, carol, DeliveryStatus::Read, 6, QDateTime()}));
    QCOMPARE(m_store->unreadCount(group, carol), 0);
    const auto movedOn = m_store->advanceMark({group, bob, DeliveryStatus::Read, 5, QDateTime()});
    QVERIFY(movedOn);
    QCOMPARE(movedOn->deliveredUpTo, qint64(5));

    // Re-opening migrates nothing again.
    m_store->close();
    QVERIFY2(m_store->open(m_url), qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->schemaVersion(), Store::latestSchemaVersion());
    QCOMPARE(m_store->mark(group, carol)->readUpTo, qint64(6));
    QCOMPARE(seqsOf(m_store->messagesAfter(group, 3, 10)), (QList<qint64> {4, 5, 6}));
}

void TestStore::storageFormat()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    const auto user = m_store->userById(alice);
    QVERIFY(user);

    RawConnection raw(m_url);
    const QString where = u" FROM users WHERE id = %1"_s.arg(alice);
    // UUIDs as text without braces; times as integer milliseconds (UTC).
    QCOMPARE(
        raw.value(u"SELECT uuid"_s + where).toString(), user->uuid.toString(QUuid::WithoutBraces));
    const qint64 created = raw.value(u"SELECT created_at"_s + where).toLongLong();
    QVERIFY(created >= before && created <= after);
    QCOMPARE(user->createdAt.toMSecsSinceEpoch(), created);
    QCOMPARE(user->createdAt.timeSpec(), Qt::UTC);
    QVERIFY(raw.value(u"SELECT last_seen IS NULL"_s + where).toBool());
}

void TestStore::twoStoresInOneProcess()
{
    Store second;
    QVERIFY2(second.open(m_url), qPrintable(second.lastErrorText()));
    QCOMPARE(m_store->users().size(), 0);
    QCOMPARE(second.users().size(), 0);

    // Each store sees the other's commits: no stale snapshot is kept open.
    QVERIFY(newUser(u"alice"_s));
    QVERIFY(second.userByName(u"alice"_s));
    QVERIFY(second.createUser(u"bob"_s, u"Bob"_s, "h", UserRole::User));
    QCOMPARE(m_store->users().size(), 2);
    QCOMPARE(second.users().size(), 2);

    second.close();
    QVERIFY(m_store->isOpen());
    QVERIFY(m_store->userByName(u"bob"_s));
}

void TestStore::openFailsCleanly()
{
    DatabaseUrl bad = m_url;
    if (bad.kind == DatabaseUrl::Kind::Sqlite) {
        QFile blocker(m_dir->filePath(u"a-file"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        bad.path = m_dir->filePath(u"a-file/natter.db"_s); // its "directory" is a file
    } else {
        bad.port = 1; // nothing listens there
        bad.password = u"topsecret"_s;
    }
    Store store;
    QVERIFY(!store.open(bad));
    QVERIFY(!store.isOpen());
    QCOMPARE(store.lastError(), StoreError::Database);
    QVERIFY(!store.lastErrorText().isEmpty());
    QVERIFY(!store.lastErrorText().contains(u"topsecret"_s));
    // A failed open leaves the store usable for a good one.
    QVERIFY2(store.open(m_url), qPrintable(store.lastErrorText()));
    QCOMPARE(store.lastError(), StoreError::None);
}

void TestStore::closedStoreReportsErrors()
{
    Store never;
    QVERIFY(!never.isOpen());
    QCOMPARE(never.schemaVersion(), 0);
    QVERIFY(!never.createUser(u"alice"_s, u"A"_s, "h", UserRole::User));
    QCOMPARE(never.lastError(), StoreError::Database);
    QVERIFY(never.users().isEmpty());
    QCOMPARE(never.messageCount(1), 0);
    QCOMPARE(never.lastError(), StoreError::Database);

    m_store->close();
    QVERIFY(!m_store->lobby());
    QCOMPARE(m_store->lastError(), StoreError::Database);
    QVERIFY(!m_store->markNotificationsRead(1));
}

// --- users and sessions -----------------------------------------------------------

void TestStore::createAndFindUsers()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QByteArray binaryHash("\x00\x01\xfe\xff$argon2id$", 14);
    const auto alice
        = m_store->createUser(u"alice"_s, u"Zoë 🚀 Alice"_s, binaryHash, UserRole::Tutor);
    QVERIFY2(alice, qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QVERIFY(alice->id > 0);
    QVERIFY(!alice->uuid.isNull());
    QCOMPARE(alice->username, u"alice"_s);
    QCOMPARE(alice->displayName, u"Zoë 🚀 Alice"_s);
    QCOMPARE(alice->passwordHash, binaryHash);
    COMPARE_DOMAIN(alice->role, UserRole::Tutor);
    QVERIFY(alice->createdAt >= before);
    QVERIFY(alice->createdAt <= QDateTime::currentDateTimeUtc());
    QVERIFY(!alice->lastSeen.isValid());

    const auto bob = m_store->createUser(u"bob"_s, QString(), QByteArray(), UserRole::User);
    QVERIFY2(bob, qPrintable(m_store->lastErrorText()));
    QVERIFY(bob->id > alice->id);
    QVERIFY(bob->uuid != alice->uuid);

    for (const auto &found : {m_store->userById(alice->id), m_store->userByUuid(alice->uuid),
             m_store->userByName(u"alice"_s)}) {
        QVERIFY(found);
        QCOMPARE(found->id, alice->id);
        QCOMPARE(found->uuid, alice->uuid);
        QCOMPARE(found->username, alice->username);
        QCOMPARE(found->displayName, alice->displayName);
        QCOMPARE(found->passwordHash, binaryHash);
        COMPARE_DOMAIN(found->role, UserRole::Tutor);
        QCOMPARE(found->createdAt, alice->createdAt);
        QVERIFY(!found->lastSeen.isValid());
    }
    QCOMPARE(m_store->userById(bob->id)->displayName, QString());

    QVERIFY(!m_store->userByName(u"carol"_s));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->userById(999999));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->userByUuid(QUuid::createUuid()));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    QCOMPARE(idsOf(m_store->users()), (QList<qint64> {alice->id, bob->id}));
}

void TestStore::duplicateUsernameConflicts()
{
    QVERIFY(newUser(u"alice"_s));
    QVERIFY(!m_store->createUser(u"alice"_s, u"Another"_s, "h", UserRole::Admin));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);
    QVERIFY(!m_store->lastErrorText().isEmpty());

    // Nothing half-written: one user, one lobby membership.
    QCOMPARE(m_store->users().size(), 1);
    QCOMPARE(m_store->members(m_store->lobby()->id).size(), 1);
    QCOMPARE(m_store->userByName(u"alice"_s)->displayName, u"ALICE"_s);

    // The failed transaction left the connection usable.
    QVERIFY(newUser(u"bob"_s));
    QCOMPARE(m_store->lastError(), StoreError::None);
}

void TestStore::updateUsers()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);

    QVERIFY(m_store->setUserRole(alice, UserRole::Admin));
    COMPARE_DOMAIN(m_store->userById(alice)->role, UserRole::Admin);
    QVERIFY(m_store->setPasswordHash(alice, "new-hash"));
    QCOMPARE(m_store->userById(alice)->passwordHash, QByteArray("new-hash"));

    const QDateTime seen = utc(2024, 5, 6, 7, 8, 9, 123);
    QVERIFY(m_store->setLastSeen(alice, seen));
    QCOMPARE(m_store->userById(alice)->lastSeen, seen);
    QVERIFY(m_store->setLastSeen(alice, QDateTime()));
    QVERIFY(!m_store->userById(alice)->lastSeen.isValid());

    QVERIFY(!m_store->setUserRole(999999, UserRole::Admin));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->setPasswordHash(999999, "x"));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->setLastSeen(999999, seen));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::searchUsers()
{
    const auto alice = m_store->createUser(u"alice"_s, u"Alice Liddell"_s, "h", UserRole::User);
    const auto bob = m_store->createUser(u"bob"_s, u"Bob MALICE"_s, "h", UserRole::User);
    const auto percent = m_store->createUser(u"per%cent"_s, u"100% sure"_s, "h", UserRole::User);
    const auto under = m_store->createUser(u"un_der"_s, QString(), "h", UserRole::User);
    QVERIFY(alice && bob && percent && under);

    // Username or display name, any case; the excluded user never shows; by username.
    QCOMPARE(idsOf(m_store->searchUsers(u"aLi"_s, 0, 10)), (QList<qint64>{alice->id, bob->id}));
    QCOMPARE(idsOf(m_store->searchUsers(u"ali"_s, alice->id, 10)), QList<qint64>{bob->id});
    QCOMPARE(m_store->lastError(), StoreError::None);
    // Everyone, within the limit.
    QCOMPARE(idsOf(m_store->searchUsers(QString(), bob->id, 2)), (QList<qint64>{alice->id, percent->id}));
    QVERIFY(m_store->searchUsers(QString(), 0, 0).isEmpty());
    // LIKE's wildcards and the escape character are plain text.
    QCOMPARE(idsOf(m_store->searchUsers(u"%"_s, 0, 10)), QList<qint64>{percent->id});
    QCOMPARE(idsOf(m_store->searchUsers(u"n_d"_s, 0, 10)), QList<qint64>{under->id});
    QVERIFY(m_store->searchUsers(u"!"_s, 0, 10).isEmpty());
    QVERIFY(m_store->searchUsers(u"nobody"_s, 0, 10).isEmpty());
}

void TestStore::newUsersJoinLobby()
{
    const auto lobby = m_store->lobby();
    QVERIFY(lobby);
    QVERIFY(m_store->members(lobby->id).isEmpty());

    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);

    const auto membership = m_store->membership(lobby->id, alice);
    QVERIFY(membership);
    COMPARE_DOMAIN(membership->state, MembershipState::Active);
    QCOMPARE(membership->roomId, lobby->id);
    QCOMPARE(membership->since, m_store->userById(alice)->createdAt);
    QCOMPARE(userIdsOf(m_store->members(lobby->id)), (QList<qint64> {alice, bob}));
    QCOMPARE(idsOf(m_store->roomsOfUser(alice)), QList<qint64> {lobby->id});
}

void TestStore::sessions()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime expires = now.addSecs(3600);

    QVERIFY2(m_store->createSession(u"s1"_s, alice, expires), qPrintable(m_store->lastErrorText()));
    QVERIFY(m_store->sessionIsValid(u"s1"_s, alice, now));
    QVERIFY(!m_store->sessionIsValid(u"s1"_s, bob, now)); // someone else's
    QVERIFY(!m_store->sessionIsValid(u"s1"_s, alice, expires)); // expired at exp
    QVERIFY(!m_store->sessionIsValid(u"s1"_s, alice, now.addSecs(7200)));
    QVERIFY(!m_store->sessionIsValid(u"nope"_s, alice, now));
    QCOMPARE(m_store->lastError(), StoreError::None);

    QVERIFY(!m_store->createSession(u"s1"_s, bob, expires));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);
    QVERIFY(!m_store->createSession(u"s2"_s, 999999, expires)); // foreign keys are on
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    QVERIFY(m_store->createSession(u"s3"_s, alice, now.addSecs(-1)));
    QVERIFY(!m_store->sessionIsValid(u"s3"_s, alice, now));

    QVERIFY(m_store->deleteSession(u"s1"_s));
    QVERIFY(!m_store->sessionIsValid(u"s1"_s, alice, now));
    QVERIFY(!m_store->deleteSession(u"s1"_s));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

// --- rooms and memberships ---------------------------------------------------------

void TestStore::groups()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 lobby = m_store->lobby()->id;

    const auto group = m_store->createGroup(u"Book club"_s, alice);
    QVERIFY2(group, qPrintable(m_store->lastErrorText()));
    QVERIFY(group->id > lobby);
    COMPARE_DOMAIN(group->kind, RoomKind::Group);
    QCOMPARE(group->name, u"Book club"_s);
    QCOMPARE(group->createdBy, alice);
    QVERIFY(!group->isLobby);
    QVERIFY(!group->uuid.isNull());

    for (const auto &found : {m_store->roomById(group->id), m_store->roomByUuid(group->uuid)}) {
        QVERIFY(found);
        QCOMPARE(found->id, group->id);
        QCOMPARE(found->uuid, group->uuid);
        QCOMPARE(found->name, group->name);
        COMPARE_DOMAIN(found->kind, RoomKind::Group);
        QCOMPARE(found->createdBy, alice);
        QCOMPARE(found->createdAt, group->createdAt);
        QVERIFY(!found->isLobby);
    }
    COMPARE_DOMAIN(m_store->membership(group->id, alice)->state, MembershipState::Active);
    QCOMPARE(userIdsOf(m_store->members(group->id)), QList<qint64> {alice});
    QCOMPARE(idsOf(m_store->roomsOfUser(alice)), (QList<qint64> {lobby, group->id}));

    QVERIFY(!m_store->createGroup(u"Orphans"_s, 999999));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM rooms"_s).toInt(), 2); // rolled back

    QVERIFY(!m_store->roomById(999999));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->roomByUuid(QUuid::createUuid()));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::directRooms()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);

    QVERIFY(!m_store->directRoom(alice, bob));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    const auto room = m_store->createDirectRoom(alice, bob, MembershipState::Requested);
    QVERIFY2(room, qPrintable(m_store->lastErrorText()));
    COMPARE_DOMAIN(room->kind, RoomKind::Direct);
    QVERIFY(room->name.isEmpty());
    QCOMPARE(room->createdBy, alice);
    QVERIFY(!room->isLobby);

    QCOMPARE(m_store->directRoom(alice, bob)->id, room->id);
    QCOMPARE(m_store->directRoom(bob, alice)->id, room->id);
    COMPARE_DOMAIN(m_store->roomByUuid(room->uuid)->kind, RoomKind::Direct);
    COMPARE_DOMAIN(m_store->membership(room->id, alice)->state, MembershipState::Active);
    COMPARE_DOMAIN(m_store->membership(room->id, bob)->state, MembershipState::Requested);

    QVERIFY(!m_store->createDirectRoom(alice, bob));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);
    QVERIFY(!m_store->createDirectRoom(bob, alice));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);

    QVERIFY(!idsOf(m_store->roomsOfUser(bob)).contains(room->id));
    QCOMPARE(
        idsOf(m_store->roomsOfUser(bob, MembershipState::Requested)), QList<qint64> {room->id});

    const auto other = m_store->createDirectRoom(carol, alice);
    QVERIFY(other);
    QVERIFY(other->id != room->id);
    QCOMPARE(m_store->members(other->id, MembershipState::Active).size(), 2);
    QVERIFY(!m_store->directRoom(bob, carol));

    QVERIFY(!m_store->createDirectRoom(alice, 999999));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->directRoom(alice, 999999)); // rolled back
}

// Returns once the millisecond clock has moved on: a tick, not a sleep.
static void waitForClockTick()
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch();
    while (QDateTime::currentMSecsSinceEpoch() <= start) { }
}

void TestStore::memberships()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 group = newGroup(u"Band"_s, alice);
    QVERIFY(group);

    QVERIFY(m_store->setMembership(group, bob, MembershipState::Invited));
    const auto invited = m_store->membership(group, bob);
    QVERIFY(invited);
    COMPARE_DOMAIN(invited->state, MembershipState::Invited);
    QCOMPARE(userIdsOf(m_store->members(group)), (QList<qint64> {alice, bob}));
    QCOMPARE(userIdsOf(m_store->members(group, MembershipState::Invited)), QList<qint64> {bob});
    QCOMPARE(userIdsOf(m_store->members(group, MembershipState::Active)), QList<qint64> {alice});
    QVERIFY(!idsOf(m_store->roomsOfUser(bob)).contains(group));
    QCOMPARE(idsOf(m_store->roomsOfUser(bob, MembershipState::Invited)), QList<qint64> {group});

    waitForClockTick(); // so a restarted `since` is visibly later
    QVERIFY(m_store->setMembership(group, bob, MembershipState::Active));
    const auto active = m_store->membership(group, bob);
    COMPARE_DOMAIN(active->state, MembershipState::Active);
    QVERIFY(active->since > invited->since);
    waitForClockTick();
    QVERIFY(m_store->setMembership(group, bob, MembershipState::Active));
    QCOMPARE(m_store->membership(group, bob)->since, active->since); // unchanged state

    QVERIFY(m_store->setMembership(group, bob, MembershipState::Blocked));
    QVERIFY(!idsOf(m_store->roomsOfUser(bob)).contains(group));
    QCOMPARE(idsOf(m_store->roomsOfUser(bob, MembershipState::Blocked)), QList<qint64> {group});
    QCOMPARE(m_store->members(group).size(), 2); // updated, not added

    QVERIFY(m_store->removeMembership(group, bob));
    QVERIFY(!m_store->membership(group, bob));
    QVERIFY(!m_store->removeMembership(group, bob));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    QVERIFY(!m_store->membership(group, carol));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->setMembership(999999, carol, MembershipState::Active));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->setMembership(group, 999999, MembershipState::Active));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

// --- messages and marks ---------------------------------------------------------------

void TestStore::insertMessageTakesTheNextSeq()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 group = newGroup(u"Band"_s, alice, {bob, carol});
    const qint64 other = newGroup(u"Elsewhere"_s, bob);
    QVERIFY(group && other);
    QCOMPARE(m_store->lastSeq(group), qint64(0));
    QCOMPARE(m_store->lastError(), StoreError::None);

    NewMessage text;
    text.roomId = group;
    text.senderId = alice;
    text.body = u"hello ☕"_s;
    text.latitude = 1.5; // ignored: not a location
    text.clientId = u"c-1"_s;
    const auto stored = m_store->insertMessage(text);
    QVERIFY2(stored, qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QVERIFY(stored->id > 0);
    QCOMPARE(stored->roomId, group);
    QCOMPARE(stored->senderId, alice);
    COMPARE_DOMAIN(stored->kind, MessageKind::Text);
    QCOMPARE(stored->body, u"hello ☕"_s);
    QCOMPARE(stored->clientId, u"c-1"_s);
    QVERIFY(stored->createdAt.isValid());
    QCOMPARE(stored->seq, qint64(1));
    QCOMPARE(m_store->lastSeq(group), qint64(1));

    // Sending writes no per-recipient rows: nobody has a mark until they receive.
    QVERIFY(m_store->marks(group).isEmpty());
    QCOMPARE(m_store->lastError(), StoreError::None);
    QVERIFY(!m_store->mark(group, bob));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM room_marks"_s).toInt(), 0);

    for (const auto &found :
        {m_store->messageById(stored->id), m_store->messageByClientId(alice, u"c-1"_s)}) {
        QVERIFY(found);
        QCOMPARE(found->id, stored->id);
        QCOMPARE(found->body, stored->body);
        QCOMPARE(found->clientId, u"c-1"_s);
        QCOMPARE(found->createdAt, stored->createdAt);
        QCOMPARE(found->latitude, 0.0);
        QCOMPARE(found->seq, qint64(1));
    }
    QVERIFY(!m_store->messageByClientId(bob, u"c-1"_s));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->messageByClientId(alice, QString()));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    // Every room counts from 1 on its own.
    const auto elsewhere = post(other, bob, u"elsewhere"_s);
    QVERIFY(elsewhere);
    QCOMPARE(elsewhere->seq, qint64(1));

    NewMessage location;
    location.roomId = group;
    location.senderId = bob;
    location.kind = MessageKind::Location;
    location.latitude = 52.520008;
    location.longitude = -13.404954;
    const auto place = m_store->insertMessage(location);
    QVERIFY(place);
    QCOMPARE(place->seq, qint64(2));
    const auto placeFound = m_store->messageById(place->id);
    COMPARE_DOMAIN(placeFound->kind, MessageKind::Location);
    QCOMPARE(placeFound->latitude, 52.520008);
    QCOMPARE(placeFound->longitude, -13.404954);
    QVERIFY(placeFound->clientId.isEmpty());
    QCOMPARE(placeFound->seq, qint64(2));

    NewMessage stamp;
    stamp.roomId = group;
    stamp.senderId = carol;
    stamp.kind = MessageKind::Stamp;
    stamp.body = u"42"_s;
    const auto stamped = m_store->insertMessage(stamp);
    QVERIFY(stamped);
    QCOMPARE(stamped->seq, qint64(3));
    COMPARE_DOMAIN(m_store->messageById(stamped->id)->kind, MessageKind::Stamp);
    QCOMPARE(m_store->messageById(stamped->id)->body, u"42"_s);
    QCOMPARE(m_store->messageCount(group), 3);
    QCOMPARE(m_store->lastSeq(group), qint64(3));
    QCOMPARE(m_store->lastSeq(other), qint64(1));
    QCOMPARE(seqsOf(m_store->messagesAfter(group, 0, 10)), (QList<qint64> {1, 2, 3}));
    QVERIFY(m_store->marks(group).isEmpty());
}

void TestStore::duplicateClientIdConflicts()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 group = newGroup(u"Pair"_s, alice, {bob});
    const qint64 other = newGroup(u"Other"_s, alice);
    QVERIFY(group && other);

    const auto first = post(group, alice, u"original"_s, u"tmp-1"_s);
    QVERIFY(first);
    QCOMPARE(first->seq, qint64(1));

    NewMessage again;
    again.roomId = group;
    again.senderId = alice;
    again.body = u"resent after reconnect"_s;
    again.clientId = u"tmp-1"_s;
    QVERIFY(!m_store->insertMessage(again));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);

    // Nothing stored twice; the original answers a retry.
    QCOMPARE(m_store->messageCount(group), 1);
    const auto existing = m_store->messageByClientId(alice, u"tmp-1"_s);
    QVERIFY(existing);
    QCOMPARE(existing->id, first->id);
    QCOMPARE(existing->body, u"original"_s);
    QCOMPARE(existing->seq, qint64(1));
    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages"_s).toInt(), 1);
    // The refused message took no seq.
    QCOMPARE(m_store->lastSeq(group), qint64(1));

    // A client id is the sender's, whatever the room: still a duplicate, and
    // that room's seq does not move either.
    again.roomId = other;
    QVERIFY(!m_store->insertMessage(again));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);
    QCOMPARE(m_store->lastSeq(other), qint64(0));

    // The same client id from another sender is another message, with the next seq: no gap.
    const auto bobs = post(group, bob, u"mine"_s, u"tmp-1"_s);
    QVERIFY(bobs);
    QCOMPARE(bobs->seq, qint64(2));
    QCOMPARE(m_store->messageCount(group), 2);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages"_s).toInt(), 2);
    QCOMPARE(seqsOf(m_store->messagesAfter(group, 0, 10)), (QList<qint64> {1, 2}));
    const auto inOther = post(other, alice, u"first here"_s);
    QVERIFY(inOther);
    QCOMPARE(inOther->seq, qint64(1));
}

void TestStore::emptyClientIdsNeverConflict()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Solo"_s, alice);
    QVERIFY(group);

    for (int i = 0; i < 3; ++i)
        QVERIFY(send(group, alice, u"same"_s, QString()));
    QCOMPARE(m_store->messageCount(group), 3);
    for (const MessageRecord &message : m_store->messages(group, 10))
        QVERIFY(message.clientId.isEmpty());
    QCOMPARE(seqsOf(m_store->messages(group, 10)), (QList<qint64> {3, 2, 1}));

    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages WHERE client_id IS NULL"_s).toInt(), 3);
}

void TestStore::unknownReferencesRollBack()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Solo"_s, alice);
    QVERIFY(group);

    NewMessage message;
    message.roomId = group;
    message.senderId = 999999;
    message.body = u"from a ghost"_s;
    QVERIFY(!m_store->insertMessage(message));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QCOMPARE(m_store->messageCount(group), 0);
    QCOMPARE(m_store->lastSeq(group), qint64(0));

    message.senderId = alice;
    message.roomId = 999999;
    QVERIFY(!m_store->insertMessage(message));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    // Marks need a real room and user, too.
    QVERIFY(!m_store->advanceMark({group, 999999, DeliveryStatus::Read, 1, QDateTime()}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->advanceMark({999999, alice, DeliveryStatus::Delivered, 1, QDateTime()}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(m_store->marks(group).isEmpty());

    // The failures took nothing: the first message is seq 1.
    message.roomId = group;
    const auto stored = m_store->insertMessage(message);
    QVERIFY2(stored, qPrintable(m_store->lastErrorText()));
    QCOMPARE(stored->seq, qint64(1));
    QCOMPARE(m_store->messageCount(group), 1);
}

void TestStore::paginationNewestFirst()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"History"_s, alice);
    const qint64 quiet = newGroup(u"Quiet"_s, alice);
    QVERIFY(group && quiet);
    for (int i = 1; i <= 25; ++i)
        QVERIFY(send(group, alice, u"m%1"_s.arg(i)));

    const auto bodies = [](int from, int to) { // from down to `to`
        QStringList list;
        for (int i = from; i >= to; --i)
            list.append(u"m%1"_s.arg(i));
        return list;
    };
    QCOMPARE(bodiesOf(m_store->messages(group, 10)), bodies(25, 16));
    QCOMPARE(bodiesOf(m_store->messages(group, 10, 10)), bodies(15, 6));
    QCOMPARE(bodiesOf(m_store->messages(group, 10, 20)), bodies(5, 1));
    QVERIFY(m_store->messages(group, 10, 25).isEmpty());
    QVERIFY(m_store->messages(group, 0).isEmpty());
    QCOMPARE(bodiesOf(m_store->messages(group, 3, -4)), bodies(25, 23));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QCOMPARE(seqsOf(m_store->messages(group, 3, 1)), (QList<qint64> {24, 23, 22}));

    QCOMPARE(m_store->messageCount(group), 25);
    QCOMPARE(m_store->lastMessage(group)->body, u"m25"_s);
    QCOMPARE(m_store->lastMessage(group)->seq, qint64(25));
    QCOMPARE(m_store->lastSeq(group), qint64(25));
    QVERIFY(m_store->messages(quiet, 10).isEmpty());
    QCOMPARE(m_store->messageCount(quiet), 0);
    QCOMPARE(m_store->lastSeq(quiet), qint64(0));
    QVERIFY(!m_store->lastMessage(quiet));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::pagingBySeq()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 group = newGroup(u"History"_s, alice, {bob});
    const qint64 other = newGroup(u"Elsewhere"_s, bob);
    QVERIFY(group && other);
    QList<qint64> ids; // of the group's messages, ids[i] has seq i + 1
    for (int i = 1; i <= 25; ++i) {
        const auto stored = post(group, i % 3 ? alice : bob, u"m%1"_s.arg(i));
        QVERIFY(stored);
        QCOMPARE(stored->seq, qint64(i));
        ids.append(stored->id);
        if (i % 2)
            QVERIFY(send(other, bob, u"noise %1"_s.arg(i))); // ids and seqs part ways
    }
    const auto seqs = [](qint64 from, qint64 to) { // from → to, either direction
        QList<qint64> list;
        for (qint64 s = from; from <= to ? s <= to : s >= to; s += from <= to ? 1 : -1)
            list.append(s);
        return list;
    };

    // Backwards from the newest (0) or from a seq, exclusive.
    QCOMPARE(seqsOf(m_store->messagesBefore(group, 0, 10)), seqs(25, 16));
    QCOMPARE(idsOf(m_store->messagesBefore(group, 0, 10)), idsOf(m_store->messages(group, 10)));
    QCOMPARE(seqsOf(m_store->messagesBefore(group, 16, 10)), seqs(15, 6));
    QCOMPARE(seqsOf(m_store->messagesBefore(group, 6, 10)), seqs(5, 1));
    QCOMPARE(seqsOf(m_store->messagesBefore(group, 26, 3)), seqs(25, 23));
    QCOMPARE(seqsOf(m_store->messagesBefore(group, 1000, 2)), seqs(25, 24));
    QVERIFY(m_store->messagesBefore(group, 1, 10).isEmpty());
    QVERIFY(m_store->messagesBefore(group, 0, 0).isEmpty());
    QCOMPARE(m_store->messagesBefore(group, 11, 1).constFirst().id, ids[9]);
    QCOMPARE(m_store->lastError(), StoreError::None);

    // Walking back page by page visits every message once, newest first.
    QList<qint64> walked;
    qint64 before = 0;
    int pages = 0;
    for (;;) {
        const QList<MessageRecord> page = m_store->messagesBefore(group, before, 10);
        if (page.isEmpty())
            break;
        ++pages;
        for (const MessageRecord &message : page) {
            QCOMPARE(message.roomId, group);
            walked.append(message.id);
        }
        before = page.constLast().seq;
    }
    QCOMPARE(pages, 3);
    QList<qint64> newestFirst = ids;
    std::reverse(newestFirst.begin(), newestFirst.end());
    QCOMPARE(walked, newestFirst);

    // messages(offset) is the same keyset: `offset` below the newest.
    QCOMPARE(seqsOf(m_store->messages(group, 10, 5)), seqs(20, 11));
    QCOMPARE(idsOf(m_store->messages(group, 10, 5)), idsOf(m_store->messagesBefore(group, 21, 10)));
    QCOMPARE(seqsOf(m_store->messages(group, 10, 24)), QList<qint64> {1});
    QVERIFY(m_store->messages(group, 10, 25).isEmpty());

    // Forwards, oldest first, page by page.
    QList<qint64> forwards;
    qint64 after = 0;
    for (;;) {
        const QList<MessageRecord> page = m_store->messagesAfter(group, after, 7);
        if (page.isEmpty())
            break;
        QVERIFY(page.size() <= 7);
        for (const MessageRecord &message : page)
            forwards.append(message.id);
        after = page.constLast().seq;
    }
    QCOMPARE(forwards, ids);
    QCOMPARE(seqsOf(m_store->messagesAfter(group, 20, 100)), seqs(21, 25));
    QVERIFY(m_store->messagesAfter(group, 25, 10).isEmpty());
    QCOMPARE(bodiesOf(m_store->messagesAfter(other, 0, 2)), (QStringList {u"noise 1"_s, u"noise 3"_s}));
    QCOMPARE(seqsOf(m_store->messagesAfter(other, 0, 100)), seqs(1, 13));
    QCOMPARE(m_store->lastError(), StoreError::None);
}

void TestStore::messagesAfter()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Catch-up"_s, alice);
    const qint64 other = newGroup(u"Elsewhere"_s, alice);
    QVERIFY(group && other);
    QList<qint64> ids;
    QList<qint64> seqs;
    for (int i = 0; i < 10; ++i) {
        const auto stored = post(group, alice, u"m%1"_s.arg(i));
        QVERIFY(stored);
        ids.append(stored->id);
        seqs.append(stored->seq);
        QVERIFY(send(other, alice, u"noise"_s)); // interleaved ids of another room
    }
    QCOMPARE(seqs, (QList<qint64> {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

    QCOMPARE(idsOf(m_store->messagesAfter(group, seqs[3], 4)), ids.mid(4, 4));
    QCOMPARE(idsOf(m_store->messagesAfter(group, 0, 100)), ids);
    QVERIFY(m_store->messagesAfter(group, seqs[9], 10).isEmpty());
    QVERIFY(m_store->messagesAfter(group, 0, 0).isEmpty());
}

void TestStore::marksOnlyMoveForward()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 group = newGroup(u"Band"_s, alice, {bob, carol});
    QVERIFY(group);
    for (int i = 1; i <= 3; ++i)
        QVERIFY(send(group, alice, u"did you get this? (%1)"_s.arg(i)));
    const QDateTime t1 = utc(2024, 1, 2, 3, 4, 5, 600);
    const QDateTime t2 = t1.addSecs(60);
    const QDateTime t3 = t2.addSecs(60);
    const QDateTime t4 = t3.addSecs(60);

    QVERIFY(!m_store->mark(group, bob));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    const auto delivered = m_store->advanceMark({group, bob, DeliveryStatus::Delivered, 1, t1});
    QVERIFY2(delivered, qPrintable(m_store->lastErrorText()));
    QCOMPARE(delivered->roomId, group);
    QCOMPARE(delivered->userId, bob);
    QCOMPARE(delivered->deliveredUpTo, qint64(1));
    QCOMPARE(delivered->readUpTo, qint64(0));
    QCOMPARE(delivered->deliveredAt, t1);
    QVERIFY(!delivered->readAt.isValid());
    COMPARE_DOMAIN(delivered->statusOf(1), DeliveryStatus::Delivered);
    COMPARE_DOMAIN(delivered->statusOf(2), DeliveryStatus::Sent);
    const auto stored = m_store->mark(group, bob);
    QVERIFY(stored);
    QCOMPARE(stored->deliveredUpTo, qint64(1));
    QCOMPARE(stored->deliveredAt, t1);
    QVERIFY(!stored->readAt.isValid());

    QVERIFY(!m_store->advanceMark({group, bob, DeliveryStatus::Delivered, 1, t2}));
    QCOMPARE(m_store->lastError(), StoreError::None); // unchanged, not an error
    QCOMPARE(m_store->mark(group, bob)->deliveredAt, t1);

    const auto read = m_store->advanceMark({group, bob, DeliveryStatus::Read, 1, t2});
    QVERIFY(read);
    QCOMPARE(read->deliveredUpTo, qint64(1));
    QCOMPARE(read->readUpTo, qint64(1));
    QCOMPARE(read->deliveredAt, t1); // delivered did not move
    QCOMPARE(read->readAt, t2);
    COMPARE_DOMAIN(read->statusOf(1), DeliveryStatus::Read);

    // Nothing moves back, and only delivery and reading move a mark.
    const QList<std::pair<DeliveryStatus, qint64>> stale {{DeliveryStatus::Delivered, 1},
        {DeliveryStatus::Read, 1}, {DeliveryStatus::Sent, 3}, {DeliveryStatus::Sending, 3},
        {DeliveryStatus::Failed, 3}, {DeliveryStatus::Delivered, 0}, {DeliveryStatus::Read, -1}};
    for (const auto &[status, seq] : stale) {
        QVERIFY(!m_store->advanceMark({group, bob, status, seq, t3}));
        QCOMPARE(m_store->lastError(), StoreError::None);
    }
    const auto stillRead = m_store->mark(group, bob);
    QCOMPARE(stillRead->deliveredUpTo, qint64(1));
    QCOMPARE(stillRead->readUpTo, qint64(1));
    QCOMPARE(stillRead->deliveredAt, t1);
    QCOMPARE(stillRead->readAt, t2);

    const auto further = m_store->advanceMark({group, bob, DeliveryStatus::Delivered, 3, t3});
    QVERIFY(further);
    QCOMPARE(further->deliveredUpTo, qint64(3));
    QCOMPARE(further->readUpTo, qint64(1));
    QCOMPARE(further->deliveredAt, t3);
    QCOMPARE(further->readAt, t2);
    COMPARE_DOMAIN(further->statusOf(1), DeliveryStatus::Read);
    COMPARE_DOMAIN(further->statusOf(2), DeliveryStatus::Delivered);
    COMPARE_DOMAIN(further->statusOf(3), DeliveryStatus::Delivered);
    COMPARE_DOMAIN(further->statusOf(4), DeliveryStatus::Sent);

    // Reading behind the delivered mark moves only the read mark.
    const auto readMore = m_store->advanceMark({group, bob, DeliveryStatus::Read, 2, t4});
    QVERIFY(readMore);
    QCOMPARE(readMore->deliveredUpTo, qint64(3));
    QCOMPARE(readMore->readUpTo, qint64(2));
    QCOMPARE(readMore->deliveredAt, t3);
    QCOMPARE(readMore->readAt, t4);
    QVERIFY(!m_store->advanceMark({group, bob, DeliveryStatus::Delivered, 2, t4}));
    QVERIFY(!m_store->advanceMark({group, bob, DeliveryStatus::Read, 1, t4}));
    QCOMPARE(m_store->lastError(), StoreError::None);
    const auto settled = m_store->mark(group, bob);
    QCOMPARE(settled->deliveredUpTo, qint64(3));
    QCOMPARE(settled->readUpTo, qint64(2));
    QCOMPARE(settled->deliveredAt, t3);
    QCOMPARE(settled->readAt, t4);

    // Straight to read: read implies delivered.
    const auto skipped = m_store->advanceMark({group, carol, DeliveryStatus::Read, 2, t3});
    QVERIFY(skipped);
    QCOMPARE(skipped->deliveredUpTo, qint64(2));
    QCOMPARE(skipped->readUpTo, qint64(2));
    QCOMPARE(skipped->deliveredAt, t3);
    QCOMPARE(skipped->readAt, t3);
    QCOMPARE(m_store->mark(group, carol)->deliveredAt, t3);
    QCOMPARE(userIdsOf(m_store->marks(group)), (QList<qint64> {bob, carol}));

    // Without a time: now.
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const auto now = m_store->advanceMark({group, carol, DeliveryStatus::Read, 3, QDateTime()});
    QVERIFY(now);
    QVERIFY(now->readAt >= before);
    QVERIFY(now->readAt <= QDateTime::currentDateTimeUtc());
    QCOMPARE(now->deliveredAt, now->readAt);

    QVERIFY(!m_store->mark(group, alice)); // received nothing
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->advanceMark({group, 999999, DeliveryStatus::Read, 1, t3}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->advanceMark({999999, bob, DeliveryStatus::Read, 1, t3}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QCOMPARE(m_store->marks(group).size(), 2);
    QVERIFY(m_store->marks(999999).isEmpty());
}

void TestStore::unreadCount()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 group = newGroup(u"Pair"_s, alice, {bob});
    QVERIFY(group);

    QList<qint64> fromAlice; // seqs
    for (int i = 0; i < 3; ++i) {
        const auto stored = post(group, alice, u"a%1"_s.arg(i));
        QVERIFY(stored);
        fromAlice.append(stored->seq);
    }
    QVERIFY(send(group, bob, u"b0"_s));
    QVERIFY(send(group, bob, u"b1"_s));

    QCOMPARE(m_store->unreadCount(group, bob), 3);
    QCOMPARE(m_store->unreadCount(group, alice), 2);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(m_store->advanceMark({group, bob, DeliveryStatus::Delivered, 5, now}));
    QCOMPARE(m_store->unreadCount(group, bob), 3); // delivered is not read
    QVERIFY(m_store->advanceMark({group, bob, DeliveryStatus::Read, fromAlice[0], now}));
    QCOMPARE(m_store->unreadCount(group, bob), 2);
    QVERIFY(m_store->advanceMark({group, bob, DeliveryStatus::Read, fromAlice[2], now}));
    QCOMPARE(m_store->unreadCount(group, bob), 0); // one mark covers everything below it
    QCOMPARE(m_store->unreadCount(group, alice), 2);
    QVERIFY(m_store->advanceMark({group, alice, DeliveryStatus::Read, 4, now}));
    QCOMPARE(m_store->unreadCount(group, alice), 1);

    // One's own messages are never unread, even above the mark.
    QVERIFY(send(group, alice, u"a3"_s));
    QCOMPARE(m_store->unreadCount(group, alice), 1);
    QCOMPARE(m_store->unreadCount(group, bob), 1);

    // Only messages since the membership began count: a late joiner has no
    // backlog to read, what comes after joining is unread.
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(carol);
    waitForClockTick();
    QVERIFY(m_store->setMembership(group, carol, MembershipState::Active));
    QCOMPARE(m_store->unreadCount(group, carol), 0);
    QVERIFY(send(group, bob, u"welcome"_s));
    QCOMPARE(m_store->unreadCount(group, carol), 1);
    QCOMPARE(m_store->unreadCount(group, alice), 2);

    // The lobby: everyone is a member since signing up.
    const qint64 lobby = m_store->lobby()->id;
    QVERIFY(send(lobby, alice, u"hi all"_s));
    QCOMPARE(m_store->unreadCount(lobby, bob), 1);
    QCOMPARE(m_store->unreadCount(lobby, carol), 1);
    QCOMPARE(m_store->unreadCount(lobby, alice), 0);
    waitForClockTick();
    const qint64 dave = newUser(u"dave"_s);
    QVERIFY(dave);
    QCOMPARE(m_store->unreadCount(lobby, dave), 0); // joined after it was sent

    // Not a member, or no such room: nothing unread.
    QCOMPARE(m_store->unreadCount(group, dave), 0);
    QCOMPARE(m_store->unreadCount(999999, bob), 0);
    QCOMPARE(m_store->lastError(), StoreError::None);
}

void TestStore::lastMessagesAndUnreadCounts()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 lobby = m_store->lobby()->id;
    const qint64 a = newGroup(u"A"_s, alice, {bob});
    const qint64 b = newGroup(u"B"_s, bob, {alice});
    const qint64 quiet = newGroup(u"Quiet"_s, alice, {bob});
    const qint64 invited = newGroup(u"Invited"_s, alice);
    QVERIFY(a && b && quiet && invited);
    QVERIFY(m_store->setMembership(invited, bob, MembershipState::Invited));

    QVERIFY(send(a, alice, u"a1"_s));
    QVERIFY(send(b, alice, u"b1"_s));
    QVERIFY(send(a, bob, u"a2"_s));
    QVERIFY(send(invited, alice, u"i1"_s));
    QVERIFY(send(b, alice, u"b2"_s));
    QVERIFY(send(lobby, alice, u"l1"_s));
    QVERIFY(send(a, alice, u"a3"_s));

    const QHash<qint64, MessageRecord> last = m_store->lastMessages({a, b, quiet, invited, 999999});
    QCOMPARE(m_store->lastError(), StoreError::None);
    QCOMPARE(last.size(), 3);
    QCOMPARE(last.value(a).body, u"a3"_s);
    QCOMPARE(last.value(a).seq, qint64(3));
    QCOMPARE(last.value(a).roomId, a);
    QCOMPARE(last.value(a).id, m_store->lastMessage(a)->id);
    QCOMPARE(last.value(b).body, u"b2"_s);
    QCOMPARE(last.value(b).seq, qint64(2));
    QCOMPARE(last.value(b).senderId, alice);
    QCOMPARE(last.value(invited).body, u"i1"_s);
    QVERIFY(!last.contains(quiet)); // no messages: absent
    QVERIFY(!last.contains(lobby)); // not asked for
    QVERIFY(m_store->lastMessages({}).isEmpty());
    QCOMPARE(m_store->lastMessages({b}).keys(), QList<qint64> {b});
    QCOMPARE(m_store->lastMessages({lobby, lobby}).value(lobby).body, u"l1"_s);
    QVERIFY(m_store->lastMessages({quiet}).isEmpty());
    QCOMPARE(m_store->lastError(), StoreError::None);

    // Per active room; rooms with nothing unread and the invitation are absent.
    const QHash<qint64, int> bobs {{lobby, 1}, {a, 2}, {b, 2}};
    QCOMPARE(m_store->unreadCounts(bob), bobs);
    QCOMPARE(m_store->lastError(), StoreError::None);
    for (auto it = bobs.cbegin(); it != bobs.cend(); ++it)
        QCOMPARE(m_store->unreadCount(it.key(), bob), it.value());
    QCOMPARE(m_store->unreadCounts(alice), (QHash<qint64, int> {{a, 1}}));

    QVERIFY(m_store->advanceMark({a, bob, DeliveryStatus::Read, 3, QDateTime()}));
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{lobby, 1}, {b, 2}}));
    QVERIFY(m_store->advanceMark({b, bob, DeliveryStatus::Delivered, 2, QDateTime()}));
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{lobby, 1}, {b, 2}}));
    QVERIFY(m_store->advanceMark({b, bob, DeliveryStatus::Read, 1, QDateTime()}));
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{lobby, 1}, {b, 1}}));

    // Accepting the invitation starts the membership now: earlier messages stay unread-free.
    waitForClockTick();
    QVERIFY(m_store->setMembership(invited, bob, MembershipState::Active));
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{lobby, 1}, {b, 1}}));
    QVERIFY(send(invited, alice, u"i2"_s));
    QCOMPARE(m_store->unreadCounts(bob), (QHash<qint64, int> {{lobby, 1}, {b, 1}, {invited, 1}}));

    QVERIFY(m_store->unreadCounts(999999).isEmpty());
    QCOMPARE(m_store->lastError(), StoreError::None);
}

void TestStore::commitBatchStoresMessagesAndMarks()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 roomA = newGroup(u"A"_s, alice, {bob});
    const qint64 roomB = newGroup(u"B"_s, alice, {carol});
    QVERIFY(roomA && roomB);
    const auto before = post(roomA, alice, u"before"_s, u"c-old"_s);
    QVERIFY(before);
    QCOMPARE(before->seq, qint64(1));
    const QDateTime t1 = utc(2024, 3, 4, 5, 6, 7, 890);
    const QDateTime t2 = t1.addSecs(30);

    const QList<NewMessage> messages {
        newMessage(roomA, alice, u"a2"_s, u"c-1"_s),
        newMessage(roomB, carol, u"b1"_s, u"c-1"_s), // the same client id from another sender
        newMessage(roomA, bob, u"a3"_s),
        newMessage(roomA, alice, u"stored before"_s, u"c-old"_s),
        newMessage(roomB, alice, u"b2"_s),
        newMessage(roomA, alice, u"twice in the batch"_s, u"c-1"_s),
        newMessage(roomA, alice, u"a4"_s),
    };
    const QList<MarkAdvance> marks {
        {roomA, bob, DeliveryStatus::Read, 1, t1},
        {roomA, bob, DeliveryStatus::Delivered, 4, t2},
        {roomA, bob, DeliveryStatus::Delivered, 2, t2}, // behind: no change, no error
        {roomB, alice, DeliveryStatus::Delivered, 1, t1},
        {roomB, carol, DeliveryStatus::Read, 2, t2},
    };
    const auto stored = m_store->commitBatch(messages, marks);
    QVERIFY2(stored, qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QCOMPARE(stored->size(), messages.size());

    // Both duplicates are nullopt entries; the rest is stored with gap-free seqs.
    QVERIFY(!stored->at(3));
    QVERIFY(!stored->at(5));
    const QList<std::tuple<int, qint64, qint64>> expected {// index, room, seq
        {0, roomA, 2}, {1, roomB, 1}, {2, roomA, 3}, {4, roomB, 2}, {6, roomA, 4}};
    for (const auto &[index, room, seq] : expected) {
        const std::optional<MessageRecord> &record = stored->at(index);
        QVERIFY2(record, qPrintable(u"entry %1"_s.arg(index)));
        QVERIFY(record->id > 0);
        QCOMPARE(record->roomId, room);
        QCOMPARE(record->seq, seq);
        QCOMPARE(record->senderId, messages[index].senderId);
        QCOMPARE(record->body, messages[index].body);
        QCOMPARE(record->clientId, messages[index].clientId);
        QVERIFY(record->createdAt.isValid());
        const auto found = m_store->messageById(record->id);
        QVERIFY(found);
        QCOMPARE(found->seq, seq);
        QCOMPARE(found->roomId, room);
        QCOMPARE(found->body, record->body);
        QCOMPARE(found->createdAt, record->createdAt);
    }
    QCOMPARE(seqsOf(m_store->messagesAfter(roomA, 0, 100)), (QList<qint64> {1, 2, 3, 4}));
    QCOMPARE(bodiesOf(m_store->messagesAfter(roomA, 0, 100)),
        (QStringList {u"before"_s, u"a2"_s, u"a3"_s, u"a4"_s}));
    QCOMPARE(seqsOf(m_store->messagesAfter(roomB, 0, 100)), (QList<qint64> {1, 2}));
    QCOMPARE(bodiesOf(m_store->messagesAfter(roomB, 0, 100)), (QStringList {u"b1"_s, u"b2"_s}));
    QCOMPARE(m_store->lastSeq(roomA), qint64(4));
    QCOMPARE(m_store->lastSeq(roomB), qint64(2));
    QCOMPARE(m_store->messageCount(roomA), 4);
    QCOMPARE(m_store->messageCount(roomB), 2);
    QCOMPARE(m_store->messageByClientId(alice, u"c-old"_s)->id, before->id);
    QCOMPARE(m_store->messageByClientId(alice, u"c-old"_s)->body, u"before"_s);
    QCOMPARE(m_store->messageByClientId(alice, u"c-1"_s)->body, u"a2"_s);
    QCOMPARE(m_store->messageByClientId(carol, u"c-1"_s)->body, u"b1"_s);

    const auto bobInA = m_store->mark(roomA, bob);
    QVERIFY(bobInA);
    QCOMPARE(bobInA->deliveredUpTo, qint64(4));
    QCOMPARE(bobInA->readUpTo, qint64(1));
    QCOMPARE(bobInA->deliveredAt, t2);
    QCOMPARE(bobInA->readAt, t1);
    const auto aliceInB = m_store->mark(roomB, alice);
    QVERIFY(aliceInB);
    QCOMPARE(aliceInB->deliveredUpTo, qint64(1));
    QCOMPARE(aliceInB->readUpTo, qint64(0));
    QCOMPARE(aliceInB->deliveredAt, t1);
    QVERIFY(!aliceInB->readAt.isValid());
    const auto carolInB = m_store->mark(roomB, carol);
    QVERIFY(carolInB);
    QCOMPARE(carolInB->deliveredUpTo, qint64(2));
    QCOMPARE(carolInB->readUpTo, qint64(2));
    QCOMPARE(userIdsOf(m_store->marks(roomA)), QList<qint64> {bob});
    QCOMPARE(userIdsOf(m_store->marks(roomB)), (QList<qint64> {alice, carol}));
    QCOMPARE(m_store->unreadCount(roomA, bob), 2); // a2 (alice) and a4 (alice) above read 1; a3 is his

    // Nothing to do is a success too, and so is a batch of only duplicates and stale marks.
    const auto empty = m_store->commitBatch({}, {});
    QVERIFY(empty);
    QVERIFY(empty->isEmpty());
    const auto noop = m_store->commitBatch({newMessage(roomA, alice, u"again"_s, u"c-1"_s)},
        {{roomA, bob, DeliveryStatus::Delivered, 3, t2}});
    QVERIFY2(noop, qPrintable(m_store->lastErrorText()));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QCOMPARE(noop->size(), 1);
    QVERIFY(!noop->at(0));
    QCOMPARE(m_store->mark(roomA, bob)->deliveredUpTo, qint64(4));

    // The duplicates took no seq: the next message follows without a gap.
    const auto next = post(roomA, bob, u"after"_s);
    QVERIFY(next);
    QCOMPARE(next->seq, qint64(5));
    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages"_s).toInt(), 7);
}

void TestStore::failedCommitBatchStoresNothing()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 roomA = newGroup(u"A"_s, alice, {bob});
    const qint64 roomB = newGroup(u"B"_s, bob, {alice});
    QVERIFY(roomA && roomB);
    QVERIFY(send(roomA, alice, u"a1"_s));
    QVERIFY(send(roomB, bob, u"b1"_s));
    const QDateTime t1 = utc(2024, 6, 7, 8, 9, 10, 111);
    const QDateTime t2 = t1.addSecs(5);
    QVERIFY(m_store->advanceMark({roomA, bob, DeliveryStatus::Delivered, 1, t1}));

    // The database refuses any message whose body is "boom".
    RawConnection raw(m_url);
    if (m_url.kind == DatabaseUrl::Kind::Sqlite) {
        QVERIFY(raw.exec(u"CREATE TRIGGER refuse_boom BEFORE INSERT ON messages "
                         "WHEN NEW.body = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END"_s));
    } else {
        QVERIFY(raw.exec(u"CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ "
                         "BEGIN IF NEW.body = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; "
                         "RETURN NEW; END $$"_s));
        QVERIFY(raw.exec(u"CREATE TRIGGER refuse_boom BEFORE INSERT ON messages "
                         "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"_s));
    }

    const auto untouched = [&] {
        QCOMPARE(m_store->messageCount(roomA), 1);
        QCOMPARE(m_store->messageCount(roomB), 1);
        QCOMPARE(m_store->lastSeq(roomA), qint64(1));
        QCOMPARE(m_store->lastSeq(roomB), qint64(1));
        QVERIFY(!m_store->messageByClientId(alice, u"c-2"_s));
        const auto bobInA = m_store->mark(roomA, bob);
        QVERIFY(bobInA);
        QCOMPARE(bobInA->deliveredUpTo, qint64(1));
        QCOMPARE(bobInA->readUpTo, qint64(0));
        QCOMPARE(bobInA->deliveredAt, t1);
        QVERIFY(!m_store->mark(roomB, alice));
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages"_s).toInt(), 2);
        QCOMPARE(raw.value(u"SELECT COUNT(*) FROM room_marks"_s).toInt(), 1);
    };

    const QList<NewMessage> good {
        newMessage(roomA, alice, u"a2"_s, u"c-2"_s),
        newMessage(roomB, alice, u"b2"_s),
        newMessage(roomA, bob, u"a3"_s),
    };
    const QList<MarkAdvance> marks {
        {roomA, bob, DeliveryStatus::Read, 2, t2},
        {roomB, alice, DeliveryStatus::Read, 1, t2},
    };
    QList<NewMessage> withBoom = good;
    withBoom.insert(2, newMessage(roomA, bob, u"boom"_s));
    QVERIFY(!m_store->commitBatch(withBoom, marks));
    QCOMPARE(m_store->lastError(), StoreError::Database);
    QVERIFY2(m_store->lastErrorText().contains(u"boom"_s), qPrintable(m_store->lastErrorText()));
    untouched();
    if (QTest::currentTestFailed())
        return;

    // A mark that cannot be written fails the batch after its messages and
    // first mark were written: they go too.
    QVERIFY(!m_store->commitBatch(good, {marks[0], {roomA, 999999, DeliveryStatus::Read, 1, t2}}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    untouched();
    if (QTest::currentTestFailed())
        return;

    // So does a message from an unknown sender.
    QVERIFY(!m_store->commitBatch({good[0], newMessage(roomB, 999999, u"ghost"_s)}, marks));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    untouched();
    if (QTest::currentTestFailed())
        return;

    // The store goes on: the batch without the bad message is stored, its
    // seqs following the last stored ones (the failures left no gap).
    const auto retried = m_store->commitBatch(good, marks);
    QVERIFY2(retried, qPrintable(m_store->lastErrorText()));
    QCOMPARE(retried->size(), 3);
    QCOMPARE(retried->at(0)->seq, qint64(2));
    QCOMPARE(retried->at(1)->seq, qint64(2));
    QCOMPARE(retried->at(2)->seq, qint64(3));
    QCOMPARE(m_store->mark(roomA, bob)->readUpTo, qint64(2));
    QCOMPARE(m_store->mark(roomA, bob)->readAt, t2);
    QCOMPARE(m_store->mark(roomB, alice)->readUpTo, qint64(1));
    QCOMPARE(m_store->messageByClientId(alice, u"c-2"_s)->body, u"a2"_s);

    // The trigger still refuses its message on its own; the next one is seq 3.
    QVERIFY(!m_store->insertMessage(newMessage(roomB, alice, u"boom"_s)));
    QCOMPARE(m_store->lastError(), StoreError::Database);
    const auto after = post(roomB, alice, u"b3"_s);
    QVERIFY(after);
    QCOMPARE(after->seq, qint64(3));
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM messages WHERE body = 'boom'"_s).toInt(), 0);
}

void TestStore::changeSignals()
{
    Store other; // another connection: what a slot sees is committed
    QVERIFY2(other.open(m_url), qPrintable(other.lastErrorText()));
    QSignalSpy membershipSpy(m_store.get(), &Store::membershipChanged);
    QSignalSpy userSpy(m_store.get(), &Store::userChanged);
    QVERIFY(membershipSpy.isValid() && userSpy.isValid());

    QList<std::optional<MembershipState>> seenMemberships;
    QList<std::optional<UserRecord>> seenUsers;
    QObject context; // disconnects before the lists go
    connect(m_store.get(), &Store::membershipChanged, &context, [&](qint64 roomId, qint64 userId) {
        const auto membership = other.membership(roomId, userId);
        seenMemberships.append(membership ? std::optional(membership->state) : std::nullopt);
    });
    connect(m_store.get(), &Store::userChanged, &context,
        [&](qint64 userId) { seenUsers.append(other.userById(userId)); });

    using Pair = QPair<qint64, qint64>;
    const auto takeMemberships = [&] {
        QList<Pair> pairs;
        for (const QList<QVariant> &arguments : std::as_const(membershipSpy))
            pairs.append({arguments.at(0).toLongLong(), arguments.at(1).toLongLong()});
        membershipSpy.clear();
        return pairs;
    };
    const auto takeUsers = [&] {
        QList<qint64> ids;
        for (const QList<QVariant> &arguments : std::as_const(userSpy))
            ids.append(arguments.at(0).toLongLong());
        userSpy.clear();
        return ids;
    };
    const auto takeSeenStates = [&] { return std::exchange(seenMemberships, {}); };
    using States = QList<std::optional<MembershipState>>;
    const std::optional<MembershipState> active = MembershipState::Active;

    const qint64 lobby = m_store->lobby()->id;
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    QCOMPARE(takeMemberships(), (QList<Pair> {{lobby, alice}}));
    QVERIFY(takeSeenStates() == States {active});
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(bob);
    QCOMPARE(takeMemberships(), (QList<Pair> {{lobby, bob}}));
    QVERIFY(takeSeenStates() == States {active});

    const auto group = m_store->createGroup(u"Band"_s, alice);
    QVERIFY(group);
    QCOMPARE(takeMemberships(), (QList<Pair> {{group->id, alice}}));
    QVERIFY(takeSeenStates() == States {active});

    QVERIFY(m_store->setMembership(group->id, bob, MembershipState::Invited));
    QCOMPARE(takeMemberships(), (QList<Pair> {{group->id, bob}}));
    QVERIFY(takeSeenStates() == States {MembershipState::Invited});
    QVERIFY(m_store->setMembership(group->id, bob, MembershipState::Active));
    QCOMPARE(takeMemberships(), (QList<Pair> {{group->id, bob}}));
    QVERIFY(takeSeenStates() == States {active});
    QVERIFY(m_store->removeMembership(group->id, bob));
    QCOMPARE(takeMemberships(), (QList<Pair> {{group->id, bob}}));
    QVERIFY(takeSeenStates() == States {std::nullopt}); // gone when the slot runs

    const auto direct = m_store->createDirectRoom(alice, bob, MembershipState::Requested);
    QVERIFY(direct);
    QCOMPARE(takeMemberships(), (QList<Pair> {{direct->id, alice}, {direct->id, bob}}));
    QVERIFY(takeSeenStates() == (States {active, MembershipState::Requested}));
    QVERIFY(takeUsers().isEmpty());

    // Refused changes say nothing.
    QVERIFY(!m_store->createUser(u"alice"_s, u"Again"_s, "h", UserRole::User));
    QVERIFY(!m_store->createGroup(u"Orphans"_s, 999999));
    QVERIFY(!m_store->setMembership(999999, alice, MembershipState::Active));
    QVERIFY(!m_store->removeMembership(group->id, bob));
    QVERIFY(!m_store->createDirectRoom(bob, alice));
    QVERIFY(!m_store->setUserRole(999999, UserRole::Admin));
    QVERIFY(!m_store->setPasswordHash(999999, "x"));
    QVERIFY(!m_store->setLastSeen(999999, QDateTime::currentDateTimeUtc()));
    // Messages and marks change no membership or user.
    QVERIFY(send(group->id, alice, u"hi"_s));
    QVERIFY(m_store->commitBatch({newMessage(direct->id, alice, u"batched"_s)},
        {{group->id, alice, DeliveryStatus::Read, 1, QDateTime()}}));
    QVERIFY(m_store->advanceMark({direct->id, bob, DeliveryStatus::Read, 1, QDateTime()}));
    QVERIFY(takeMemberships().isEmpty());
    QVERIFY(takeUsers().isEmpty());
    QVERIFY(seenUsers.isEmpty());

    QVERIFY(m_store->setUserRole(alice, UserRole::Tutor));
    QCOMPARE(takeUsers(), QList<qint64> {alice});
    QCOMPARE(seenUsers.size(), 1);
    QVERIFY(seenUsers[0]);
    COMPARE_DOMAIN(seenUsers[0]->role, UserRole::Tutor);
    QVERIFY(m_store->setPasswordHash(bob, "new-hash"));
    QCOMPARE(takeUsers(), QList<qint64> {bob});
    QCOMPARE(seenUsers.size(), 2);
    QCOMPARE(seenUsers[1]->passwordHash, QByteArray("new-hash"));
    const QDateTime seen = utc(2024, 5, 6, 7, 8, 9, 123);
    QVERIFY(m_store->setLastSeen(alice, seen));
    QCOMPARE(takeUsers(), QList<qint64> {alice});
    QCOMPARE(seenUsers.size(), 3);
    QCOMPARE(seenUsers[2]->lastSeen, seen);
    QVERIFY(takeMemberships().isEmpty());
}

void TestStore::contacts()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    const qint64 dave = newUser(u"dave"_s);
    const qint64 erin = newUser(u"erin"_s);
    QVERIFY(alice && bob && carol && dave && erin);

    // Everyone shares the lobby, which makes nobody a contact.
    QVERIFY(m_store->contactsOf(alice).isEmpty());
    QCOMPARE(m_store->lastError(), StoreError::None);

    const qint64 group = newGroup(u"Band"_s, alice, {bob});
    QVERIFY(group);
    QVERIFY(m_store->setMembership(group, carol, MembershipState::Invited));
    QVERIFY(newGroup(u"Band 2"_s, bob, {alice})); // a second shared room: still one contact
    QVERIFY(m_store->createDirectRoom(alice, dave, MembershipState::Requested));
    QVERIFY(m_store->createDirectRoom(erin, alice));

    QCOMPARE(m_store->contactsOf(alice), (QList<qint64> {bob, erin}));
    QCOMPARE(m_store->contactsOf(bob), QList<qint64> {alice});
    QVERIFY(m_store->contactsOf(carol).isEmpty()); // only invited
    QVERIFY(m_store->contactsOf(dave).isEmpty()); // only requested
    QCOMPARE(m_store->contactsOf(erin), QList<qint64> {alice});
}

void TestStore::notifications()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);

    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const QJsonObject payload {
            {u"room_id"_s, 5 + i}, {u"tags"_s, QJsonArray {u"a"_s, i}}, {u"name"_s, u"Zoë"_s}};
        const auto added = m_store->addNotification(
            alice, u"group_invite"_s, u"Invitation %1"_s.arg(i), payload);
        QVERIFY2(added, qPrintable(m_store->lastErrorText()));
        QCOMPARE(added->userId, alice);
        QCOMPARE(added->payload, payload);
        QVERIFY(!added->isRead);
        ids.append(added->id);
    }
    QVERIFY(m_store->addNotification(bob, u"message_request"_s, u"For Bob"_s, {}));

    const auto all = m_store->notifications(alice, 10, 0);
    QCOMPARE(idsOf(all), (QList<qint64> {ids[2], ids[1], ids[0]}));
    QCOMPARE(all[0].type, u"group_invite"_s);
    QCOMPARE(all[0].message, u"Invitation 2"_s);
    QCOMPARE(all[0].payload.value(u"room_id"_s).toInt(), 7);
    QCOMPARE(all[0].payload.value(u"tags"_s).toArray(), (QJsonArray {u"a"_s, 2}));
    QCOMPARE(all[0].payload.value(u"name"_s).toString(), u"Zoë"_s);
    QVERIFY(all[0].createdAt.isValid());
    QCOMPARE(idsOf(m_store->notifications(alice, 2, 1)), (QList<qint64> {ids[1], ids[0]}));
    QVERIFY(m_store->notifications(alice, 10, 3).isEmpty());

    // One group's invitation, answered: only that one is read.
    QVERIFY(m_store->addNotification(alice, u"group_invite"_s, u"To 40"_s, {{u"group_id"_s, 40}}));
    QVERIFY(m_store->addNotification(alice, u"group_invite"_s, u"To 41"_s, {{u"group_id"_s, 41}}));
    QVERIFY(m_store->markGroupNotificationsRead(alice, u"group_invite"_s, 40));
    for (const NotificationRecord &notification : m_store->notifications(alice, 10, 0))
        QCOMPARE(notification.isRead, notification.message == u"To 40"_s);

    QVERIFY(m_store->markNotificationsRead(alice));
    for (const NotificationRecord &notification : m_store->notifications(alice, 10, 0))
        QVERIFY(notification.isRead);
    const auto bobs = m_store->notifications(bob, 10, 0);
    QCOMPARE(bobs.size(), 1);
    QVERIFY(!bobs[0].isRead);
    QVERIFY(bobs[0].payload.isEmpty());

    QVERIFY(m_store->markNotificationsRead(alice)); // nothing left to mark: still fine
    QVERIFY(!m_store->addNotification(999999, u"x"_s, u"y"_s, {}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::countsSince()
{
    const QDateTime since = QDateTime::currentDateTimeUtc().addSecs(-1);
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 one = newGroup(u"One"_s, alice);
    const qint64 two = newGroup(u"Two"_s, bob, {alice});
    const qint64 three = newGroup(u"Three"_s, bob);
    QVERIFY(one && two && three);
    QVERIFY(m_store->setMembership(one, carol, MembershipState::Invited));

    QVERIFY(send(one, alice, u"1"_s));
    QVERIFY(send(one, alice, u"2"_s));
    QVERIFY(send(two, bob, u"3"_s));
    QVERIFY(send(three, bob, u"4"_s));
    QVERIFY(send(m_store->lobby()->id, carol, u"5"_s));

    QCOMPARE(m_store->messageCountSince(alice, since), 4); // one, two, lobby
    QCOMPARE(m_store->activeRoomCountSince(alice, since), 3);
    QCOMPARE(m_store->messageCountSince(bob, since), 3); // two, three, lobby
    QCOMPARE(m_store->activeRoomCountSince(bob, since), 3);
    QCOMPARE(m_store->messageCountSince(carol, since), 1); // invited to one: not counted
    QCOMPARE(m_store->activeRoomCountSince(carol, since), 1);

    const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(3600);
    QCOMPARE(m_store->messageCountSince(alice, later), 0);
    QCOMPARE(m_store->activeRoomCountSince(alice, later), 0);
    QCOMPARE(m_store->lastError(), StoreError::None);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
