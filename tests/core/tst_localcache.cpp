// LocalCache: rooms and messages saved and read back, upserts (by id, by
// client id for our pending messages), paging newest first, reopening, and
// accounts sharing one file. Also feeds a MessageModel from it, as the
// controller does.

#include "localcache.h"
#include "messagemodel.h"
#include "outbox.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

// Enums are compared by name: QCOMPARE(status, DeliveryStatus::Sent) does not
// compile, because natter::toString(DeliveryStatus) (a QString) wins QTest's
// unqualified toString() lookup by ADL.

namespace {

const QDateTime t0 = QDateTime(QDate(2024, 6, 12), QTime(10, 0), Qt::UTC);

ChatMessage message(const QString &id, int seconds, const QString &senderId = u"bob"_s)
{
    ChatMessage m;
    m.id = id;
    m.sender.id = senderId;
    m.sender.username = senderId;
    m.sender.displayName = senderId.toUpper();
    m.text = u"text "_s + id;
    m.createdAt = t0.addSecs(seconds);
    m.status = DeliveryStatus::Sent;
    return m;
}

QStringList ids(const QList<ChatMessage> &messages)
{
    QStringList result;
    for (const ChatMessage &m : messages)
        result.append(m.id.isEmpty() ? m.clientId : m.id);
    return result;
}

RoomSummary room(const QString &key, const QString &name, int minutes)
{
    RoomSummary r;
    r.key = key;
    r.name = name;
    r.kind = RoomKind::Group;
    r.lastActivity = t0.addSecs(minutes * 60);
    return r;
}

} // namespace

class TestLocalCache : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void roomsRoundTrip();
    void messagesRoundTrip();
    void pendingBecomesStoredOnAck();
    void statusOnlyForward();
    void pagingNewestFirst();
    void reopenShowsLastState();
    void accountsShareOneFile();
    void trim();
    void fillsAModelPageByPage();

