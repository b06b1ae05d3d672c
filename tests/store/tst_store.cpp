// The conversation store against every engine it supports: each test runs
// once per global data row ("sqlite" always; "postgres" when
// NATTER_TEST_POSTGRES names a server), each time on a fresh database.

#include "store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

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

QList<qint64> userIdsOf(const QList<MembershipRecord> &members)
{
    QList<qint64> ids;
    for (const MembershipRecord &member : members)
        ids.append(member.userId);
    return ids;
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

    void insertMessageWithReceipts();
    void duplicateClientIdConflicts();
    void emptyClientIdsNeverConflict();
    void unknownReferencesRollBack();
    void paginationNewestFirst();
    void messagesAfter();
    void receiptsOnlyMoveForward();
    void unreadCount();
    void contacts();
    void notifications();
    void countsSince();

private:
    bool needsDatabase() const;
    bool createPostgresDatabase();
    // Helpers return 0 on failure (after a warning); callers QVERIFY the id.
    qint64 newUser(const QString &name, UserRole role = UserRole::User);
    qint64 newGroup(const QString &name, qint64 creator, const QList<qint64> &members = {});
    qint64 send(qint64 roomId, qint64 senderId, const QString &body,
        const QList<qint64> &recipients = {}, const QString &clientId = {});

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

qint64 TestStore::send(qint64 roomId, qint64 senderId, const QString &body,
    const QList<qint64> &recipients, const QString &clientId)
{
    NewMessage message;
    message.roomId = roomId;
    message.senderId = senderId;
    message.body = body;
    message.clientId = clientId;
    const auto stored = m_store->insertMessage(message, recipients);
    if (!stored)
        qWarning("insertMessage failed: %s", qPrintable(m_store->lastErrorText()));
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

// --- messages and receipts ----------------------------------------------------------

void TestStore::insertMessageWithReceipts()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 group = newGroup(u"Band"_s, alice, {bob, carol});
    QVERIFY(group);

    NewMessage text;
    text.roomId = group;
    text.senderId = alice;
    text.body = u"hello ☕"_s;
    text.latitude = 1.5; // ignored: not a location
    text.clientId = u"c-1"_s;
    // The sender and a repeated id in the list get no (extra) receipt.
    const auto stored = m_store->insertMessage(text, {bob, carol, alice, bob});
    QVERIFY2(stored, qPrintable(m_store->lastErrorText()));
    QVERIFY(stored->id > 0);
    QCOMPARE(stored->roomId, group);
    QCOMPARE(stored->senderId, alice);
    COMPARE_DOMAIN(stored->kind, MessageKind::Text);
    QCOMPARE(stored->body, u"hello ☕"_s);
    QCOMPARE(stored->clientId, u"c-1"_s);
    QVERIFY(stored->createdAt.isValid());

    const auto receipts = m_store->receipts(stored->id);
    QCOMPARE(receipts.size(), 2);
    QCOMPARE(receipts[0].userId, bob);
    QCOMPARE(receipts[1].userId, carol);
    for (const ReceiptRecord &receipt : receipts) {
        QCOMPARE(receipt.messageId, stored->id);
        COMPARE_DOMAIN(receipt.status, DeliveryStatus::Sent);
        QVERIFY(!receipt.deliveredAt.isValid());
        QVERIFY(!receipt.readAt.isValid());
    }
    QVERIFY(!m_store->receipt(stored->id, alice));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    COMPARE_DOMAIN(m_store->receipt(stored->id, carol)->status, DeliveryStatus::Sent);

    for (const auto &found :
        {m_store->messageById(stored->id), m_store->messageByClientId(alice, u"c-1"_s)}) {
        QVERIFY(found);
        QCOMPARE(found->id, stored->id);
        QCOMPARE(found->body, stored->body);
        QCOMPARE(found->clientId, u"c-1"_s);
        QCOMPARE(found->createdAt, stored->createdAt);
        QCOMPARE(found->latitude, 0.0);
    }
    QVERIFY(!m_store->messageByClientId(bob, u"c-1"_s));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->messageByClientId(alice, QString()));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    NewMessage location;
    location.roomId = group;
    location.senderId = bob;
    location.kind = MessageKind::Location;
    location.latitude = 52.520008;
    location.longitude = -13.404954;
    const auto place = m_store->insertMessage(location, {alice, carol});
    QVERIFY(place);
    const auto placeFound = m_store->messageById(place->id);
    COMPARE_DOMAIN(placeFound->kind, MessageKind::Location);
    QCOMPARE(placeFound->latitude, 52.520008);
    QCOMPARE(placeFound->longitude, -13.404954);
    QVERIFY(placeFound->clientId.isEmpty());

    NewMessage stamp;
    stamp.roomId = group;
    stamp.senderId = carol;
    stamp.kind = MessageKind::Stamp;
    stamp.body = u"42"_s;
    const auto stamped = m_store->insertMessage(stamp, {});
    QVERIFY(stamped);
    COMPARE_DOMAIN(m_store->messageById(stamped->id)->kind, MessageKind::Stamp);
    QCOMPARE(m_store->messageById(stamped->id)->body, u"42"_s);
    QVERIFY(m_store->receipts(stamped->id).isEmpty());
    QCOMPARE(m_store->messageCount(group), 3);
}

