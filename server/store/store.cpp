#include "store.h"

#include "migrations.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <limits>
#include <memory>
#include <unordered_map>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStore, "natter.server.store")

namespace natter::server {
namespace {

using Bindings = QList<std::pair<QString, QVariant>>;

// Connection names are process-wide in Qt Sql; several stores may be open.
std::atomic<quint64> g_connectionCounter {0};

// Any 64-bit constant: serialises migrations of several PostgreSQL nodes.
constexpr qint64 kMigrationLockKey = 0x4e61747465720001; // "Natter" + 1

QDateTime nowUtc()
{
    return QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

QDateTime orNow(const QDateTime &when)
{
    return when.isValid() ? when.toUTC() : nowUtc();
}

// An invalid QVariant binds as SQL NULL on both drivers.
QVariant msecsOrNull(const QDateTime &when)
{
    return when.isValid() ? QVariant(when.toMSecsSinceEpoch()) : QVariant();
}

QString uuidText(const QUuid &uuid)
{
    return uuid.toString(QUuid::WithoutBraces);
}

// Qt Sql binds a null QString / QByteArray as NULL; NOT NULL columns need "".
QString nonNull(const QString &text)
{
    return text.isNull() ? QString(u""_s) : text;
}

QByteArray nonNull(const QByteArray &bytes)
{
    return bytes.isNull() ? QByteArray("") : bytes;
}

QString directKey(qint64 a, qint64 b)
{
    return u"%1:%2"_s.arg(qMin(a, b)).arg(qMax(a, b));
}

enum class Violation { None, Unique, ForeignKey };

// SQLite extended result codes (Qt turns them on) and PostgreSQL SQLSTATEs;
// the message text is the fallback for plain SQLITE_CONSTRAINT (19).
Violation violationOf(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    const QString text = error.databaseText();
    if (code == u"23505"_s || code == u"2067"_s || code == u"1555"_s
        || (code == u"19"_s && text.contains(u"UNIQUE constraint failed"_s)))
        return Violation::Unique;
    if (code == u"23503"_s || code == u"787"_s
        || (code == u"19"_s && text.contains(u"FOREIGN KEY constraint failed"_s)))
        return Violation::ForeignKey;
    return Violation::None;
}

// One executed statement. It is finished on destruction: for SQLite an
// unfinished SELECT keeps its read snapshot and hides other writers' rows.
class Cursor
{
public:
    Cursor() = default;
    explicit Cursor(std::shared_ptr<QSqlQuery> query)
        : m_query(std::move(query))
    {
    }
    Cursor(Cursor &&) noexcept = default;
    Cursor &operator=(Cursor &&) = delete;
    ~Cursor()
    {
        if (m_query)
            m_query->finish();
    }

    explicit operator bool() const { return bool(m_query); }
    bool next() { return m_query->next(); }
    QSqlError error() const { return m_query->lastError(); }
    int rowsAffected() const { return m_query->numRowsAffected(); }
    qint64 lastInsertId() const { return m_query->lastInsertId().toLongLong(); }

    qint64 integer(int column) const { return m_query->value(column).toLongLong(); }
    bool flag(int column) const { return integer(column) != 0; }
    double number(int column) const { return m_query->value(column).toDouble(); }
    QString text(int column) const { return m_query->value(column).toString(); }
    QByteArray bytes(int column) const { return m_query->value(column).toByteArray(); }
    QUuid uuid(int column) const { return QUuid::fromString(text(column)); }
    QDateTime time(int column) const
    {
        return m_query->isNull(column) ? QDateTime()
                                       : QDateTime::fromMSecsSinceEpoch(integer(column), Qt::UTC);
    }

private:
    std::shared_ptr<QSqlQuery> m_query;
};

// --- row readers: column lists and their readers stay side by side ---------

const QString kUserColumns = u"u.id, u.uuid, u.username, u.display_name, u.password_hash, "
                             "u.role, u.created_at, u.last_seen"_s;

UserRecord readUser(const Cursor &row)
{
    UserRecord user;
    user.id = row.integer(0);
    user.uuid = row.uuid(1);
    user.username = row.text(2);
    user.displayName = row.text(3);
    user.passwordHash = row.bytes(4);
    user.role = userRoleFromString(row.text(5)).value_or(UserRole::User);
    user.createdAt = row.time(6);
    user.lastSeen = row.time(7);
    return user;
}

const QString kRoomColumns = u"r.id, r.uuid, r.kind, r.name, r.created_by, r.is_lobby, "
                             "r.created_at"_s;

RoomRecord readRoom(const Cursor &row)
{
    RoomRecord room;
    room.id = row.integer(0);
    room.uuid = row.uuid(1);
    room.kind = roomKindFromString(row.text(2)).value_or(RoomKind::Group);
    room.name = row.text(3);
    room.createdBy = row.integer(4); // NULL (the lobby) reads as 0
    room.isLobby = row.flag(5);
    room.createdAt = row.time(6);
    return room;
}

const QString kMembershipColumns = u"room_id, user_id, state, since"_s;

MembershipRecord readMembership(const Cursor &row)
{
    MembershipRecord membership;
    membership.roomId = row.integer(0);
    membership.userId = row.integer(1);
    membership.state = membershipStateFromString(row.text(2)).value_or(MembershipState::Blocked);
    membership.since = row.time(3);
    return membership;
}

const QString kMessageColumns = u"m.id, m.room_id, m.sender_id, m.kind, m.body, m.latitude, "
                                "m.longitude, m.client_id, m.created_at, m.seq"_s;

MessageRecord readMessage(const Cursor &row)
{
    MessageRecord message;
    message.id = row.integer(0);
    message.roomId = row.integer(1);
    message.senderId = row.integer(2);
    message.kind = messageKindFromString(row.text(3)).value_or(MessageKind::Text);
    message.body = row.text(4);
    message.latitude = row.number(5);
    message.longitude = row.number(6);
    message.clientId = row.text(7);
    message.createdAt = row.time(8);
    message.seq = row.integer(9);
    return message;
}

const QString kMarkColumns = u"room_id, user_id, delivered_up_to, read_up_to, delivered_at, read_at"_s;

MarkRecord readMark(const Cursor &row)
{
    MarkRecord mark;
    mark.roomId = row.integer(0);
    mark.userId = row.integer(1);
    mark.deliveredUpTo = row.integer(2);
    mark.readUpTo = row.integer(3);
    mark.deliveredAt = row.time(4);
    mark.readAt = row.time(5);
    return mark;
}

const QString kNotificationColumns = u"id, user_id, type, message, payload, is_read, created_at"_s;

NotificationRecord readNotification(const Cursor &row)
{
    NotificationRecord notification;
    notification.id = row.integer(0);
    notification.userId = row.integer(1);
    notification.type = row.text(2);
    notification.message = row.text(3);
    notification.payload = QJsonDocument::fromJson(row.text(4).toUtf8()).object();
    notification.isRead = row.flag(5);
    notification.createdAt = row.time(6);
    return notification;
}

qint64 readFirstColumn(const Cursor &row)
{
    return row.integer(0);
}

} // namespace

// ---------------------------------------------------------------------------

class Store::Private
{
public:
    explicit Private(Store *store)
        : q(store)
    {
    }

