// Not a test: how fast does the hub persist messages with group commit, and
// how long does a durable ack take? Three figures, one run, one disk (SQLite
// in WAL mode, synchronous=NORMAL, as the server runs it):
//
//  1. hub throughput: one group of 10 members (no sessions attached: we
//     measure persistence, not fan-out); `messages` posts through
//     Hub::postMessage in bursts of 1000 from the event loop, so the queue
//     fills while the commit window is open. Time from the first post to
//     the last ack (done with Result::Posted); commits from Hub::commitCount().
//  2. raw SQLite: the same rows through one prepared INSERT on a plain
//     QSqlDatabase (same schema, same PRAGMAs), in transactions of the hub's
//     average batch size: the floor the hub's overhead is judged against
//     (goal: hub/raw >= 0.8).
//  3. ack latency: 1000 posts/s for `seconds` seconds, paced by a 1 ms
//     precise timer; per message the time from postMessage to its done
//     callback; p50, p99 and max.
//
//   bench_store [--messages M=200000] [--seconds N=10] [--window MS=0] [--dir DIR]
//
// The databases go to a fresh directory under DIR (default $TMPDIR), removed
// at the end. Quote figures from a release build (build/ci), not Debug.

#include "hub.h"
#include "store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <vector>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::server;

namespace {

constexpr int kMembers = 10;
constexpr qint64 kBurst = 1000; // posts per event-loop pass in the throughput run
constexpr qint64 kRate = 1000;  // posts per second in the latency run
// The typing expiry does not matter here: nobody types.
constexpr std::chrono::seconds kTypingExpiry(5);

[[noreturn]] void fail(const QString &what)
{
    QTextStream(stderr) << "bench_store: " << what << Qt::endl;
    std::exit(1);
}

struct Room
{
    qint64 id = 0;
    QList<qint64> members;
};

// A fresh database with the bench's group: the same ids in every file, so the
// raw run inserts the hub run's rows unchanged.
Room openWithRoom(Store &store, const QString &path)
{
    if (!store.open(DatabaseUrl::sqlite(path)))
        fail(u"cannot open %1: %2"_s.arg(path, store.lastErrorText()));
    Room room;
    for (int i = 1; i <= kMembers; ++i) {
        const auto user = store.createUser(u"bench%1"_s.arg(i), u"Bench %1"_s.arg(i), QByteArray("x"),
                                           UserRole::User);
        if (!user)
            fail(u"createUser: "_s + store.lastErrorText());
        room.members.append(user->id);
    }
    const auto group = store.createGroup(u"bench"_s, room.members.first());
    if (!group)
        fail(u"createGroup: "_s + store.lastErrorText());
    room.id = group->id;
    for (qsizetype i = 1; i < room.members.size(); ++i) {
        if (!store.setMembership(room.id, room.members.at(i), MembershipState::Active))
            fail(u"setMembership: "_s + store.lastErrorText());
    }
    return room;
}

// Senders take turns; client ids as a dialect would send them (they keep the
// unique (sender, client id) index as busy as in production).
NewMessage messageFor(const Room &room, qint64 index)
{
    NewMessage message;
    message.roomId = room.id;
    message.senderId = room.members.at(index % room.members.size());
    message.kind = MessageKind::Text;
    message.body = u"bench message number %1, about as long as a chat line"_s.arg(index);
    message.clientId = u"c%1"_s.arg(index);
    return message;
}

// The directory reads rooms and users from SQL on first use: not what we time.
void warm(Hub &hub, const Room &room)
{
    hub.directory().members(room.id);
    for (qint64 member : room.members)
        hub.directory().user(member);
}

// exec() with a deadline, so a lost ack ends the bench instead of hanging it.
void runLoop(QEventLoop &loop, std::chrono::milliseconds deadline, const QString &phase)
{
    QTimer::singleShot(deadline, &loop, [&loop] { loop.exit(1); });
    if (loop.exec() != 0)
        fail(phase + u": not every post was answered in time"_s);
}

QString perSecond(double rate)
{
    return rate >= 10000 ? QString::number(rate / 1000, 'f', 0) + u"k"_s : QString::number(rate, 'f', 0);
}

QString ms(qint64 nsecs) { return QString::number(double(nsecs) / 1e6, 'f', 2) + u" ms"_s; }

// --- 1. hub group commit ---------------------------------------------------

std::vector<NewMessage> messagesFor(const Room &room, qint64 count)
{
    std::vector<NewMessage> messages;
    messages.reserve(size_t(count));
    for (qint64 i = 0; i < count; ++i)
        messages.push_back(messageFor(room, i));
    return messages;
}

struct HubRun
{
    double seconds = 0;
    qint64 commits = 0;
    qint64 statements = 0;
};

HubRun runHub(const QString &path, qint64 messages, std::chrono::milliseconds window)
{
    Store store;
    const Room room = openWithRoom(store, path);
    Hub hub(store, kTypingExpiry, window);
    warm(hub, room);
    // Built before timing, as a dialect has them from the frame it parsed.
    const std::vector<NewMessage> outgoing = messagesFor(room, messages);

    QEventLoop loop;
    QElapsedTimer clock;
    qint64 posted = 0;
    qint64 acked = 0;
    qint64 elapsed = 0;
    const qint64 commitsBefore = hub.commitCount();
    const qint64 statementsBefore = store.statementCount();
    const auto done = [&](const PostOutcome &outcome) {
        if (outcome.result != PostOutcome::Result::Posted)
            fail(u"post refused or failed: "_s + outcome.error + u" "_s + store.lastErrorText());
        if (++acked == messages) {
            elapsed = clock.nsecsElapsed();
            loop.quit();
        }
    };
    // One burst per pass; the window's timer flushes between passes.
    std::function<void()> burst = [&] {
        for (const qint64 end = std::min(posted + kBurst, messages); posted < end; ++posted)
            hub.postMessage(outgoing[size_t(posted)], nullptr, &loop, done);
        if (posted < messages)
            QTimer::singleShot(0, &loop, burst);
    };
    clock.start();
    QTimer::singleShot(0, &loop, burst);
    runLoop(loop, std::chrono::minutes(10), u"hub run"_s);

    HubRun run;
    run.seconds = double(elapsed) / 1e9;
    run.commits = hub.commitCount() - commitsBefore;
    run.statements = store.statementCount() - statementsBefore;
    return run;
}

// --- 2. raw batched inserts --------------------------------------------------

void execChecked(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        fail(what + u": "_s + query.lastError().text());
}

double runRaw(const QString &path, qint64 messages, qint64 batch)
{
    Room room;
    {
        // The store's migrations make the schema; its users and group satisfy
        // the foreign keys.
        Store store;
        room = openWithRoom(store, path);
        store.close();
    }
    const QString connection = u"bench_raw"_s;
    double seconds = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (!db.open())
            fail(u"raw open: "_s + db.lastError().text());
        // As Store::Private::configureConnection has them.
        for (const QString &pragma : {u"PRAGMA foreign_keys = ON"_s, u"PRAGMA journal_mode = WAL"_s,
                                      u"PRAGMA synchronous = NORMAL"_s, u"PRAGMA busy_timeout = 5000"_s}) {
            QSqlQuery query(db);
            if (!query.exec(pragma))
                fail(pragma + u": "_s + query.lastError().text());
        }
        QSqlQuery begin(db);
        QSqlQuery commit(db);
        QSqlQuery insert(db);
        // BEGIN IMMEDIATE as the store's transactions; seq given, not looked up.
        if (!begin.prepare(u"BEGIN IMMEDIATE"_s) || !commit.prepare(u"COMMIT"_s)
            || !insert.prepare(u"INSERT INTO messages (room_id, sender_id, kind, body, client_id, created_at, seq) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)"_s))
            fail(u"raw prepare: "_s + db.lastError().text());

        std::vector<NewMessage> outgoing;
        outgoing.reserve(size_t(messages));
        for (qint64 i = 0; i < messages; ++i)
            outgoing.push_back(messageFor(room, i));
        const QString kind = toString(MessageKind::Text);

        QElapsedTimer clock;
        clock.start();
        for (qint64 i = 0; i < messages; ++i) {
            if (i % batch == 0)
                execChecked(begin, u"BEGIN"_s);
            const NewMessage &message = outgoing[size_t(i)];
            insert.bindValue(0, message.roomId);
            insert.bindValue(1, message.senderId);
            insert.bindValue(2, kind);
            insert.bindValue(3, message.body);
            insert.bindValue(4, message.clientId);
            insert.bindValue(5, QDateTime::currentMSecsSinceEpoch());
            insert.bindValue(6, i + 1);
            execChecked(insert, u"INSERT"_s);
            if ((i + 1) % batch == 0 || i + 1 == messages)
                execChecked(commit, u"COMMIT"_s);
        }
        seconds = double(clock.nsecsElapsed()) / 1e9;
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return double(messages) / seconds;
}

// --- 3. durable ack latency at a fixed rate ------------------------------------

struct LatencyRun
{
    std::vector<qint64> nsecs; // sorted
    qint64 commits = 0;
};

LatencyRun runLatency(const QString &path, int seconds, std::chrono::milliseconds window)
{
    Store store;
    const Room room = openWithRoom(store, path);
    Hub hub(store, kTypingExpiry, window);
    warm(hub, room);
    const qint64 total = kRate * seconds;
    const std::vector<NewMessage> outgoing = messagesFor(room, total);

    std::vector<qint64> postedAt(size_t(total), 0);
    std::vector<qint64> latency(size_t(total), 0);
    QEventLoop loop;
    QElapsedTimer clock;
    qint64 sent = 0;
    qint64 acked = 0;
    const qint64 commitsBefore = hub.commitCount();

    // Catches up after a late tick, so the total sent tracks kRate × elapsed.
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    QObject::connect(&ticker, &QTimer::timeout, &loop, [&] {
        const qint64 due = std::min(total, clock.nsecsElapsed() * kRate / 1'000'000'000 + 1);
        for (; sent < due; ++sent) {
            const size_t i = size_t(sent);
            postedAt[i] = clock.nsecsElapsed();
            hub.postMessage(outgoing[i], nullptr, &loop, [&, i](const PostOutcome &outcome) {
                latency[i] = clock.nsecsElapsed() - postedAt[i];
                if (outcome.result != PostOutcome::Result::Posted)
                    fail(u"post refused or failed: "_s + outcome.error + u" "_s + store.lastErrorText());
                if (++acked == total)
                    loop.quit();
            });
        }
        if (sent == total)
            ticker.stop();
    });
    clock.start();
    ticker.start();
    runLoop(loop, std::chrono::seconds(seconds) + std::chrono::minutes(1), u"latency run"_s);

    LatencyRun run;
    std::sort(latency.begin(), latency.end());
    run.nsecs = std::move(latency);
    run.commits = hub.commitCount() - commitsBefore;
    return run;
}

// Nearest rank: the smallest value with at least `p` of all at or below it.
qint64 percentile(const std::vector<qint64> &sorted, double p)
{
    const auto rank = qsizetype(std::ceil(p * double(sorted.size())));
    return sorted[size_t(std::clamp<qsizetype>(rank - 1, 0, qsizetype(sorted.size()) - 1))];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Hub group-commit throughput vs raw SQLite, and durable ack latency."_s);
    parser.addHelpOption();
    const QCommandLineOption messagesOption(u"messages"_s, u"Messages for the throughput runs."_s, u"M"_s,
                                            u"200000"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of the latency run."_s, u"N"_s, u"10"_s);
    const QCommandLineOption windowOption(u"window"_s, u"The hub's commit window (0, the server's default: "
                                                       "one loop pass)."_s,
                                          u"MS"_s, u"0"_s);
    const QCommandLineOption dirOption(u"dir"_s, u"Where the databases go (default: $TMPDIR)."_s, u"DIR"_s,
                                       QDir::tempPath());
    parser.addOptions({messagesOption, secondsOption, windowOption, dirOption});
    parser.process(app);

    bool ok = false;
    const qint64 messages = parser.value(messagesOption).toLongLong(&ok);
    if (!ok || messages <= 0)
        fail(u"--messages wants a positive number"_s);
    const int seconds = parser.value(secondsOption).toInt(&ok);
    if (!ok || seconds <= 0)
        fail(u"--seconds wants a positive number"_s);
    const int windowMs = parser.value(windowOption).toInt(&ok);
    if (!ok || windowMs < 0)
        fail(u"--window wants a number of milliseconds >= 0"_s);
    const std::chrono::milliseconds window(windowMs);

    // A fresh directory per run: every database starts empty.
    QTemporaryDir dir(QDir(parser.value(dirOption)).filePath(u"bench_store-XXXXXX"_s));
    if (!dir.isValid())
        fail(u"cannot create a directory under "_s + parser.value(dirOption) + u": "_s + dir.errorString());

    QTextStream out(stdout);
    out << "databases in " << dir.path() << " (SQLite, WAL, synchronous=NORMAL)" << Qt::endl;

    const HubRun hub = runHub(dir.filePath(u"hub.sqlite"_s), messages, window);
    const double hubRate = double(messages) / hub.seconds;
    const double perCommit = double(messages) / double(std::max<qint64>(hub.commits, 1));
    out << "hub group commit: " << messages << " msgs in " << QString::number(hub.seconds, 'f', 2) << " s = "
        << perSecond(hubRate) << " msgs/s (window " << windowMs << " ms, " << hub.commits << " commits, "
        << QString::number(perCommit, 'f', 0) << " msgs/commit, "
        << QString::number(double(hub.statements) / double(messages), 'f', 2) << " statements/msg)" << Qt::endl;

    const qint64 batch = std::max<qint64>(1, qRound64(perCommit));
    const double rawRate = runRaw(dir.filePath(u"raw.sqlite"_s), messages, batch);
    out << "raw batched inserts: " << messages << " rows = " << perSecond(rawRate)
        << " rows/s (one prepared INSERT, batches of " << batch << ")" << Qt::endl;
    out << "ratio hub/raw: " << QString::number(hubRate / rawRate, 'f', 2) << " (goal >= 0.80)" << Qt::endl;

    const LatencyRun latency = runLatency(dir.filePath(u"latency.sqlite"_s), seconds, window);
    out << "durable ack latency at " << kRate << " msgs/s for " << seconds << " s (window " << windowMs
        << " ms): p50 " << ms(percentile(latency.nsecs, 0.50)) << ", p99 " << ms(percentile(latency.nsecs, 0.99))
        << ", max " << ms(latency.nsecs.back()) << " (" << latency.nsecs.size() << " msgs, " << latency.commits
        << " commits)" << Qt::endl;
    return 0;
}
