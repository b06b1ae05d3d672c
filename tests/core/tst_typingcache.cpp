// TypingCache: who is typing, expiring entries, refreshes, summaries.

#include "typingcache.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

Person person(const QString &id, const QString &name)
{
    Person p;
    p.id = id;
    p.displayName = name;
    return p;
}

const Person bob = person(u"bob"_s, u"Bob"_s);
const Person carol = person(u"carol"_s, u"Carol"_s);
const Person dave = person(u"dave"_s, u"Dave"_s);
const QString room = u"r1"_s;

} // namespace

class TestTypingCache : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void startStopAndSummary();
    void entriesExpire();
    void refreshExtendsTheEntry();
    void messageEndsTyping();
};

void TestTypingCache::defaults()
{
    TypingCache cache;
    QCOMPARE(cache.timeout(), 6000);
    QVERIFY(!cache.isTyping(room));
    QCOMPARE(cache.summary(room), QString());
}

void TestTypingCache::startStopAndSummary()
{
    TypingCache cache;
    QSignalSpy changed(&cache, &TypingCache::typingChanged);
    cache.setTyping(room, bob, true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), room);
    QCOMPARE(cache.typingNames(room), QStringList{u"Bob"_s});
    QCOMPARE(cache.summary(room), u"Bob is typing…"_s);
    cache.setTyping(room, bob, true); // a refresh is not a change
    QCOMPARE(changed.count(), 1);

    cache.setTyping(room, carol, true);
    QCOMPARE(cache.summary(room), u"Bob and Carol are typing…"_s);
    cache.setTyping(room, dave, true);
    QCOMPARE(cache.summary(room), u"Bob and 2 others are typing…"_s);
    QCOMPARE(cache.typingNames(u"elsewhere"_s), QStringList());

    cache.setTyping(room, bob, false);
    QCOMPARE(cache.typingNames(room), QStringList({u"Carol"_s, u"Dave"_s}));
    cache.setTyping(room, bob, false); // already stopped
    QCOMPARE(changed.count(), 4);
    cache.clearRoom(room);
    QVERIFY(!cache.isTyping(room));
    QCOMPARE(changed.count(), 5);
}

void TestTypingCache::entriesExpire()
{
    TypingCache cache;
    cache.setTimeout(150);
    QSignalSpy changed(&cache, &TypingCache::typingChanged);
    cache.setTyping(room, bob, true);
    cache.setTyping(u"r2"_s, carol, true);
    QCOMPARE(changed.count(), 2);
    QVERIFY(cache.isTyping(room));
    // Both expire on their own, each room notified.
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 4, 3000);
    QVERIFY(!cache.isTyping(room));
    QVERIFY(!cache.isTyping(u"r2"_s));
    QCOMPARE(cache.summary(room), QString());
}

void TestTypingCache::refreshExtendsTheEntry()
{
    TypingCache cache;
    cache.setTimeout(400);
    QSignalSpy changed(&cache, &TypingCache::typingChanged);
    QElapsedTimer clock;
    clock.start();
    cache.setTyping(room, bob, true);
    QCOMPARE(changed.count(), 1);
    // Bob is reported typing again 250 ms later: the entry lives 400 ms from then.
    QTimer::singleShot(250, &cache, [&cache] { cache.setTyping(room, bob, true); });
    QVERIFY(changed.wait(5000));
    QCOMPARE(changed.count(), 2); // the expiry
    QVERIFY(!cache.isTyping(room));
    QVERIFY2(clock.elapsed() >= 600, qPrintable(u"expired after %1 ms"_s.arg(clock.elapsed())));
}

void TestTypingCache::messageEndsTyping()
{
    TypingCache cache;
    cache.setTyping(room, bob, true);
    cache.setTyping(room, carol, true);
    ChatMessage m;
    m.roomKey = room;
    m.sender = bob;
    cache.noteMessage(m);
    QCOMPARE(cache.typingNames(room), QStringList{u"Carol"_s});
}

QTEST_GUILESS_MAIN(TestTypingCache)
#include "tst_typingcache.moc"