    Store *q;
    QSqlDatabase db;
    QString connectionName;
    DatabaseUrl::Kind kind = DatabaseUrl::Kind::Sqlite;
    int schemaVersion = 0;
    // Prepared once per connection and reused: saves a parse (SQLite) or a
    // PREPARE round trip (PostgreSQL) per call.
    std::unordered_map<QString, std::shared_ptr<QSqlQuery>> statements;
    bool inTransaction = false;
    QElapsedTimer lastReconnect;

    bool isSqlite() const { return kind == DatabaseUrl::Kind::Sqlite; }

    void clearError()
    {
        q->m_lastError = StoreError::None;
        q->m_lastErrorText.clear();
    }

    void fail(StoreError error, const QString &text)
    {
        q->m_lastError = error;
        q->m_lastErrorText = text;
    }

    // Unique violations are Conflict; a missing referenced row is NotFound.
    // The text names the statement, never the bound values.
    void failSql(const QSqlError &error, const QString &sql)
    {
        StoreError kind = StoreError::Database;
        switch (violationOf(error)) {
        case Violation::Unique:
            kind = StoreError::Conflict;
            break;
        case Violation::ForeignKey:
            kind = StoreError::NotFound;
            break;
        case Violation::None:
            break;
        }
        fail(kind, u"%1 [%2]"_s.arg(error.text(), sql.simplified().left(160)));
    }

    bool requireOpen()
    {
        if (db.isOpen())
            return true;
        if (!connectionName.isEmpty() && reconnectIfLost()) // PostgreSQL lost, and back now
            return true;
        fail(StoreError::Database, u"the store is not open"_s);
        return false;
    }

    std::shared_ptr<QSqlQuery> statement(const QString &sql);
    // PostgreSQL: after a failed statement, whether the connection is gone
    // (the server restarted or went away and came back); if so it is opened
    // again (at most once a second) and true says "try once more".
    bool reconnectIfLost();
    Cursor run(const QString &sql, Bindings bindings);
    bool exec(const QString &sql, Bindings bindings, int *rowsAffected = nullptr);
    bool execPlain(const QString &sql); // DDL, PRAGMA, BEGIN/COMMIT: nothing to bind
    std::optional<qint64> insertReturningId(const QString &sql, Bindings bindings);
    // An UPDATE/DELETE of one row: false with NotFound when no row matched.
    bool updateOne(const QString &sql, Bindings bindings, const QString &missing);

    template <typename T>
    std::optional<T> one(
        const QString &sql, Bindings bindings, T (*read)(const Cursor &), const QString &missing);
    template <typename T>
    QList<T> many(const QString &sql, Bindings bindings, T (*read)(const Cursor &));
    // COUNT(*) and friends; 0 (with lastError set) on failure.
    int count(const QString &sql, Bindings bindings);

    bool begin();
    bool commit();
    void rollback();

    // Rolls back unless committed, so every early return leaves no half-write.
    class Transaction
    {
    public:
        explicit Transaction(Private &store)
            : m_store(store)
        {
        }
        ~Transaction()
        {
            if (m_active)
                m_store.rollback();
        }
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;

        bool begin() { return m_active = m_store.begin(); }
        bool commit()
        {
            m_active = false;
            return m_store.commit();
        }

    private:
        Private &m_store;
        bool m_active = false;
    };

    bool configureConnection();
    bool migrate();
    std::optional<int> appliedVersion();
    bool applyMigration(const migrations::Migration &migration);

    std::optional<qint64> lobbyId();
    bool insertMembership(
        qint64 roomId, qint64 userId, MembershipState state, const QDateTime &since);
    std::optional<RoomRecord> insertRoom(const RoomRecord &room, const QString &directKey);
    // Inside a transaction: one message row (nullopt with *duplicate for a
    // client id stored before), one mark upsert (nullopt when unchanged).
    std::optional<MessageRecord> insertMessageRow(const NewMessage &message, bool *duplicate);
    std::optional<MessageRecord> insertMessageRowSqlite(MessageRecord record, bool *duplicate);
    QHash<qint64, qint64> lastSeqs; // SQLite: room → its newest seq, as committed or in this transaction
    std::optional<MarkRecord> advanceMarkRow(const MarkAdvance &advance);
};

std::shared_ptr<QSqlQuery> Store::Private::statement(const QString &sql)
{
    const auto cached = statements.find(sql);
    // In use by a live cursor (a nested call with the same SQL): use a one-off.
    if (cached != statements.end() && cached->second.use_count() == 1)
        return cached->second;

    auto query = std::make_shared<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->prepare(sql)) {
        failSql(query->lastError(), sql);
        return {};
    }
    if (cached == statements.end())
        statements.emplace(sql, query);
    return query;
}

bool Store::Private::reconnectIfLost()
{
    if (isSqlite() || inTransaction) // a transaction that lost its connection is lost: the caller fails
        return false;
    {
        QSqlQuery probe(db);
        if (db.isOpen() && probe.exec(u"SELECT 1"_s))
            return false; // the connection is fine: the error was the statement's
    }
    if (lastReconnect.isValid() && !lastReconnect.hasExpired(1000))
        return false;
    lastReconnect.start();
    statements.clear();
    db.close();
    if (!db.open() || !configureConnection()) {
        qCWarning(lcStore) << "the database is unreachable:" << db.lastError().text();
        return false;
    }
    qCInfo(lcStore) << "connected to the database again";
    return true;
}

Cursor Store::Private::run(const QString &sql, Bindings bindings)
{
    if (!requireOpen())
        return {};
    for (int attempt = 0;; ++attempt) {
        std::shared_ptr<QSqlQuery> query = statement(sql);
        if (!query) {
            if (attempt == 0 && reconnectIfLost())
                continue;
            return {};
        }
        for (const auto &[name, value] : bindings)
            query->bindValue(name, value);
        ++q->m_statementCount;
        if (query->exec())
            return Cursor(std::move(query));
        const QSqlError error = query->lastError();
        query->finish();
        query.reset();
        // A write may have been done before its answer was lost: only reads go again.
        const bool reconnected = attempt == 0 && reconnectIfLost();
        if (reconnected && sql.startsWith(u"SELECT"_s, Qt::CaseInsensitive))
            continue;
        failSql(error, sql);
        return {};
    }
}

bool Store::Private::exec(const QString &sql, Bindings bindings, int *rowsAffected)
{
    Cursor cursor = run(sql, bindings);
    if (cursor && rowsAffected)
        *rowsAffected = cursor.rowsAffected();
    return bool(cursor);
}

bool Store::Private::execPlain(const QString &sql)
{
    if (!requireOpen())
        return false;
    QSqlQuery query(db);
    ++q->m_statementCount;
    if (!query.exec(sql)) {
        failSql(query.lastError(), sql);
        return false;
    }
    return true;
}

bool Store::Private::updateOne(const QString &sql, Bindings bindings, const QString &missing)
{
    int affected = 0;
    if (!exec(sql, bindings, &affected))
        return false;
    if (affected == 0) {
        fail(StoreError::NotFound, missing);
        return false;
    }
    return true;
}

std::optional<qint64> Store::Private::insertReturningId(const QString &sql, Bindings bindings)
{
    return one(sql, bindings, readFirstColumn, u"the database returned no id"_s);
}

template <typename T>
std::optional<T> Store::Private::one(
    const QString &sql, Bindings bindings, T (*read)(const Cursor &), const QString &missing)
{
    Cursor cursor = run(sql, bindings);
    if (!cursor)
        return std::nullopt;
    if (!cursor.next()) {
        if (cursor.error().isValid())
            failSql(cursor.error(), sql);
        else
            fail(StoreError::NotFound, missing);
        return std::nullopt;
    }
    return read(cursor);
}

template <typename T>
QList<T> Store::Private::many(const QString &sql, Bindings bindings, T (*read)(const Cursor &))
{
    QList<T> rows;
    Cursor cursor = run(sql, bindings);
    if (!cursor)
        return rows;
    while (cursor.next())
        rows.append(read(cursor));
    if (cursor.error().isValid()) {
        failSql(cursor.error(), sql);
        rows.clear();
    }
    return rows;
}

int Store::Private::count(const QString &sql, Bindings bindings)
{
    return int(one(sql, bindings, readFirstColumn, u"no count"_s).value_or(0));
}

// SQLite: IMMEDIATE takes the write lock up front, so a writer waits on the
// busy timeout instead of failing later when a read lock would need upgrading.
bool Store::Private::begin()
{
    const QString sql = isSqlite() ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s;
    inTransaction = execPlain(sql) || (reconnectIfLost() && execPlain(sql));
    return inTransaction;
}

bool Store::Private::commit()
{
    inTransaction = false;
    if (execPlain(u"COMMIT"_s))
        return true;
    rollback();
    return false;
}

// Keeps the error that caused the rollback.
void Store::Private::rollback()
{
    inTransaction = false;
    lastSeqs.clear(); // may count rows that are gone now
    if (!db.isOpen())
        return;
    QSqlQuery query(db);
    query.exec(u"ROLLBACK"_s);
}

bool Store::Private::configureConnection()
{
    if (isSqlite()) {
        // foreign_keys is per connection and must be set outside a transaction.
        return execPlain(u"PRAGMA foreign_keys = ON"_s) && execPlain(u"PRAGMA journal_mode = WAL"_s)
            && execPlain(u"PRAGMA synchronous = NORMAL"_s)
            && execPlain(u"PRAGMA busy_timeout = 5000"_s);
    }
    // Keeps "already exists, skipping" notices of IF NOT EXISTS off stderr.
    return execPlain(u"SET client_min_messages TO WARNING"_s);
}

std::optional<int> Store::Private::appliedVersion()
{
    return one(u"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"_s, {}, readFirstColumn,
        u"no schema version"_s);
}

bool Store::Private::applyMigration(const migrations::Migration &migration)
{
    Transaction transaction(*this);
    if (!transaction.begin())
        return false;
    // Several server nodes may start at once: one migrates, the others wait
    // here and then find the version already applied.
    if (!isSqlite() && !execPlain(u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kMigrationLockKey)))
        return false;
    const std::optional<int> current = appliedVersion();
    if (!current)
        return false;
    if (*current >= migration.version)
        return true; // the destructor rolls back the empty transaction

