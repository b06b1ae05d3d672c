// Outbox: enqueue/ack, attempts → failed, retry, order, accounts, and
// surviving a restart (close and reopen the file).

#include "outbox.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

OutgoingMessage text(const QString &roomKey, const QString &body, const QString &clientId = {})
{
    OutgoingMessage m;
    m.roomKey = roomKey;
    m.text = body;
    m.clientId = clientId;
    return m;
}

QStringList clientIds(const QList<Outbox::Entry> &entries)
{
    QStringList ids;
    for (const Outbox::Entry &e : entries)
        ids.append(e.message.clientId);
    return ids;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void enqueueKeepsOrderAndGivesClientIds();
    void ackRemoves();
    void attemptsThenFailedThenRetry();
    void survivesReopen();
    void accountsAreSeparate();
    void unopenedOutboxRefuses();

private:
    QString path() const { return m_dir->filePath(u"client.db"_s); }
    std::unique_ptr<QTemporaryDir> m_dir;
    const QString account = u"alice"_s;
    const QString server = u"rooms:http://127.0.0.1:8000"_s;
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOutbox::enqueueKeepsOrderAndGivesClientIds()
{
    Outbox outbox;
    QVERIFY2(outbox.open(path(), account, server), qPrintable(outbox.lastError()));
    QSignalSpy enqueued(&outbox, &Outbox::enqueued);

    const QString generated = outbox.enqueue(text(u"r1"_s, u"one"_s));
    QVERIFY(!generated.isEmpty());
    QVERIFY(!QUuid::fromString(generated).isNull());
    QCOMPARE(outbox.enqueue(text(u"r2"_s, u"two"_s, u"c2"_s)), u"c2"_s);
    OutgoingMessage stamp = text(u"r1"_s, QString(), u"c3"_s);
    stamp.kind = MessageKind::Stamp;
    stamp.stampId = u"stamp-7"_s;
    QCOMPARE(outbox.enqueue(stamp), u"c3"_s);
    QCOMPARE(enqueued.count(), 3);

    // The same client id again: nothing new (a re-send is not a new message).
    QCOMPARE(outbox.enqueue(text(u"r2"_s, u"two again"_s, u"c2"_s)), u"c2"_s);
    QCOMPARE(enqueued.count(), 3);

    QCOMPARE(clientIds(outbox.pending()), QStringList({generated, u"c2"_s, u"c3"_s}));
    QCOMPARE(clientIds(outbox.pending(u"r1"_s)), QStringList({generated, u"c3"_s}));
    QCOMPARE(outbox.pendingCount(), 3);
    const auto entry = outbox.entry(u"c3"_s);
    QVERIFY(entry);
    QCOMPARE(toString(entry->message.kind), toString(MessageKind::Stamp));
    QCOMPARE(entry->message.stampId, u"stamp-7"_s);
    QCOMPARE(entry->message.roomKey, u"r1"_s);
    QCOMPARE(entry->state, Outbox::State::Pending);
    QCOMPARE(entry->attempts, 0);
    QVERIFY(entry->enqueuedAt.isValid());
    QCOMPARE(outbox.entry(u"c2"_s)->message.text, u"two"_s);
}

void TestOutbox::ackRemoves()
{
    Outbox outbox;
    QVERIFY(outbox.open(path(), account, server));
    outbox.enqueue(text(u"r1"_s, u"one"_s, u"c1"_s));
    outbox.enqueue(text(u"r1"_s, u"two"_s, u"c2"_s));
    QSignalSpy acked(&outbox, &Outbox::acked);
    QVERIFY(outbox.markAcked(u"c1"_s, u"101"_s));
    QCOMPARE(acked.count(), 1);
    QCOMPARE(acked.at(0).at(1).toString(), u"101"_s);
    QVERIFY(!outbox.markAcked(u"c1"_s, u"101"_s)); // once
    QCOMPARE(clientIds(outbox.pending()), QStringList{u"c2"_s});

    ChatMessage stored;
    stored.id = u"102"_s;
    QVERIFY(outbox.acknowledge(u"c2"_s, stored)); // Backend::messageAcked
    QCOMPARE(outbox.pendingCount(), 0);
    QVERIFY(!outbox.entry(u"c2"_s));
}

void TestOutbox::attemptsThenFailedThenRetry()
{
    Outbox outbox;
    QVERIFY(outbox.open(path(), account, server));
    QCOMPARE(outbox.maxAttempts(), 5);
    outbox.setMaxAttempts(3);
    outbox.enqueue(text(u"r1"_s, u"one"_s, u"c1"_s));
    outbox.enqueue(text(u"r1"_s, u"two"_s, u"c2"_s));
    QSignalSpy failed(&outbox, &Outbox::failed);

    QCOMPARE(outbox.recordAttempt(u"c1"_s, u"timeout"_s), 1);
    QCOMPARE(outbox.recordAttempt(u"c1"_s, u"timeout"_s), 2);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(outbox.entry(u"c1"_s)->attempts, 2);
    QCOMPARE(outbox.entry(u"c1"_s)->state, Outbox::State::Pending);
    QCOMPARE(outbox.recordAttempt(u"c1"_s, u"connection lost"_s), 3);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), u"c1"_s);
    QCOMPARE(failed.at(0).at(1).toString(), u"connection lost"_s);
    QCOMPARE(outbox.entry(u"c1"_s)->state, Outbox::State::Failed);
    QCOMPARE(outbox.entry(u"c1"_s)->lastError, u"connection lost"_s);
    QCOMPARE(clientIds(outbox.pending()), QStringList{u"c2"_s});
    QCOMPARE(clientIds(outbox.failedEntries()), QStringList{u"c1"_s});
    QCOMPARE(clientIds(outbox.entries()), QStringList({u"c1"_s, u"c2"_s}));
    QCOMPARE(outbox.recordAttempt(u"c1"_s), 3); // failed: no more counting
    QCOMPARE(failed.count(), 1);
    QCOMPARE(outbox.recordAttempt(u"unknown"_s), -1);

    QSignalSpy retried(&outbox, &Outbox::retried);
    QVERIFY(outbox.retry(u"c1"_s));
    QCOMPARE(retried.count(), 1);
    QVERIFY(!outbox.retry(u"c1"_s)); // not failed any more
    QVERIFY(!outbox.retry(u"c2"_s));
    QCOMPARE(outbox.entry(u"c1"_s)->attempts, 0);
    QCOMPARE(outbox.entry(u"c1"_s)->state, Outbox::State::Pending);
    // Same client id, same place in the queue.
    QCOMPARE(clientIds(outbox.pending()), QStringList({u"c1"_s, u"c2"_s}));

    QVERIFY(outbox.markFailed(u"c2"_s, u"Message too long (max 1000 characters)"_s));
    QCOMPARE(failed.count(), 2);
    QVERIFY(!outbox.markFailed(u"c2"_s));
    QVERIFY(outbox.remove(u"c2"_s));
    QCOMPARE(clientIds(outbox.entries()), QStringList{u"c1"_s});
}

