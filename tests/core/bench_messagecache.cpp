// Not a test: how fast does a room with 100,000 cached messages open?
// Fills a temporary cache, then times opening the file and filling a
// MessageModel with the newest page, then paging further from the cache.
// Prints wall-clock and thread CPU time (ms) for each step: on a busy
// machine the wall clock includes time spent waiting for a core.
//
//   bench_messagecache [messages=100000] [page=50]

#include "localcache.h"
#include "messagemodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

// Wall and CPU time since construction (or restart()).
struct Stopwatch
{
    Stopwatch() { restart(); }
    void restart()
    {
        wall.start();
        cpu = cpuMs();
    }
    double wallMs() const { return double(wall.nsecsElapsed()) / 1e6; }
    double cpuElapsedMs() const { return cpuMs() - cpu; }
    QString text() const
    {
        return u"%1 ms wall, %2 ms CPU"_s.arg(wallMs(), 0, 'f', 3).arg(cpuElapsedMs(), 0, 'f', 3);
    }
    QElapsedTimer wall;
    double cpu = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int total = args.size() > 1 ? args.at(1).toInt() : 100000;
    const int pageSize = args.size() > 2 ? args.at(2).toInt() : 50;
    QTextStream out(stdout);

    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    const QString path = dir.filePath(u"cache.db"_s);
    const QString account = u"alice"_s;
    const QString server = u"rooms:http://127.0.0.1:8000"_s;
    const QString room = u"42"_s;
    const QDateTime start = QDateTime::currentDateTimeUtc().addSecs(-total * 10LL);

    {
        LocalCache cache;
        if (!cache.open(path, account, server)) {
            out << "cannot open: " << cache.lastError() << Qt::endl;
            return 1;
        }
        Stopwatch fill;
        QList<ChatMessage> batch;
        for (int i = 1; i <= total; ++i) {
            ChatMessage m;
            m.id = QString::number(i);
            m.sender.id = i % 3 ? u"bob"_s : u"alice"_s;
            m.sender.displayName = i % 3 ? u"Bob"_s : u"Alice"_s;
            m.outgoing = i % 3 == 0;
            m.text = u"message number %1 with some ordinary chat text in it"_s.arg(i);
            m.createdAt = start.addSecs(i * 10LL);
            batch.append(m);
            if (batch.size() == 1000 || i == total) {
                // Another room too, so the index has to pick the right one.
                if (!cache.saveMessages(room, batch) || !cache.saveMessages(u"7"_s, batch.mid(0, 10))) {
                    out << "save failed: " << cache.lastError() << Qt::endl;
                    return 1;
                }
                batch.clear();
            }
        }
        out << "fill: " << total << " messages (upserts, 1000 a transaction): " << fill.text() << ", "
            << qint64(total / (fill.wallMs() / 1000.0)) << " messages/s wall" << Qt::endl;
    }

    // "Reopening the app": open the file, load the newest page into the model.
    Stopwatch all;
    Stopwatch step;
    LocalCache cache;
    if (!cache.open(path, account, server)) {
        out << "cannot reopen: " << cache.lastError() << Qt::endl;
        return 1;
    }
    const QString openText = step.text();
    step.restart();
    const QList<ChatMessage> newest = cache.messages(room, pageSize);
    const QString queryText = step.text();
    step.restart();
    MessageModel model(room);
    model.appendHistory(newest, false);
    const QString modelText = step.text();
    const QString allText = all.text();
    if (model.count() != pageSize || model.messageAt(0).id != QString::number(total)) {
        out << "wrong page: " << model.count() << " rows, newest " << model.messageAt(0).id << Qt::endl;
        return 1;
    }
    out << "open cache file:                " << openText << Qt::endl;
    out << "query newest " << pageSize << ":               " << queryText << Qt::endl;
    out << "fill MessageModel:              " << modelText << Qt::endl;
    out << "open → newest page in model:    " << allText << "   (budget 100 ms)" << Qt::endl;

    // Scrolling back: 20 more pages from the cache, as fetchMore answers them.
    double queryCpu = 0;
    QObject::connect(&model, &MessageModel::historyRequested, &model, [&](const QString &beforeId) {
        const double before = cpuMs();
        const QList<ChatMessage> page = cache.messages(room, pageSize, beforeId);
        queryCpu += cpuMs() - before;
        model.appendHistory(page, false);
    });
    step.restart();
    for (int i = 0; i < 20; ++i)
        model.fetchMore({});
    out << "20 more pages via fetchMore:    " << step.text() << " (" << u"%1"_s.arg(queryCpu, 0, 'f', 3)
        << " ms CPU in the cache queries), " << model.count() << " rows" << Qt::endl;

    // A deep page (the middle of the room) costs the same as the newest.
    step.restart();
    const QList<ChatMessage> middle = cache.messages(room, pageSize, QString::number(total / 2));
    out << "page before message " << total / 2 << ":     " << step.text() << " (" << middle.size() << " rows)"
        << Qt::endl;

    // Live traffic on a model already holding the whole room.
    MessageModel big(room);
    step.restart();
    QString before;
    while (true) {
        const QList<ChatMessage> page = cache.messages(room, 5000, before);
        if (page.isEmpty())
            break;
        big.appendHistory(page, false);
        before = page.constLast().id;
    }
    out << "whole room (" << big.count() << " rows) into one model: " << step.text() << Qt::endl;
    QList<ChatMessage> live;
    for (int i = 1; i <= 1000; ++i) {
        ChatMessage m;
        m.roomKey = room;
        m.id = u"live-%1"_s.arg(i);
        m.sender.id = u"bob"_s;
        m.text = u"live"_s;
        m.createdAt = QDateTime::currentDateTimeUtc().addSecs(i);
        live.append(m);
    }
    step.restart();
    double slowest = 0;
    int slowestAt = 0;
    for (int i = 0; i < live.size(); ++i) {
        const double before = cpuMs();
        big.addIncoming(live.at(i));
        if (cpuMs() - before > slowest) {
            slowest = cpuMs() - before;
            slowestAt = i;
        }
    }
    out << "1000 new messages on top of it: " << step.text() << "; slowest: #" << slowestAt + 1 << ", "
        << u"%1"_s.arg(slowest, 0, 'f', 3) << " ms CPU" << Qt::endl;
    step.restart();
    for (const ChatMessage &m : std::as_const(live))
        big.setStatus(m.id, DeliveryStatus::Read);
    out << "1000 receipts on it:            " << step.text() << Qt::endl;
    return 0;
}