void TestStore::duplicateClientIdConflicts()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 group = newGroup(u"Pair"_s, alice, {bob});
    QVERIFY(group);

    const qint64 first = send(group, alice, u"original"_s, {bob}, u"tmp-1"_s);
    QVERIFY(first);

    NewMessage again;
    again.roomId = group;
    again.senderId = alice;
    again.body = u"resent after reconnect"_s;
    again.clientId = u"tmp-1"_s;
    QVERIFY(!m_store->insertMessage(again, {bob}));
    QCOMPARE(m_store->lastError(), StoreError::Conflict);

    // Nothing stored twice; the original answers a retry.
    QCOMPARE(m_store->messageCount(group), 1);
    const auto existing = m_store->messageByClientId(alice, u"tmp-1"_s);
    QVERIFY(existing);
    QCOMPARE(existing->id, first);
    QCOMPARE(existing->body, u"original"_s);
    RawConnection raw(m_url);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM receipts"_s).toInt(), 1);

    // The same client id from another sender is another message.
    QVERIFY(send(group, bob, u"mine"_s, {alice}, u"tmp-1"_s));
    QCOMPARE(m_store->messageCount(group), 2);
    QCOMPARE(raw.value(u"SELECT COUNT(*) FROM receipts"_s).toInt(), 2);
}