private:
    QString path() const { return m_dir->filePath(u"cache.db"_s); }
    bool openCache(LocalCache &cache) { return cache.open(path(), u"alice"_s, u"rooms:http://127.0.0.1:8000"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLocalCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLocalCache::roomsRoundTrip()
{
    LocalCache cache;
    QVERIFY2(openCache(cache), qPrintable(cache.lastError()));
    RoomSummary d;
    d.key = u"7"_s;
    d.id = 7;
    d.uuid = u"2b1c7f0e-0000-4000-8000-000000000007"_s;
    d.kind = RoomKind::Direct;
    d.name = u"Bob"_s;
    d.other.id = u"bob"_s;
    d.other.displayName = u"Bob"_s;
    d.other.lastSeen = t0;
    d.unreadCount = 3;
    ChatMessage last = message(u"m9"_s, 600);
    last.roomKey = u"7"_s;
    last.kind = MessageKind::Location;
    last.latitude = 52.5;
    last.longitude = 13.4;
    d.lastMessage = last;
    QVERIFY(cache.saveRooms({room(u"1"_s, u"Lunch"_s, 1), d, room(u"2"_s, u"Project"_s, 5)}));

    const QList<RoomSummary> rooms = cache.rooms();
    QCOMPARE(rooms.size(), 3);
    QCOMPARE(rooms.at(0).key, u"7"_s); // last message at +10 min
    QCOMPARE(rooms.at(1).key, u"2"_s);
    QCOMPARE(rooms.at(2).key, u"1"_s);
    const RoomSummary &back = rooms.at(0);
    QCOMPARE(back.id, 7);
    QCOMPARE(back.uuid, d.uuid);
    QCOMPARE(toString(back.kind), toString(RoomKind::Direct));
    QCOMPARE(back.other.id, u"bob"_s);
    QCOMPARE(back.other.lastSeen, t0);
    QCOMPARE(back.unreadCount, 3);
    QVERIFY(back.lastMessage);
    QCOMPARE(toString(back.lastMessage->kind), toString(MessageKind::Location));
    QCOMPARE(back.lastMessage->latitude, 52.5);
    QCOMPARE(back.lastMessage->createdAt, t0.addSecs(600));
    QVERIFY(!rooms.at(1).lastMessage);

    // saveRooms replaces the list; saveRoom upserts one.
    QVERIFY(cache.saveRooms({room(u"2"_s, u"Project"_s, 5)}));
    QCOMPARE(cache.rooms().size(), 1);
    QVERIFY(cache.saveRoom(room(u"2"_s, u"Project X"_s, 6)));
    QCOMPARE(cache.room(u"2"_s)->name, u"Project X"_s);
    QVERIFY(cache.removeRoom(u"2"_s));
    QVERIFY(!cache.room(u"2"_s));
}

void TestLocalCache::messagesRoundTrip()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    ChatMessage stamp = message(u"m2"_s, 20);
    stamp.kind = MessageKind::Stamp;
    stamp.text.clear();
    stamp.stampId = u"wave"_s;
    QVERIFY(cache.saveMessages(u"r1"_s, {message(u"m1"_s, 10), stamp}));
    const QList<ChatMessage> got = cache.messages(u"r1"_s, 50);
    QCOMPARE(ids(got), QStringList({u"m2"_s, u"m1"_s}));
    QCOMPARE(toString(got.at(0).kind), toString(MessageKind::Stamp));
    QCOMPARE(got.at(0).stampId, u"wave"_s);
    QCOMPARE(got.at(0).roomKey, u"r1"_s);
    QCOMPARE(got.at(1).sender.displayName, u"BOB"_s);
    QCOMPARE(got.at(1).createdAt, t0.addSecs(10));
    QCOMPARE(toString(got.at(1).status), toString(DeliveryStatus::Sent));

    // Upsert by id: an edit of the same message, not a second row.
    ChatMessage edited = message(u"m1"_s, 10);
    edited.text = u"edited"_s;
    QVERIFY(cache.saveMessages(u"r1"_s, {edited}));
    QCOMPARE(cache.messageCount(u"r1"_s), 2);
    QCOMPARE(cache.messages(u"r1"_s, 50).at(1).text, u"edited"_s);
    // The same id in another room is another message.
    QVERIFY(cache.saveMessages(u"r2"_s, {message(u"m1"_s, 5)}));
    QCOMPARE(cache.messageCount(u"r2"_s), 1);
    ChatMessage viaSignal = message(u"m3"_s, 30);
    viaSignal.roomKey = u"r1"_s;
    QVERIFY(cache.saveMessage(viaSignal)); // Backend::messageReceived
    QCOMPARE(cache.messageCount(u"r1"_s), 3);
    QVERIFY(!cache.saveMessage(message(u"m4"_s, 40))); // no room
}

void TestLocalCache::pendingBecomesStoredOnAck()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    ChatMessage pending;
    pending.roomKey = u"r1"_s;
    pending.clientId = u"c1"_s;
    pending.outgoing = true;
    pending.sender.id = u"alice"_s;
    pending.text = u"hello"_s;
    pending.createdAt = t0.addSecs(100);
    pending.status = DeliveryStatus::Sending;
    QVERIFY(cache.saveMessage(pending));
    QCOMPARE(toString(cache.messages(u"r1"_s, 10).at(0).status), toString(DeliveryStatus::Sending));

    ChatMessage stored = message(u"s1"_s, 101, u"alice"_s);
    stored.roomKey.clear(); // a dialect that does not say: the pending copy tells
    QVERIFY(cache.saveAck(u"c1"_s, stored));
    QList<ChatMessage> got = cache.messages(u"r1"_s, 10);
    QCOMPARE(got.size(), 1);
    QCOMPARE(got.at(0).id, u"s1"_s);
    QCOMPARE(got.at(0).clientId, u"c1"_s);
    QCOMPARE(toString(got.at(0).status), toString(DeliveryStatus::Sent));
    QCOMPARE(got.at(0).createdAt, t0.addSecs(101));
    QVERIFY(got.at(0).outgoing);

    // The echo after the ack: still one message.
    ChatMessage echo = message(u"s1"_s, 101, u"alice"_s);
    echo.clientId = u"c1"_s;
    QVERIFY(cache.saveMessages(u"r1"_s, {echo}));
    QCOMPARE(cache.messageCount(u"r1"_s), 1);

    // A server copy cached before the ack (no client id) merges with the pending one.
    pending.clientId = u"c2"_s;
    pending.createdAt = t0.addSecs(200);
    QVERIFY(cache.saveMessage(pending));
    ChatMessage copy = message(u"s2"_s, 201, u"alice"_s);
    copy.status = DeliveryStatus::Delivered;
    QVERIFY(cache.saveMessages(u"r1"_s, {copy}));
    QCOMPARE(cache.messageCount(u"r1"_s), 3);
    stored = message(u"s2"_s, 201, u"alice"_s);
    stored.roomKey = u"r1"_s;
    QVERIFY(cache.saveAck(u"c2"_s, stored));
    QCOMPARE(cache.messageCount(u"r1"_s), 2);
    got = cache.messages(u"r1"_s, 10);
    QCOMPARE(got.at(0).id, u"s2"_s);
    QCOMPARE(got.at(0).clientId, u"c2"_s);
    QCOMPARE(toString(got.at(0).status), toString(DeliveryStatus::Delivered));

    // A discarded pending message.
    pending.clientId = u"c3"_s;
    QVERIFY(cache.saveMessage(pending));
    QVERIFY(cache.removeMessage(u"r1"_s, u"c3"_s));
    QCOMPARE(cache.messageCount(u"r1"_s), 2);
}