    for (const migrations::Statement &step : migration.statements) {
        if (step.bindings.isEmpty()) {
            if (!execPlain(step.sql))
                return false;
            continue;
        }
        QSqlQuery query(db);
        if (!query.prepare(step.sql)) {
            failSql(query.lastError(), step.sql);
            return false;
        }
        for (auto it = step.bindings.cbegin(); it != step.bindings.cend(); ++it)
            query.bindValue(it.key(), it.value());
        if (!query.exec()) {
            failSql(query.lastError(), step.sql);
            return false;
        }
    }
    if (!exec(u"INSERT INTO schema_migrations (version, description, applied_at) "
              "VALUES (:version, :description, :applied)"_s,
            {{u":version"_s, migration.version}, {u":description"_s, migration.description},
                {u":applied"_s, QDateTime::currentMSecsSinceEpoch()}}))
        return false;
    return transaction.commit();
}

bool Store::Private::migrate()
{
    {
        Transaction transaction(*this);
        if (!transaction.begin()
            || (!isSqlite()
                && !execPlain(u"SELECT pg_advisory_xact_lock(%1)"_s.arg(kMigrationLockKey)))
            || !execPlain(migrations::createMigrationTableSql()) || !transaction.commit())
            return false;
    }
    const std::optional<int> current = appliedVersion();
    if (!current)
        return false;
    const int latest = migrations::latestVersion();
    if (*current > latest) {
        fail(StoreError::Database,
            u"the database has schema version %1, newer than this Natter supports (%2); "
            "upgrade Natter"_s.arg(*current)
                .arg(latest));
        return false;
    }

    const auto dialect = isSqlite() ? migrations::Dialect::Sqlite : migrations::Dialect::Postgres;
    for (const migrations::Migration &migration : migrations::all(dialect)) {
        if (migration.version > *current && !applyMigration(migration)) {
            q->m_lastErrorText = u"migration %1 (%2) failed: %3"_s.arg(
                QString::number(migration.version), migration.description, q->m_lastErrorText);
            return false;
        }
    }
    const std::optional<int> applied = appliedVersion();
    if (!applied)
        return false;
    schemaVersion = *applied;
    return true;
}

std::optional<qint64> Store::Private::lobbyId()
{
    return one(u"SELECT id FROM rooms WHERE is_lobby = 1"_s, {}, readFirstColumn,
        u"the lobby is missing"_s);
}

bool Store::Private::insertMembership(
    qint64 roomId, qint64 userId, MembershipState state, const QDateTime &since)
{
    return exec(u"INSERT INTO memberships (room_id, user_id, state, since) "
                "VALUES (:room, :user, :state, :since)"_s,
        {{u":room"_s, roomId}, {u":user"_s, userId}, {u":state"_s, toString(state)},
            {u":since"_s, since.toMSecsSinceEpoch()}});
}

std::optional<RoomRecord> Store::Private::insertRoom(
    const RoomRecord &room, const QString &directKey)
{
    const std::optional<qint64> id = insertReturningId(
        u"INSERT INTO rooms (uuid, kind, name, created_by, is_lobby, direct_key, created_at) "
        "VALUES (:uuid, :kind, :name, :creator, 0, :key, :created) RETURNING id"_s,
        {{u":uuid"_s, uuidText(room.uuid)}, {u":kind"_s, toString(room.kind)},
            {u":name"_s, nonNull(room.name)}, {u":creator"_s, room.createdBy},
            {u":key"_s, directKey.isEmpty() ? QVariant() : QVariant(directKey)},
            {u":created"_s, room.createdAt.toMSecsSinceEpoch()}});
    if (!id)
        return std::nullopt;
    RoomRecord created = room;
    created.id = *id;
    return created;
}

// ---------------------------------------------------------------------------

Store::Store(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
}

Store::~Store()
{
    close();
}