void TestStore::emptyClientIdsNeverConflict()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Solo"_s, alice);
    QVERIFY(group);

    for (int i = 0; i < 3; ++i)
        QVERIFY(send(group, alice, u"same"_s, {}, QString()));
    QCOMPARE(m_store->messageCount(group), 3);
    for (const MessageRecord &message : m_store->messages(group, 10))
        QVERIFY(message.clientId.isEmpty());

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
    message.senderId = alice;
    message.body = u"to a ghost"_s;
    QVERIFY(!m_store->insertMessage(message, {999999}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QCOMPARE(m_store->messageCount(group), 0); // the message went with the receipt

    message.roomId = 999999;
    QVERIFY(!m_store->insertMessage(message, {}));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);

    message.roomId = group;
    QVERIFY(m_store->insertMessage(message, {}));
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

    QCOMPARE(m_store->messageCount(group), 25);
    QCOMPARE(m_store->lastMessage(group)->body, u"m25"_s);
    QVERIFY(m_store->messages(quiet, 10).isEmpty());
    QCOMPARE(m_store->messageCount(quiet), 0);
    QVERIFY(!m_store->lastMessage(quiet));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::messagesAfter()
{
    const qint64 alice = newUser(u"alice"_s);
    QVERIFY(alice);
    const qint64 group = newGroup(u"Catch-up"_s, alice);
    const qint64 other = newGroup(u"Elsewhere"_s, alice);
    QVERIFY(group && other);
    QList<qint64> ids;
    for (int i = 0; i < 10; ++i) {
        ids.append(send(group, alice, u"m%1"_s.arg(i)));
        QVERIFY(ids.constLast());
        QVERIFY(send(other, alice, u"noise"_s)); // interleaved ids of another room
    }

    QCOMPARE(idsOf(m_store->messagesAfter(group, ids[3], 4)), ids.mid(4, 4));
    QCOMPARE(idsOf(m_store->messagesAfter(group, 0, 100)), ids);
    QVERIFY(m_store->messagesAfter(group, ids[9], 10).isEmpty());
    QVERIFY(m_store->messagesAfter(group, 0, 0).isEmpty());
}

void TestStore::receiptsOnlyMoveForward()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    const qint64 carol = newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 group = newGroup(u"Band"_s, alice, {bob, carol});
    QVERIFY(group);
    const qint64 message = send(group, alice, u"did you get this?"_s, {bob, carol});
    QVERIFY(message);
    const QDateTime t1 = utc(2024, 1, 2, 3, 4, 5, 600);
    const QDateTime t2 = t1.addSecs(60);
    const QDateTime t3 = t2.addSecs(60);

    const auto delivered = m_store->advanceReceipt(message, bob, DeliveryStatus::Delivered, t1);
    QVERIFY2(delivered, qPrintable(m_store->lastErrorText()));
    COMPARE_DOMAIN(delivered->status, DeliveryStatus::Delivered);
    QCOMPARE(delivered->deliveredAt, t1);
    QVERIFY(!delivered->readAt.isValid());
    QCOMPARE(m_store->receipt(message, bob)->deliveredAt, t1);

    QVERIFY(!m_store->advanceReceipt(message, bob, DeliveryStatus::Delivered, t2));
    QCOMPARE(m_store->lastError(), StoreError::None); // unchanged, not an error
    QCOMPARE(m_store->receipt(message, bob)->deliveredAt, t1);

    const auto read = m_store->advanceReceipt(message, bob, DeliveryStatus::Read, t2);
    QVERIFY(read);
    COMPARE_DOMAIN(read->status, DeliveryStatus::Read);
    QCOMPARE(read->deliveredAt, t1);
    QCOMPARE(read->readAt, t2);

    QVERIFY(!m_store->advanceReceipt(message, bob, DeliveryStatus::Delivered, t3));
    QCOMPARE(m_store->lastError(), StoreError::None);
    QVERIFY(!m_store->advanceReceipt(message, bob, DeliveryStatus::Sent, t3));
    QVERIFY(!m_store->advanceReceipt(message, bob, DeliveryStatus::Failed, t3));
    const auto stillRead = m_store->receipt(message, bob);
    COMPARE_DOMAIN(stillRead->status, DeliveryStatus::Read);
    QCOMPARE(stillRead->readAt, t2);

    // Straight to read: read implies delivered.
    const auto skipped = m_store->advanceReceipt(message, carol, DeliveryStatus::Read, t3);
    QVERIFY(skipped);
    QCOMPARE(skipped->deliveredAt, t3);
    QCOMPARE(skipped->readAt, t3);
    QCOMPARE(m_store->receipt(message, carol)->deliveredAt, t3);

    QVERIFY(!m_store->advanceReceipt(message, alice, DeliveryStatus::Read, t3));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
    QVERIFY(!m_store->advanceReceipt(999999, bob, DeliveryStatus::Read, t3));
    QCOMPARE(m_store->lastError(), StoreError::NotFound);
}

void TestStore::unreadCount()
{
    const qint64 alice = newUser(u"alice"_s);
    const qint64 bob = newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 group = newGroup(u"Pair"_s, alice, {bob});
    QVERIFY(group);

    QList<qint64> fromAlice;
    for (int i = 0; i < 3; ++i)
        fromAlice.append(send(group, alice, u"a%1"_s.arg(i), {bob}));
    QVERIFY(!fromAlice.contains(0));
    QVERIFY(send(group, bob, u"b0"_s, {alice}));
    QVERIFY(send(group, bob, u"b1"_s, {alice}));

    QCOMPARE(m_store->unreadCount(group, bob), 3);
    QCOMPARE(m_store->unreadCount(group, alice), 2);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(m_store->advanceReceipt(fromAlice[0], bob, DeliveryStatus::Delivered, now));
    QCOMPARE(m_store->unreadCount(group, bob), 3); // delivered is not read
    QVERIFY(m_store->advanceReceipt(fromAlice[0], bob, DeliveryStatus::Read, now));
    QCOMPARE(m_store->unreadCount(group, bob), 2);
    QVERIFY(m_store->advanceReceipt(fromAlice[1], bob, DeliveryStatus::Read, now));
    QVERIFY(m_store->advanceReceipt(fromAlice[2], bob, DeliveryStatus::Read, now));
    QCOMPARE(m_store->unreadCount(group, bob), 0);
    QCOMPARE(m_store->unreadCount(group, alice), 2);

    // Messages without a receipt for the user do not count.
    const qint64 lobby = m_store->lobby()->id;
    QVERIFY(send(lobby, alice, u"hi all"_s));
    QCOMPARE(m_store->unreadCount(lobby, bob), 0);
    QCOMPARE(m_store->lastError(), StoreError::None);
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