void TestLocalCache::statusOnlyForward()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    QVERIFY(cache.saveMessages(u"r1"_s, {message(u"m1"_s, 10, u"alice"_s)}));
    QVERIFY(cache.updateStatus(u"r1"_s, u"m1"_s, DeliveryStatus::Read));
    QVERIFY(cache.updateStatus(u"r1"_s, u"m1"_s, DeliveryStatus::Delivered)); // accepted, ignored
    QCOMPARE(toString(cache.messages(u"r1"_s, 1).at(0).status), toString(DeliveryStatus::Read));
    QVERIFY(cache.saveMessages(u"r1"_s, {message(u"m1"_s, 10, u"alice"_s)})); // a page saying "sent"
    QCOMPARE(toString(cache.messages(u"r1"_s, 1).at(0).status), toString(DeliveryStatus::Read));
    QVERIFY(!cache.updateStatus(u"r1"_s, u"nope"_s, DeliveryStatus::Read));
}

void TestLocalCache::pagingNewestFirst()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    QList<ChatMessage> all;
    for (int i = 1; i <= 250; ++i)
        all.append(message(u"m%1"_s.arg(i), i / 2)); // pairs share a second: the cursor must not skip
    QVERIFY(cache.saveMessages(u"r1"_s, all));

    QStringList seen;
    QString before;
    int pages = 0;
    while (true) {
        const QList<ChatMessage> page = cache.messages(u"r1"_s, 100, before);
        if (page.isEmpty())
            break;
        ++pages;
        for (int i = 1; i < page.size(); ++i)
            QVERIFY(page.at(i - 1).createdAt >= page.at(i).createdAt);
        seen += ids(page);
        before = page.constLast().id;
    }
    QCOMPARE(pages, 3);
    QCOMPARE(seen.size(), 250);
    QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 250);
    QCOMPARE(seen.first(), u"m250"_s);
    QCOMPARE(seen.last(), u"m1"_s);

    QCOMPARE(ids(cache.messagesBefore(u"r1"_s, 3, t0.addSecs(10))), QStringList({u"m19"_s, u"m18"_s, u"m17"_s}));
    QVERIFY(cache.messages(u"r1"_s, 10, u"not-cached"_s).isEmpty());
    QVERIFY(!cache.historyComplete(u"r1"_s));
    QVERIFY(cache.saveHistory(u"r1"_s, {}, true));
    QVERIFY(cache.historyComplete(u"r1"_s));
}