void TestOutbox::survivesReopen()
{
    {
        Outbox outbox;
        QVERIFY(outbox.open(path(), account, server));
        outbox.setMaxAttempts(2);
        for (int i = 1; i <= 5; ++i)
            outbox.enqueue(text(u"r1"_s, u"message %1"_s.arg(i), u"c%1"_s.arg(i)));
        outbox.markAcked(u"c2"_s);
        outbox.recordAttempt(u"c3"_s);
        outbox.recordAttempt(u"c4"_s);
        outbox.recordAttempt(u"c4"_s); // failed
    } // closed: like quitting the app
    Outbox outbox;
    QVERIFY(outbox.open(path(), account, server));
    QCOMPARE(clientIds(outbox.pending()), QStringList({u"c1"_s, u"c3"_s, u"c5"_s}));
    QCOMPARE(clientIds(outbox.failedEntries()), QStringList{u"c4"_s});
    QCOMPARE(outbox.entry(u"c3"_s)->attempts, 1);
    QCOMPARE(outbox.entry(u"c5"_s)->message.text, u"message 5"_s);
    // New entries still go after the old ones.
    outbox.enqueue(text(u"r1"_s, u"six"_s, u"c6"_s));
    QVERIFY(outbox.retry(u"c4"_s));
    QCOMPARE(clientIds(outbox.pending()), QStringList({u"c1"_s, u"c3"_s, u"c4"_s, u"c5"_s, u"c6"_s}));
}

void TestOutbox::accountsAreSeparate()
{
    Outbox alice;
    Outbox bob;
    Outbox aliceElsewhere;
    QVERIFY(alice.open(path(), account, server));
    QVERIFY(bob.open(path(), u"bob"_s, server)); // the same file
    QVERIFY(aliceElsewhere.open(path(), account, u"chats:http://10.0.0.2:9000"_s));
    alice.enqueue(text(u"r1"_s, u"from alice"_s, u"same-id"_s));
    bob.enqueue(text(u"r1"_s, u"from bob"_s, u"same-id"_s));
    QCOMPARE(alice.pendingCount(), 1);
    QCOMPARE(bob.pendingCount(), 1);
    QCOMPARE(aliceElsewhere.pendingCount(), 0);
    QCOMPARE(bob.entry(u"same-id"_s)->message.text, u"from bob"_s);
    QVERIFY(bob.markAcked(u"same-id"_s));
    QCOMPARE(alice.pendingCount(), 1);
}

void TestOutbox::unopenedOutboxRefuses()
{
    Outbox outbox;
    QVERIFY(!outbox.isOpen());
    QCOMPARE(outbox.enqueue(text(u"r1"_s, u"x"_s)), QString());
    QVERIFY(outbox.pending().isEmpty());
    QVERIFY(!outbox.markAcked(u"x"_s));
    QVERIFY(!outbox.open(m_dir->path(), account, server)); // a directory is not a database
    QVERIFY(!outbox.lastError().isEmpty());
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