bool Store::open(const DatabaseUrl &url)
{
    close();
    d->clearError();
    d->kind = url.kind;
    d->connectionName = u"natter-store-%1"_s.arg(++g_connectionCounter);
    const QString driver = d->isSqlite() ? u"QSQLITE"_s : u"QPSQL"_s;
    d->db = QSqlDatabase::addDatabase(driver, d->connectionName);
    if (!d->db.isValid()) {
        d->fail(StoreError::Database, u"the Qt Sql driver %1 is not available"_s.arg(driver));
        close();
        return false;
    }

    if (d->isSqlite()) {
        // No set-up needed: the data directory is created on first use.
        if (url.path != u":memory:"_s && !url.path.startsWith(u"file:"_s))
            QDir().mkpath(QFileInfo(url.path).absolutePath());
        d->db.setDatabaseName(url.path);
    } else {
        d->db.setHostName(url.host);
        d->db.setPort(url.port);
        d->db.setUserName(url.user);
        d->db.setPassword(url.password);
        d->db.setDatabaseName(url.database);
        d->db.setConnectOptions(u"connect_timeout=10;application_name=natter"_s);
    }

    if (!d->db.open()) {
        d->fail(StoreError::Database,
            u"cannot open %1: %2"_s.arg(url.toDisplayString(), d->db.lastError().text()));
        close();
        return false;
    }
    if (!d->configureConnection() || !d->migrate()) {
        close(); // keeps the error
        return false;
    }
    return true;
}

void Store::close()
{
    d->statements.clear(); // every QSqlQuery must be gone before removeDatabase()
    d->lastSeqs.clear();
    d->schemaVersion = 0;
    if (d->connectionName.isEmpty())
        return;
    d->db.close();
    d->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(d->connectionName);
    d->connectionName.clear();
}

bool Store::isOpen() const
{
    return d->db.isOpen();
}

QString Store::driverName() const
{
    return d->db.isValid() ? d->db.driverName() : QString();
}

int Store::schemaVersion() const
{
    return d->schemaVersion;
}

int Store::latestSchemaVersion()
{
    return migrations::latestVersion();
}

// --- users -----------------------------------------------------------------

std::optional<UserRecord> Store::createUser(const QString &username, const QString &displayName,
    const QByteArray &passwordHash, UserRole role)
{
    d->clearError();
    UserRecord user;
    user.uuid = QUuid::createUuid();
    user.username = username;
    user.displayName = nonNull(displayName);
    user.passwordHash = nonNull(passwordHash);
    user.role = role;
    user.createdAt = nowUtc();

    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    const std::optional<qint64> id = d->insertReturningId(
        u"INSERT INTO users (uuid, username, display_name, password_hash, role, created_at) "
        "VALUES (:uuid, :username, :display, :hash, :role, :created) RETURNING id"_s,
        {{u":uuid"_s, uuidText(user.uuid)}, {u":username"_s, nonNull(username)},
            {u":display"_s, user.displayName}, {u":hash"_s, user.passwordHash},
            {u":role"_s, toString(role)}, {u":created"_s, user.createdAt.toMSecsSinceEpoch()}});
    if (!id)
        return std::nullopt;
    user.id = *id;

    const std::optional<qint64> lobby = d->lobbyId();
    if (!lobby || !d->insertMembership(*lobby, user.id, MembershipState::Active, user.createdAt)
        || !transaction.commit())
        return std::nullopt;
    emit membershipChanged(*lobby, user.id);
    return user;
}

std::optional<UserRecord> Store::userById(qint64 id)
{
    d->clearError();
    return d->one(u"SELECT "_s + kUserColumns + u" FROM users u WHERE u.id = :id"_s,
        {{u":id"_s, id}}, readUser, u"no user with id %1"_s.arg(id));
}

std::optional<UserRecord> Store::userByUuid(const QUuid &uuid)
{
    d->clearError();
    return d->one(u"SELECT "_s + kUserColumns + u" FROM users u WHERE u.uuid = :uuid"_s,
        {{u":uuid"_s, uuidText(uuid)}}, readUser, u"no user with uuid %1"_s.arg(uuidText(uuid)));
}

std::optional<UserRecord> Store::userByName(const QString &username)
{
    d->clearError();
    return d->one(u"SELECT "_s + kUserColumns + u" FROM users u WHERE u.username = :name"_s,
        {{u":name"_s, nonNull(username)}}, readUser, u"no user named %1"_s.arg(username));
}

QList<UserRecord> Store::users()
{
    d->clearError();
    return d->many(u"SELECT "_s + kUserColumns + u" FROM users u ORDER BY u.id"_s, {}, readUser);
}

QList<UserRecord> Store::searchUsers(const QString &text, qint64 excludedUserId, int limit)
{
    d->clearError();
    if (limit <= 0)
        return {};
    // LIKE wildcards in the text are literal; '!' escapes them.
    QString pattern = text.toLower();
    pattern.replace(u"!"_s, u"!!"_s).replace(u"%"_s, u"!%"_s).replace(u"_"_s, u"!_"_s);
    pattern = u"%"_s + pattern + u"%"_s;
    return d->many(u"SELECT "_s + kUserColumns + u" FROM users u WHERE u.id <> :excluded"
                                                  " AND (LOWER(u.username) LIKE :pattern ESCAPE '!'"
                                                  " OR LOWER(u.display_name) LIKE :pattern2 ESCAPE '!')"
                                                  " ORDER BY u.username LIMIT :limit"_s,
        {{u":excluded"_s, excludedUserId}, {u":pattern"_s, pattern}, {u":pattern2"_s, pattern},
         {u":limit"_s, limit}},
        readUser);
}

bool Store::setUserRole(qint64 userId, UserRole role)
{
    d->clearError();
    const bool changed = d->updateOne(u"UPDATE users SET role = :role WHERE id = :id"_s,
        {{u":role"_s, toString(role)}, {u":id"_s, userId}}, u"no user with id %1"_s.arg(userId));
    if (changed)
        emit userChanged(userId);
    return changed;
}

bool Store::setPasswordHash(qint64 userId, const QByteArray &passwordHash)
{
    d->clearError();
    const bool changed = d->updateOne(u"UPDATE users SET password_hash = :hash WHERE id = :id"_s,
        {{u":hash"_s, nonNull(passwordHash)}, {u":id"_s, userId}},
        u"no user with id %1"_s.arg(userId));
    if (changed)
        emit userChanged(userId);
    return changed;
}

bool Store::setLastSeen(qint64 userId, const QDateTime &when)
{
    d->clearError();
    const bool changed = d->updateOne(u"UPDATE users SET last_seen = :seen WHERE id = :id"_s,
        {{u":seen"_s, msecsOrNull(when)}, {u":id"_s, userId}}, u"no user with id %1"_s.arg(userId));
    if (changed)
        emit userChanged(userId);
    return changed;
}

// --- auth sessions -----------------------------------------------------------

bool Store::createSession(const QString &sessionId, qint64 userId, const QDateTime &expiresAt)
{
    d->clearError();
    return d->exec(u"INSERT INTO auth_sessions (id, user_id, created_at, expires_at) "
                   "VALUES (:id, :user, :created, :expires)"_s,
        {{u":id"_s, nonNull(sessionId)}, {u":user"_s, userId},
            {u":created"_s, QDateTime::currentMSecsSinceEpoch()},
            {u":expires"_s, orNow(expiresAt).toMSecsSinceEpoch()}});
}