void TestLocalCache::reopenShowsLastState()
{
    {
        LocalCache cache;
        QVERIFY(openCache(cache));
        QVERIFY(cache.saveRooms({room(u"r1"_s, u"Lunch"_s, 1)}));
        QVERIFY(cache.saveMessages(u"r1"_s, {message(u"m1"_s, 1), message(u"m2"_s, 2)}));
        QVERIFY(cache.updateStatus(u"r1"_s, u"m2"_s, DeliveryStatus::Delivered));
    }
    LocalCache cache;
    QVERIFY(openCache(cache));
    QCOMPARE(cache.rooms().size(), 1);
    QCOMPARE(cache.rooms().at(0).name, u"Lunch"_s);
    const QList<ChatMessage> got = cache.messages(u"r1"_s, 10);
    QCOMPARE(ids(got), QStringList({u"m2"_s, u"m1"_s}));
    QCOMPARE(toString(got.at(0).status), toString(DeliveryStatus::Delivered));
}

void TestLocalCache::accountsShareOneFile()
{
    LocalCache alice;
    LocalCache bob;
    Outbox outbox; // the outbox may live in the same file
    QVERIFY(openCache(alice));
    QVERIFY(bob.open(path(), u"bob"_s, u"rooms:http://127.0.0.1:8000"_s));
    QVERIFY(outbox.open(path(), u"alice"_s, u"rooms:http://127.0.0.1:8000"_s));
    QVERIFY(alice.saveMessages(u"r1"_s, {message(u"m1"_s, 1)}));
    QVERIFY(bob.saveMessages(u"r1"_s, {message(u"m1"_s, 1), message(u"m2"_s, 2)}));
    QVERIFY(!outbox.enqueue(OutgoingMessage{u"r1"_s, {}, u"c1"_s, MessageKind::Text, u"x"_s, {}, 0, 0}).isEmpty());
    QCOMPARE(alice.messageCount(u"r1"_s), 1);
    QCOMPARE(bob.messageCount(u"r1"_s), 2);
    QVERIFY(alice.saveRooms({room(u"r1"_s, u"A"_s, 1)}));
    QVERIFY(bob.rooms().isEmpty());
    QCOMPARE(outbox.pendingCount(), 1);
}

void TestLocalCache::trim()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    QList<ChatMessage> all;
    for (int i = 1; i <= 20; ++i)
        all.append(message(u"m%1"_s.arg(i), i));
    QVERIFY(cache.saveHistory(u"r1"_s, all, true));
    QCOMPARE(cache.trimMessages(u"r1"_s, 5), 15);
    QCOMPARE(ids(cache.messages(u"r1"_s, 100)), QStringList({u"m20"_s, u"m19"_s, u"m18"_s, u"m17"_s, u"m16"_s}));
    QVERIFY(!cache.historyComplete(u"r1"_s)); // the oldest are gone
}

void TestLocalCache::fillsAModelPageByPage()
{
    LocalCache cache;
    QVERIFY(openCache(cache));
    QList<ChatMessage> all;
    for (int i = 1; i <= 120; ++i)
        all.append(message(u"m%1"_s.arg(i), i * 30));
    QVERIFY(cache.saveHistory(u"r1"_s, all, true));

    MessageModel model(u"r1"_s);
    // The controller's wiring: cache first, complete when the cache says so.
    connect(&model, &MessageModel::historyRequested, &model, [&](const QString &beforeId) {
        const QList<ChatMessage> page = cache.messages(model.roomKey(), 50, beforeId);
        model.appendHistory(page, page.size() < 50 && cache.historyComplete(model.roomKey()));
    });
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.count() >= 50); // the view asked: the newest page(s), answered at once
    QCOMPARE(model.count() % 50, 0);
    QCOMPARE(model.messageAt(0).id, u"m120"_s);
    int guard = 0;
    while (model.canFetchMore() && ++guard < 10)
        model.fetchMore({});
    QCOMPARE(model.count(), 120);
    QVERIFY(model.allLoaded());
    QCOMPARE(model.messageAt(119).id, u"m1"_s);
}

QTEST_GUILESS_MAIN(TestLocalCache)
#include "tst_localcache.moc"