bool Store::sessionIsValid(const QString &sessionId, qint64 userId, const QDateTime &now)
{
    d->clearError();
    return d->count(u"SELECT COUNT(*) FROM auth_sessions "
                    "WHERE id = :id AND user_id = :user AND expires_at > :now"_s,
               {{u":id"_s, nonNull(sessionId)}, {u":user"_s, userId},
                   {u":now"_s, orNow(now).toMSecsSinceEpoch()}})
        > 0;
}

bool Store::deleteSession(const QString &sessionId)
{
    d->clearError();
    return d->updateOne(u"DELETE FROM auth_sessions WHERE id = :id"_s,
        {{u":id"_s, nonNull(sessionId)}}, u"no such session"_s);
}

// --- rooms and memberships -------------------------------------------------------

std::optional<RoomRecord> Store::lobby()
{
    d->clearError();
    return d->one(u"SELECT "_s + kRoomColumns + u" FROM rooms r WHERE r.is_lobby = 1"_s, {},
        readRoom, u"the lobby is missing"_s);
}

std::optional<RoomRecord> Store::roomById(qint64 id)
{
    d->clearError();
    return d->one(u"SELECT "_s + kRoomColumns + u" FROM rooms r WHERE r.id = :id"_s,
        {{u":id"_s, id}}, readRoom, u"no room with id %1"_s.arg(id));
}

std::optional<RoomRecord> Store::roomByUuid(const QUuid &uuid)
{
    d->clearError();
    return d->one(u"SELECT "_s + kRoomColumns + u" FROM rooms r WHERE r.uuid = :uuid"_s,
        {{u":uuid"_s, uuidText(uuid)}}, readRoom, u"no room with uuid %1"_s.arg(uuidText(uuid)));
}

std::optional<RoomRecord> Store::createGroup(const QString &name, qint64 creatorId)
{
    d->clearError();
    RoomRecord room;
    room.uuid = QUuid::createUuid();
    room.kind = RoomKind::Group;
    room.name = nonNull(name);
    room.createdBy = creatorId;
    room.createdAt = nowUtc();

    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    const std::optional<RoomRecord> created = d->insertRoom(room, QString());
    if (!created
        || !d->insertMembership(created->id, creatorId, MembershipState::Active, room.createdAt)
        || !transaction.commit())
        return std::nullopt;
    emit membershipChanged(created->id, creatorId);
    return created;
}

std::optional<RoomRecord> Store::directRoom(qint64 userA, qint64 userB)
{
    d->clearError();
    return d->one(u"SELECT "_s + kRoomColumns + u" FROM rooms r WHERE r.direct_key = :key"_s,
        {{u":key"_s, directKey(userA, userB)}}, readRoom,
        u"users %1 and %2 have no direct room"_s.arg(userA).arg(userB));
}

std::optional<RoomRecord> Store::createDirectRoom(
    qint64 initiator, qint64 other, MembershipState otherState)
{
    d->clearError();
    RoomRecord room;
    room.uuid = QUuid::createUuid();
    room.kind = RoomKind::Direct;
    room.name = u""_s;
    room.createdBy = initiator;
    room.createdAt = nowUtc();
    const QString key = directKey(initiator, other);

    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    // Checked first so both engines report Conflict without relying on the
    // error of a failed INSERT; the unique key still guards against races.
    const int existing
        = d->count(u"SELECT COUNT(*) FROM rooms WHERE direct_key = :key"_s, {{u":key"_s, key}});
    if (m_lastError != StoreError::None)
        return std::nullopt;
    if (existing > 0) {
        d->fail(StoreError::Conflict,
            u"users %1 and %2 already have a direct room"_s.arg(initiator).arg(other));
        return std::nullopt;
    }

    const std::optional<RoomRecord> created = d->insertRoom(room, key);
    if (!created
        || !d->insertMembership(created->id, initiator, MembershipState::Active, room.createdAt))
        return std::nullopt;
    // A room with oneself ("notes to self") has a single, active membership.
    if (other != initiator && !d->insertMembership(created->id, other, otherState, room.createdAt))
        return std::nullopt;
    if (!transaction.commit())
        return std::nullopt;
    emit membershipChanged(created->id, initiator);
    if (other != initiator)
        emit membershipChanged(created->id, other);
    return created;
}

bool Store::setMembership(qint64 roomId, qint64 userId, MembershipState state)
{
    d->clearError();
    // `since` is when the current state began: kept when the state is unchanged.
    const bool stored = d->exec(u"INSERT INTO memberships (room_id, user_id, state, since) "
                   "VALUES (:room, :user, :state, :since) "
                   "ON CONFLICT (room_id, user_id) DO UPDATE SET state = excluded.state, "
                   "since = CASE WHEN memberships.state = excluded.state "
                   "THEN memberships.since ELSE excluded.since END"_s,
        {{u":room"_s, roomId}, {u":user"_s, userId}, {u":state"_s, toString(state)},
            {u":since"_s, QDateTime::currentMSecsSinceEpoch()}});
    if (stored)
        emit membershipChanged(roomId, userId);
    return stored;
}

bool Store::removeMembership(qint64 roomId, qint64 userId)
{
    d->clearError();
    const bool removed = d->updateOne(u"DELETE FROM memberships WHERE room_id = :room AND user_id = :user"_s,
        {{u":room"_s, roomId}, {u":user"_s, userId}},
        u"user %1 is not a member of room %2"_s.arg(userId).arg(roomId));
    if (removed)
        emit membershipChanged(roomId, userId);
    return removed;
}

std::optional<MembershipRecord> Store::membership(qint64 roomId, qint64 userId)
{
    d->clearError();
    return d->one(u"SELECT "_s + kMembershipColumns
            + u" FROM memberships WHERE room_id = :room AND user_id = :user"_s,
        {{u":room"_s, roomId}, {u":user"_s, userId}}, readMembership,
        u"user %1 is not a member of room %2"_s.arg(userId).arg(roomId));
}

QList<MembershipRecord> Store::members(qint64 roomId, std::optional<MembershipState> state)
{
    d->clearError();
    if (!state)
        return d->many(u"SELECT "_s + kMembershipColumns
                + u" FROM memberships WHERE room_id = :room ORDER BY user_id"_s,
            {{u":room"_s, roomId}}, readMembership);
    return d->many(u"SELECT "_s + kMembershipColumns
            + u" FROM memberships WHERE room_id = :room AND state = :state "
              "ORDER BY user_id"_s,
        {{u":room"_s, roomId}, {u":state"_s, toString(*state)}}, readMembership);
}

QList<RoomRecord> Store::roomsOfUser(qint64 userId, MembershipState state)
{
    d->clearError();
    return d->many(u"SELECT "_s + kRoomColumns
            + u" FROM rooms r JOIN memberships ms ON ms.room_id = r.id "
              "WHERE ms.user_id = :user AND ms.state = :state ORDER BY r.id"_s,
        {{u":user"_s, userId}, {u":state"_s, toString(state)}}, readRoom);
}

QList<qint64> Store::contactsOf(qint64 userId)
{
    d->clearError();
    return d->many(u"SELECT DISTINCT other.user_id "
                   "FROM memberships mine "
                   "JOIN rooms r ON r.id = mine.room_id AND r.is_lobby = 0 "
                   "JOIN memberships other ON other.room_id = mine.room_id "
                   "WHERE mine.user_id = :user AND mine.state = 'active' "
                   "AND other.state = 'active' AND other.user_id <> :user "
                   "ORDER BY other.user_id"_s,
        {{u":user"_s, userId}}, readFirstColumn);
}

// --- messages and marks ------------------------------------------------------------

// The room's next seq is read in the insert itself (an index lookup), so no
// seq is ever taken by a row that is not written. A (sender, client id) stored
// before writes nothing and returns no row: a batch goes on without an error
// that would abort a PostgreSQL transaction.
std::optional<MessageRecord> Store::Private::insertMessageRow(const NewMessage &message, bool *duplicate)
{
    *duplicate = false;
    MessageRecord record;
    record.roomId = message.roomId;
    record.senderId = message.senderId;
    record.kind = message.kind;
    record.body = nonNull(message.body);
    const bool located = message.kind == MessageKind::Location;
    record.latitude = located ? message.latitude : 0;
    record.longitude = located ? message.longitude : 0;
    record.clientId = message.clientId;
    record.createdAt = nowUtc();
    if (isSqlite())
        return insertMessageRowSqlite(std::move(record), duplicate);
    const QString sql = u"INSERT INTO messages (room_id, sender_id, kind, body, latitude, longitude, client_id, "
                        "created_at, seq) VALUES (:room, :sender, :kind, :body, :lat, :lon, :client, :created, "
                        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE room_id = :room)) "
                        "ON CONFLICT (sender_id, client_id) DO NOTHING RETURNING id, seq"_s;
    Cursor cursor = run(sql,
        {{u":room"_s, record.roomId}, {u":sender"_s, record.senderId}, {u":kind"_s, toString(record.kind)},
            {u":body"_s, record.body}, {u":lat"_s, located ? QVariant(record.latitude) : QVariant()},
            {u":lon"_s, located ? QVariant(record.longitude) : QVariant()},
            {u":client"_s, record.clientId.isEmpty() ? QVariant() : QVariant(record.clientId)},
            {u":created"_s, record.createdAt.toMSecsSinceEpoch()}});
    if (!cursor)
        return std::nullopt;
    if (!cursor.next()) {
        if (cursor.error().isValid()) {
            failSql(cursor.error(), sql);
            return std::nullopt;
        }
        *duplicate = true;
        fail(StoreError::Conflict, u"user %1 stored that client id before"_s.arg(record.senderId));
        return std::nullopt;
    }
    record.id = cursor.integer(0);
    record.seq = cursor.integer(1);
    return record;
}

// SQLite has one writer (BEGIN IMMEDIATE): the next seq per room is kept
// here, read once from the index and forgotten with any rollback, and the
// row id comes back without a RETURNING result set.
std::optional<MessageRecord> Store::Private::insertMessageRowSqlite(MessageRecord record, bool *duplicate)
{
    auto last = lastSeqs.find(record.roomId);
    if (last == lastSeqs.end()) {
        const auto seq = one(u"SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = :room"_s,
                             {{u":room"_s, record.roomId}}, readFirstColumn, u"no seq"_s);
        if (!seq)
            return std::nullopt;
        last = lastSeqs.insert(record.roomId, *seq);
    }
    record.seq = *last + 1;
    const bool located = record.kind == MessageKind::Location;
    Cursor cursor = run(u"INSERT INTO messages (room_id, sender_id, kind, body, latitude, longitude, client_id, "
                        "created_at, seq) VALUES (:room, :sender, :kind, :body, :lat, :lon, :client, :created, :seq) "
                        "ON CONFLICT (sender_id, client_id) DO NOTHING"_s,
        {{u":room"_s, record.roomId}, {u":sender"_s, record.senderId}, {u":kind"_s, toString(record.kind)},
            {u":body"_s, record.body}, {u":lat"_s, located ? QVariant(record.latitude) : QVariant()},
            {u":lon"_s, located ? QVariant(record.longitude) : QVariant()},
            {u":client"_s, record.clientId.isEmpty() ? QVariant() : QVariant(record.clientId)},
            {u":created"_s, record.createdAt.toMSecsSinceEpoch()}, {u":seq"_s, record.seq}});
    if (!cursor)
        return std::nullopt;
    if (cursor.rowsAffected() == 0) {
        *duplicate = true;
        fail(StoreError::Conflict, u"user %1 stored that client id before"_s.arg(record.senderId));
        return std::nullopt;
    }
    record.id = cursor.lastInsertId();
    *last = record.seq;
    return record;
}

std::optional<MarkRecord> Store::Private::advanceMarkRow(const MarkAdvance &advance)
{
    if ((advance.status != DeliveryStatus::Delivered && advance.status != DeliveryStatus::Read) || advance.seq <= 0)
        return std::nullopt; // only delivery and reading move a mark
    const bool read = advance.status == DeliveryStatus::Read;
    const qint64 at = orNow(advance.at).toMSecsSinceEpoch();
    // Forward only, on both engines (CASE, not MAX/GREATEST); no row changes
    // when neither mark would move.
    const QString sql = u"INSERT INTO room_marks (room_id, user_id, delivered_up_to, read_up_to, delivered_at, read_at) "
                        "VALUES (:room, :user, :seq, :read_seq, :at, :read_at) "
                        "ON CONFLICT (room_id, user_id) DO UPDATE SET "
                        "delivered_at = CASE WHEN excluded.delivered_up_to > room_marks.delivered_up_to "
                        "THEN excluded.delivered_at ELSE room_marks.delivered_at END, "
                        "read_at = CASE WHEN excluded.read_up_to > room_marks.read_up_to "
                        "THEN excluded.read_at ELSE room_marks.read_at END, "
                        "delivered_up_to = CASE WHEN excluded.delivered_up_to > room_marks.delivered_up_to "
                        "THEN excluded.delivered_up_to ELSE room_marks.delivered_up_to END, "
                        "read_up_to = CASE WHEN excluded.read_up_to > room_marks.read_up_to "
                        "THEN excluded.read_up_to ELSE room_marks.read_up_to END "
                        "WHERE excluded.delivered_up_to > room_marks.delivered_up_to "
                        "OR excluded.read_up_to > room_marks.read_up_to "
                        "RETURNING "_s + kMarkColumns;
    Cursor cursor = run(sql, {{u":room"_s, advance.roomId}, {u":user"_s, advance.userId}, {u":seq"_s, advance.seq},
                              {u":read_seq"_s, read ? advance.seq : 0}, {u":at"_s, at},
                              {u":read_at"_s, read ? QVariant(at) : QVariant()}});
    if (!cursor)
        return std::nullopt;
    if (!cursor.next()) {
        if (cursor.error().isValid())
            failSql(cursor.error(), sql);
        return std::nullopt; // unchanged
    }
    return readMark(cursor);
}

std::optional<MessageRecord> Store::insertMessage(const NewMessage &message)
{
    d->clearError();
    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    bool duplicate = false;
    std::optional<MessageRecord> stored = d->insertMessageRow(message, &duplicate);
    if (!stored || !transaction.commit())
        return std::nullopt;
    return stored;
}

std::optional<QList<std::optional<MessageRecord>>> Store::commitBatch(const QList<NewMessage> &messages,
                                                                      const QList<MarkAdvance> &marks)
{
    d->clearError();
    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    // PostgreSQL: several nodes may post to one room at once. Each room's row
    // is locked (in id order: no deadlock between batches) before its next
    // seq is read, so seqs stay gap-free and unique; the lock goes at COMMIT.
    // NO KEY UPDATE: foreign-key checks (a first mark, a membership) take KEY
    // SHARE on the room, which this lock leaves alone.
    if (!d->isSqlite()) {
        QList<qint64> rooms;
        for (const NewMessage &message : messages)
            rooms.append(message.roomId);
        std::sort(rooms.begin(), rooms.end());
        rooms.erase(std::unique(rooms.begin(), rooms.end()), rooms.end());
        for (qint64 roomId : std::as_const(rooms)) {
            if (!d->exec(u"SELECT id FROM rooms WHERE id = :room FOR NO KEY UPDATE"_s, {{u":room"_s, roomId}}))
                return std::nullopt;
        }
    }
    QList<std::optional<MessageRecord>> stored;
    stored.reserve(messages.size());
    for (const NewMessage &message : messages) {
        bool duplicate = false;
        std::optional<MessageRecord> record = d->insertMessageRow(message, &duplicate);
        if (!record && !duplicate)
            return std::nullopt;
        stored.append(record);
    }
    // In one order on every node, so two batches never wait on each other's marks.
    QList<MarkAdvance> ordered = marks;
    std::sort(ordered.begin(), ordered.end(), [](const MarkAdvance &a, const MarkAdvance &b) {
        return std::tie(a.roomId, a.userId, a.status) < std::tie(b.roomId, b.userId, b.status);
    });
    for (const MarkAdvance &advance : std::as_const(ordered)) {
        d->clearError();
        if (!d->advanceMarkRow(advance) && m_lastError != StoreError::None)
            return std::nullopt;
    }
    d->clearError();
    if (!transaction.commit())
        return std::nullopt;
    return stored;
}

std::optional<MessageRecord> Store::messageById(qint64 id)
{
    d->clearError();
    return d->one(u"SELECT "_s + kMessageColumns + u" FROM messages m WHERE m.id = :id"_s,
        {{u":id"_s, id}}, readMessage, u"no message with id %1"_s.arg(id));
}

std::optional<MessageRecord> Store::messageByClientId(qint64 senderId, const QString &clientId)
{
    d->clearError();
    if (clientId.isEmpty()) {
        d->fail(StoreError::NotFound, u"an empty client id names no message"_s);
        return std::nullopt;
    }
    return d->one(u"SELECT "_s + kMessageColumns
            + u" FROM messages m WHERE m.sender_id = :sender AND m.client_id = :client"_s,
        {{u":sender"_s, senderId}, {u":client"_s, clientId}}, readMessage,
        u"no message from user %1 with that client id"_s.arg(senderId));
}

QList<MessageRecord> Store::messages(qint64 roomId, int limit, int offset)
{
    d->clearError();
    if (limit <= 0)
        return {};
    // Seqs are gap-free and messages are never deleted one by one: the
    // message `offset` below the newest has seq last - offset.
    const qint64 top = lastSeq(roomId) - qMax(0, offset);
    if (top <= 0)
        return {};
    return messagesBefore(roomId, top + 1, limit);
}

QList<MessageRecord> Store::messagesBefore(qint64 roomId, qint64 beforeSeq, int limit)
{
    d->clearError();
    if (limit <= 0)
        return {};
    return d->many(u"SELECT "_s + kMessageColumns
            + u" FROM messages m WHERE m.room_id = :room AND m.seq < :before "
              "ORDER BY m.seq DESC LIMIT :limit"_s,
        {{u":room"_s, roomId}, {u":before"_s, beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max()},
            {u":limit"_s, limit}},
        readMessage);
}

QList<MessageRecord> Store::messagesAfter(qint64 roomId, qint64 afterSeq, int limit)
{
    d->clearError();
    if (limit <= 0)
        return {};
    return d->many(u"SELECT "_s + kMessageColumns
            + u" FROM messages m WHERE m.room_id = :room AND m.seq > :after "
              "ORDER BY m.seq LIMIT :limit"_s,
        {{u":room"_s, roomId}, {u":after"_s, afterSeq}, {u":limit"_s, limit}}, readMessage);
}

std::optional<MessageRecord> Store::lastMessage(qint64 roomId)
{
    d->clearError();
    return d->one(u"SELECT "_s + kMessageColumns
            + u" FROM messages m WHERE m.room_id = :room ORDER BY m.seq DESC LIMIT 1"_s,
        {{u":room"_s, roomId}}, readMessage, u"room %1 has no messages"_s.arg(roomId));
}

QHash<qint64, MessageRecord> Store::lastMessages(const QList<qint64> &roomIds)
{
    d->clearError();
    QHash<qint64, MessageRecord> last;
    // Rooms in chunks of a fixed size (padded with an id no room has), so the
    // statement is prepared once whatever the list; per room the newest seq
    // comes from the (room, seq) index.
    constexpr int chunk = 32;
    QStringList holders;
    for (int i = 0; i < chunk; ++i)
        holders.append(u":r%1"_s.arg(i));
    const QString sql = u"SELECT "_s + kMessageColumns
        + u" FROM rooms r JOIN messages m ON m.room_id = r.id AND m.seq = "
          "(SELECT MAX(x.seq) FROM messages x WHERE x.room_id = r.id) WHERE r.id IN ("_s
        + holders.join(u", "_s) + u")"_s;
    for (qsizetype first = 0; first < roomIds.size(); first += chunk) {
        Bindings bindings;
        for (int i = 0; i < chunk; ++i)
            bindings.append({holders.at(i), first + i < roomIds.size() ? roomIds.at(first + i) : qint64(-1)});
        const QList<MessageRecord> rows = d->many(sql, bindings, readMessage);
        if (m_lastError != StoreError::None)
            return {};
        for (const MessageRecord &message : rows)
            last.insert(message.roomId, message);
    }
    return last;
}

std::optional<QString> Store::sharedSetting(const QString &name, const QString &proposed)
{
    d->clearError();
    if (!d->exec(u"INSERT INTO shared_settings (name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING"_s,
                 {{u":name"_s, name}, {u":value"_s, proposed}}))
        return std::nullopt;
    const auto read = [](const Cursor &cursor) { return cursor.text(0); };
    return d->one<QString>(u"SELECT value FROM shared_settings WHERE name = :name"_s, {{u":name"_s, name}},
                           read, u"no setting %1"_s.arg(name));
}

QHash<qint64, qint64> Store::lastSeqs()
{
    d->clearError();
    QHash<qint64, qint64> seqs;
    Cursor cursor = d->run(u"SELECT room_id, MAX(seq) FROM messages GROUP BY room_id"_s, {});
    if (!cursor)
        return seqs;
    while (cursor.next())
        seqs.insert(cursor.integer(0), cursor.integer(1));
    return seqs;
}

qint64 Store::lastSeq(qint64 roomId)
{
    d->clearError();
    return d->one(u"SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = :room"_s, {{u":room"_s, roomId}},
                  readFirstColumn, u"no seq"_s)
        .value_or(0);
}

int Store::messageCount(qint64 roomId)
{
    d->clearError();
    return d->count(
        u"SELECT COUNT(*) FROM messages WHERE room_id = :room"_s, {{u":room"_s, roomId}});
}

int Store::messageCountSince(qint64 userId, const QDateTime &since)
{
    d->clearError();
    return d->count(u"SELECT COUNT(*) FROM messages m "
                    "JOIN memberships ms ON ms.room_id = m.room_id "
                    "WHERE ms.user_id = :user AND ms.state = 'active' AND m.created_at >= :since"_s,
        {{u":user"_s, userId}, {u":since"_s, orNow(since).toMSecsSinceEpoch()}});
}

int Store::activeRoomCountSince(qint64 userId, const QDateTime &since)
{
    d->clearError();
    return d->count(u"SELECT COUNT(DISTINCT m.room_id) FROM messages m "
                    "JOIN memberships ms ON ms.room_id = m.room_id "
                    "WHERE ms.user_id = :user AND ms.state = 'active' AND m.created_at >= :since"_s,
        {{u":user"_s, userId}, {u":since"_s, orNow(since).toMSecsSinceEpoch()}});
}

int Store::messageCountInRoomSince(qint64 roomId, const QDateTime &since)
{
    d->clearError();
    return d->count(u"SELECT COUNT(*) FROM messages WHERE room_id = :room AND created_at >= :since"_s,
        {{u":room"_s, roomId}, {u":since"_s, orNow(since).toMSecsSinceEpoch()}});
}

std::optional<MarkRecord> Store::mark(qint64 roomId, qint64 userId)
{
    d->clearError();
    return d->one(u"SELECT "_s + kMarkColumns + u" FROM room_marks WHERE room_id = :room AND user_id = :user"_s,
        {{u":room"_s, roomId}, {u":user"_s, userId}}, readMark,
        u"no mark of user %1 in room %2"_s.arg(userId).arg(roomId));
}

QList<MarkRecord> Store::marks(qint64 roomId)
{
    d->clearError();
    return d->many(u"SELECT "_s + kMarkColumns + u" FROM room_marks WHERE room_id = :room ORDER BY user_id"_s,
        {{u":room"_s, roomId}}, readMark);
}

std::optional<MarkRecord> Store::advanceMark(const MarkAdvance &advance)
{
    d->clearError();
    Private::Transaction transaction(*d);
    if (!transaction.begin())
        return std::nullopt;
    std::optional<MarkRecord> moved = d->advanceMarkRow(advance);
    if (!moved || !transaction.commit())
        return std::nullopt;
    return moved;
}

int Store::unreadCount(qint64 roomId, qint64 userId)
{
    d->clearError();
    return d->count(u"SELECT COUNT(*) FROM messages m "
                    "JOIN memberships ms ON ms.room_id = m.room_id AND ms.user_id = :user "
                    "LEFT JOIN room_marks mk ON mk.room_id = m.room_id AND mk.user_id = :user "
                    "WHERE m.room_id = :room AND m.sender_id <> :user AND m.created_at >= ms.since "
                    "AND m.seq > COALESCE(mk.read_up_to, 0)"_s,
        {{u":user"_s, userId}, {u":room"_s, roomId}});
}

QHash<qint64, int> Store::unreadCounts(qint64 userId)
{
    d->clearError();
    QHash<qint64, int> counts;
    const QString sql = u"SELECT m.room_id, COUNT(*) FROM messages m "
                        "JOIN memberships ms ON ms.room_id = m.room_id AND ms.user_id = :user AND ms.state = 'active' "
                        "LEFT JOIN room_marks mk ON mk.room_id = m.room_id AND mk.user_id = :user "
                        "WHERE m.sender_id <> :user AND m.created_at >= ms.since "
                        "AND m.seq > COALESCE(mk.read_up_to, 0) GROUP BY m.room_id"_s;
    Cursor cursor = d->run(sql, {{u":user"_s, userId}});
    if (!cursor)
        return counts;
    while (cursor.next())
        counts.insert(cursor.integer(0), int(cursor.integer(1)));
    if (cursor.error().isValid())
        d->failSql(cursor.error(), sql);
    return counts;
}

// --- notifications -------------------------------------------------------------------

std::optional<NotificationRecord> Store::addNotification(
    qint64 userId, const QString &type, const QString &message, const QJsonObject &payload)
{
    d->clearError();
    NotificationRecord record;
    record.userId = userId;
    record.type = nonNull(type);
    record.message = nonNull(message);
    record.payload = payload;
    record.createdAt = nowUtc();
    const std::optional<qint64> id = d->insertReturningId(
        u"INSERT INTO notifications (user_id, type, message, payload, is_read, created_at) "
        "VALUES (:user, :type, :message, :payload, 0, :created) RETURNING id"_s,
        {{u":user"_s, userId}, {u":type"_s, record.type}, {u":message"_s, record.message},
            {u":payload"_s,
                QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact))},
            {u":created"_s, record.createdAt.toMSecsSinceEpoch()}});
    if (!id)
        return std::nullopt;
    record.id = *id;
    return record;
}

QList<NotificationRecord> Store::notifications(qint64 userId, int limit, int offset)
{
    d->clearError();
    if (limit <= 0)
        return {};
    return d->many(u"SELECT "_s + kNotificationColumns
            + u" FROM notifications WHERE user_id = :user "
              "ORDER BY id DESC LIMIT :limit OFFSET :offset"_s,
        {{u":user"_s, userId}, {u":limit"_s, limit}, {u":offset"_s, qMax(0, offset)}},
        readNotification);
}

bool Store::markNotificationsRead(qint64 userId)
{
    d->clearError();
    return d->exec(u"UPDATE notifications SET is_read = 1 WHERE user_id = :user AND is_read = 0"_s,
        {{u":user"_s, userId}});
}

bool Store::markGroupNotificationsRead(qint64 userId, const QString &type, qint64 groupId)
{
    d->clearError();
    // The payload is JSON text; picking rows in C++ keeps the SQL the same on SQLite and PostgreSQL.
    const QList<NotificationRecord> unread = d->many(u"SELECT "_s + kNotificationColumns
            + u" FROM notifications WHERE user_id = :user AND type = :type AND is_read = 0"_s,
        {{u":user"_s, userId}, {u":type"_s, type}}, readNotification);
    if (lastError() != StoreError::None)
        return false;
    for (const NotificationRecord &notification : unread) {
        if (notification.payload.value(u"group_id"_s).toInteger() != groupId)
            continue;
        if (!d->exec(u"UPDATE notifications SET is_read = 1 WHERE id = :id"_s, {{u":id"_s, notification.id}}))
            return false;
    }
    return true;
}

} // namespace natter::server
