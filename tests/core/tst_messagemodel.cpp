// MessageModel: local echo → ack, echoes, duplicates, status rules, paging,
// grouping roles, and the id index under random operations. Every model runs
// under QAbstractItemModelTester.

#include "messagemodel.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

// Enums are compared by name: QCOMPARE(status, DeliveryStatus::Sent) does not
// compile, because natter::toString(DeliveryStatus) (a QString) wins QTest's
// unqualified toString() lookup by ADL.

namespace {

const QString room = u"room-1"_s;
// A day without a DST change in the usual time zones; local time, so the
// day-boundary checks hold in any zone.
const QDateTime t0(QDate(2024, 6, 12), QTime(10, 0));

Person person(const QString &id, const QString &name)
{
    Person p;
    p.id = id;
    p.username = id;
    p.displayName = name;
    return p;
}

const Person me = person(u"u-me"_s, u"Me"_s);
const Person alice = person(u"u-alice"_s, u"Alice"_s);
const Person bob = person(u"u-bob"_s, u"Bob"_s);

ChatMessage message(const QString &id, const Person &sender, const QDateTime &at, const QString &text = u"hi"_s)
{
    ChatMessage m;
    m.roomKey = room;
    m.id = id;
    m.sender = sender;
    m.outgoing = sender.id == me.id;
    m.text = text;
    m.createdAt = at;
    m.status = DeliveryStatus::Sent;
    return m;
}

OutgoingMessage outgoing(const QString &clientId, const QString &text = u"hello"_s)
{
    OutgoingMessage m;
    m.roomKey = room;
    m.clientId = clientId;
    m.text = text;
    return m;
}

QList<int> sortedRoles(const QList<QVariant> &dataChangedArguments)
{
    QList<int> roles = dataChangedArguments.at(2).value<QList<int>>();
    std::sort(roles.begin(), roles.end());
    return roles;
}

QList<int> sorted(QList<int> roles)
{
    std::sort(roles.begin(), roles.end());
    return roles;
}

// A model, watched by the tester (which would otherwise keep asking for history).
struct Watched
{
    Watched()
        : model(room)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
        tester.setUseFetchMore(false);
    }
    MessageModel model;
    QAbstractItemModelTester tester;
};

QVariant at(const MessageModel &model, int row, MessageModel::Role role)
{
    return model.data(model.index(row), role);
}

DeliveryStatus statusAt(const MessageModel &model, int row)
{
    return static_cast<DeliveryStatus>(at(model, row, MessageModel::StatusRole).toInt());
}

} // namespace

class TestMessageModel : public QObject
{
    Q_OBJECT

private slots:
    void roleNamesForQml();
    void localEchoThenAckChangesOnlyChangedRoles();
    void ackThatMovesTheRowUsesAMove();
    void incomingEchoOfOwnMessageMerges();
    void serverCopyWithoutClientIdMergesOnAck();
    void duplicatesAreIgnored();
    void messagesForOtherRoomsAreIgnored();
    void incomingGoesWhereItsTimePutsIt();
    void statusOnlyMovesForward();
    void failedThenRetry();
    void historyPaging();
    void historyAnsweredSynchronously();
    void groupingAndDayRoles();
    void changingRoomEmptiesTheModel();
    void indexStaysConsistentUnderRandomOperations();
};

void TestMessageModel::roleNamesForQml()
{
    Watched w;
    const QHash<int, QByteArray> names = w.model.roleNames();
    QCOMPARE(names.value(MessageModel::MessageIdRole), "messageId");
    QCOMPARE(names.value(MessageModel::StatusNameRole), "statusName");
    QCOMPARE(names.value(MessageModel::FirstOfGroupRole), "firstOfGroup");
    QCOMPARE(names.value(MessageModel::DayStartRole), "dayStart");
    QCOMPARE(int(MessageModel::MessageIdRole), Qt::UserRole + 1);
    QCOMPARE(names.size(), 17);
}

void TestMessageModel::localEchoThenAckChangesOnlyChangedRoles()
{
    Watched w;
    QVERIFY(w.model.addLocalEcho(outgoing(u"c1"_s), me, t0));
    QCOMPARE(w.model.count(), 1);
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Sending));
    QCOMPARE(at(w.model, 0, MessageModel::StatusNameRole).toString(), u"sending"_s);
    QCOMPARE(at(w.model, 0, MessageModel::MessageIdRole).toString(), QString());
    QCOMPARE(at(w.model, 0, MessageModel::OutgoingRole).toBool(), true);
    QCOMPARE(at(w.model, 0, MessageModel::SenderNameRole).toString(), u"Me"_s);
    QVERIFY(!w.model.addLocalEcho(outgoing(u"c1"_s), me, t0)); // shown once

    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(&w.model, &QAbstractItemModel::rowsMoved);
    QSignalSpy reset(&w.model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);

    ChatMessage stored = message(u"m1"_s, me, t0.addSecs(1), u"hello"_s);
    stored.outgoing = false; // the ack alone says it is ours
    QVERIFY(w.model.acknowledge(u"c1"_s, stored));

    QCOMPARE(w.model.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(moved.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(sortedRoles(changed.at(0)),
             sorted({MessageModel::MessageIdRole, MessageModel::CreatedAtRole, MessageModel::StatusRole,
                     MessageModel::StatusNameRole}));
    QCOMPARE(at(w.model, 0, MessageModel::MessageIdRole).toString(), u"m1"_s);
    QCOMPARE(at(w.model, 0, MessageModel::ClientIdRole).toString(), u"c1"_s);
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Sent));
    QCOMPARE(at(w.model, 0, MessageModel::CreatedAtRole).toDateTime(), t0.addSecs(1));
    QCOMPARE(w.model.rowOfId(u"m1"_s), 0);
    QCOMPARE(w.model.rowOfClientId(u"c1"_s), 0);

    // The same ack again changes nothing.
    changed.clear();
    QVERIFY(w.model.acknowledge(u"c1"_s, stored));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(w.model.count(), 1);
}

void TestMessageModel::ackThatMovesTheRowUsesAMove()
{
    Watched w;
    w.model.addIncoming(message(u"a1"_s, alice, t0));
    w.model.addIncoming(message(u"b1"_s, bob, t0.addSecs(5)));
    QVERIFY(w.model.addLocalEcho(outgoing(u"c1"_s), me, t0.addSecs(10)));
    QCOMPARE(w.model.rowOfClientId(u"c1"_s), 0);

    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy moved(&w.model, &QAbstractItemModel::rowsMoved);

    // The server's clock puts our message between Alice's and Bob's.
    QVERIFY(w.model.acknowledge(u"c1"_s, message(u"m1"_s, me, t0.addSecs(2), u"hello"_s)));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(moved.count(), 1);
    QCOMPARE(moved.at(0).at(1).toInt(), 0); // from row 0
    QCOMPARE(moved.at(0).at(4).toInt(), 2); // before old row 2: it ends at row 1
    QCOMPARE(w.model.messageAt(0).id, u"b1"_s);
    QCOMPARE(w.model.messageAt(1).id, u"m1"_s);
    QCOMPARE(w.model.messageAt(2).id, u"a1"_s);
    QCOMPARE(w.model.rowOfId(u"m1"_s), 1);
    QCOMPARE(w.model.rowOfClientId(u"c1"_s), 1);
    QCOMPARE(w.model.rowOfId(u"b1"_s), 0);
    QCOMPARE(w.model.rowOfId(u"a1"_s), 2);
}

void TestMessageModel::incomingEchoOfOwnMessageMerges()
{
    Watched w;
    QVERIFY(w.model.addLocalEcho(outgoing(u"c1"_s), me, t0));
    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);

    ChatMessage echo = message(u"m1"_s, me, t0.addMSecs(300), u"hello"_s);
    echo.clientId = u"c1"_s;
    QVERIFY(w.model.addIncoming(echo));
    QCOMPARE(w.model.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(at(w.model, 0, MessageModel::MessageIdRole).toString(), u"m1"_s);
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Sent));

    // The ack after the echo: still one row.
    QVERIFY(w.model.acknowledge(u"c1"_s, echo));
    QCOMPARE(w.model.count(), 1);
    // And the echo again.
    QVERIFY(!w.model.addIncoming(echo));
    QCOMPARE(w.model.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);

    // Someone else's message that happens to carry the same client id is not ours.
    ChatMessage foreign = message(u"x1"_s, bob, t0.addSecs(1));
    foreign.clientId = u"c1"_s;
    QVERIFY(w.model.addIncoming(foreign));
    QCOMPARE(w.model.count(), 2);
}

void TestMessageModel::serverCopyWithoutClientIdMergesOnAck()
{
    Watched w;
    QVERIFY(w.model.addLocalEcho(outgoing(u"c1"_s), me, t0));
    // A dialect that broadcasts without our client id: the copy arrives first.
    ChatMessage copy = message(u"m1"_s, me, t0.addMSecs(200), u"hello"_s);
    copy.status = DeliveryStatus::Delivered;
    QVERIFY(w.model.addIncoming(copy));
    QCOMPARE(w.model.count(), 2);

    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(w.model.acknowledge(u"c1"_s, message(u"m1"_s, me, t0.addMSecs(200), u"hello"_s)));
    QCOMPARE(w.model.count(), 1);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 1); // the duplicate, not our row
    QCOMPARE(w.model.rowOfClientId(u"c1"_s), 0);
    QCOMPARE(w.model.rowOfId(u"m1"_s), 0);
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Delivered)); // the copy's receipt is kept
}

void TestMessageModel::duplicatesAreIgnored()
{
    Watched w;
    QVERIFY(w.model.addIncoming(message(u"m2"_s, alice, t0.addSecs(10))));
    QVERIFY(!w.model.addIncoming(message(u"m2"_s, alice, t0.addSecs(10))));
    QCOMPARE(w.model.count(), 1);

    // A history page overlapping what is shown, with a duplicate inside it.
    w.model.appendHistory({message(u"m2"_s, alice, t0.addSecs(10)), message(u"m1"_s, bob, t0),
                           message(u"m1"_s, bob, t0)},
                          false);
    QCOMPARE(w.model.count(), 2);
    QCOMPARE(w.model.messageAt(0).id, u"m2"_s);
    QCOMPARE(w.model.messageAt(1).id, u"m1"_s);
}

void TestMessageModel::messagesForOtherRoomsAreIgnored()
{
    Watched w;
    ChatMessage elsewhere = message(u"m1"_s, alice, t0);
    elsewhere.roomKey = u"room-2"_s;
    QVERIFY(!w.model.addIncoming(elsewhere));
    QCOMPARE(w.model.count(), 0);
    w.model.applyHistory(u"room-2"_s, {elsewhere}, true);
    QCOMPARE(w.model.count(), 0);
    QVERIFY(!w.model.allLoaded());

    QVERIFY(w.model.addIncoming(message(u"m1"_s, alice, t0)));
    QVERIFY(!w.model.applyStatus(u"room-2"_s, u"m1"_s, DeliveryStatus::Read));
    QVERIFY(w.model.applyStatus(room, u"m1"_s, DeliveryStatus::Read));
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Read));
}

void TestMessageModel::incomingGoesWhereItsTimePutsIt()
{
    Watched w;
    w.model.addIncoming(message(u"old"_s, alice, t0));
    w.model.addIncoming(message(u"new"_s, alice, t0.addSecs(10)));
    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    w.model.addIncoming(message(u"mid"_s, bob, t0.addSecs(5)));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(w.model.messageAt(0).id, u"new"_s);
    QCOMPARE(w.model.messageAt(1).id, u"mid"_s);
    QCOMPARE(w.model.messageAt(2).id, u"old"_s);
    QCOMPARE(w.model.rowOfId(u"old"_s), 2);

    w.model.addIncoming(message(u"newest"_s, bob, t0.addSecs(20)));
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 0);
    QCOMPARE(w.model.rowOfId(u"old"_s), 3);
    QCOMPARE(w.model.rowOfId(u"newest"_s), 0);
}

void TestMessageModel::statusOnlyMovesForward()
{
    Watched w;
    w.model.addIncoming(message(u"m1"_s, me, t0));
    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);

    QVERIFY(w.model.setStatus(u"m1"_s, DeliveryStatus::Delivered));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(sortedRoles(changed.at(0)), sorted({MessageModel::StatusRole, MessageModel::StatusNameRole}));
    QVERIFY(!w.model.setStatus(u"m1"_s, DeliveryStatus::Sent));
    QVERIFY(w.model.setStatus(u"m1"_s, DeliveryStatus::Read));
    QVERIFY(!w.model.setStatus(u"m1"_s, DeliveryStatus::Delivered));
    QVERIFY(!w.model.setStatus(u"m1"_s, DeliveryStatus::Failed));  // stored: cannot fail
    QVERIFY(!w.model.setStatus(u"m1"_s, DeliveryStatus::Sending)); // not a retry
    QVERIFY(!w.model.setStatus(u"unknown"_s, DeliveryStatus::Read));
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Read));
    QCOMPARE(at(w.model, 0, MessageModel::StatusNameRole).toString(), u"read"_s);
    QCOMPARE(changed.count(), 2);

    // A history page carrying an older status does not move it back.
    ChatMessage older = message(u"m1"_s, me, t0);
    older.status = DeliveryStatus::Sent;
    w.model.appendHistory({older}, true);
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Read));
}

void TestMessageModel::failedThenRetry()
{
    Watched w;
    QVERIFY(w.model.addLocalEcho(outgoing(u"c1"_s), me, t0));
    QVERIFY(w.model.markFailed(u"c1"_s, u"Message too long (max 1000 characters)"_s));
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Failed));
    QCOMPARE(at(w.model, 0, MessageModel::FailureReasonRole).toString(),
             u"Message too long (max 1000 characters)"_s);
    QVERIFY(!w.model.markFailed(u"c1"_s)); // already

    QVERIFY(w.model.retry(u"c1"_s));
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Sending));
    QCOMPARE(at(w.model, 0, MessageModel::FailureReasonRole).toString(), QString());
    QVERIFY(!w.model.retry(u"c1"_s)); // not failed

    QVERIFY(w.model.markFailed(u"c1"_s, u"timeout"_s));
    // A late ack wins over the failure: the server has it.
    QVERIFY(w.model.acknowledge(u"c1"_s, message(u"m1"_s, me, t0, u"hello"_s)));
    QCOMPARE(toString(statusAt(w.model, 0)), toString(DeliveryStatus::Sent));
    QCOMPARE(at(w.model, 0, MessageModel::FailureReasonRole).toString(), QString());
    QVERIFY(!w.model.markFailed(u"c1"_s));
    QVERIFY(!w.model.retry(u"c1"_s));
    QCOMPARE(w.model.count(), 1);

    // A failed message the user discards.
    QVERIFY(w.model.addLocalEcho(outgoing(u"c2"_s), me, t0.addSecs(1)));
    QVERIFY(w.model.markFailed(u"c2"_s));
    QVERIFY(w.model.discard(u"c2"_s));
    QCOMPARE(w.model.count(), 1);
    QCOMPARE(w.model.rowOfClientId(u"c2"_s), -1);
    QCOMPARE(w.model.rowOfId(u"m1"_s), 0);
}

void TestMessageModel::historyPaging()
{
    MessageModel model(room);
    QSignalSpy requested(&model, &MessageModel::historyRequested);
    QVERIFY(model.canFetchMore());
    // The tester behaves like a view: it asks for more as soon as it sees the
    // model (twice: nobody answers, so the second one finds it loading).
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toString(), QString()); // the newest page
    QVERIFY(model.loading());
    QVERIFY(!model.canFetchMore());
    model.fetchMore({});
    QCOMPARE(requested.count(), 1); // one request at a time

    const auto page = [](int newest, int oldest) {
        QList<ChatMessage> messages;
        for (int i = newest; i >= oldest; --i)
            messages.append(message(u"m%1"_s.arg(i), i % 2 ? alice : bob, t0.addSecs(i)));
        return messages;
    };
    model.appendHistory(page(100, 51), false);
    QCOMPARE(model.count(), 50);
    QVERIFY(!model.loading());
    QVERIFY(!model.allLoaded());
    QVERIFY(model.canFetchMore());
    QCOMPARE(model.oldestId(), u"m51"_s);
    QCOMPARE(requested.count(), 1); // inserting did not ask again by itself

    model.fetchMore({});
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.at(1).at(0).toString(), u"m51"_s);
    model.appendHistory(page(50, 1), true);
    QCOMPARE(model.count(), 100);
    QVERIFY(model.allLoaded());
    QVERIFY(!model.loading());
    QVERIFY(!model.canFetchMore());
    for (int row = 0; row < 100; ++row)
        QCOMPARE(model.messageAt(row).id, u"m%1"_s.arg(100 - row));
    model.fetchMore({});
    QCOMPARE(requested.count(), 2);

    // A failed request can be tried again; an empty page means the end.
    MessageModel other(room);
    QSignalSpy otherRequested(&other, &MessageModel::historyRequested);
    other.fetchMore({});
    QCOMPARE(otherRequested.count(), 1);
    other.cancelHistoryRequest();
    QVERIFY(other.canFetchMore());
    other.fetchMore({});
    QCOMPARE(otherRequested.count(), 2);
    other.appendHistory({}, false);
    QVERIFY(other.allLoaded());
    QVERIFY(!other.canFetchMore());
}

void TestMessageModel::historyAnsweredSynchronously()
{
    // The controller answers from the cache at once, while the tester (a view)
    // calls fetchMore() from inside the model's own signals.
    QList<ChatMessage> cached; // newest first
    for (int i = 300; i >= 1; --i)
        cached.append(message(u"m%1"_s.arg(i), alice, t0.addSecs(i)));
    MessageModel model(room);
    int requests = 0;
    connect(&model, &MessageModel::historyRequested, &model, [&](const QString &beforeId) {
        ++requests;
        qsizetype from = 0;
        if (!beforeId.isEmpty()) {
            while (from < cached.size() && cached.at(from).id != beforeId)
                ++from;
            ++from;
        }
        const QList<ChatMessage> pageOf = cached.mid(from, 40);
        model.appendHistory(pageOf, from + pageOf.size() >= cached.size());
    });
    // The tester asks (like a view) when it starts, once per check pass.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int initial = requests;
    QVERIFY(initial >= 1);
    QCOMPARE(model.count(), 40 * initial); // answered at once
    QVERIFY(!model.loading());

    // A live message: the tester asks for more from inside rowsAboutToBeInserted.
    // The request must not insert rows in the middle of that insert: it is
    // deferred to the event loop.
    QVERIFY(model.addIncoming(message(u"live"_s, bob, t0.addSecs(1000))));
    QCOMPARE(requests, initial);
    QVERIFY(model.loading());
    QTRY_COMPARE(requests, initial + 1);
    QCOMPARE(model.count(), 40 * (initial + 1) + 1);

    int guard = 0;
    while (!model.allLoaded() && ++guard < 100)
        model.fetchMore({});
    QVERIFY(model.allLoaded());
    QCOMPARE(requests, 8);
    QCOMPARE(model.count(), 301);
    QCOMPARE(model.messageAt(0).id, u"live"_s);
    for (int row = 1; row < 301; ++row)
        QCOMPARE(model.messageAt(row).id, u"m%1"_s.arg(301 - row));
}

void TestMessageModel::groupingAndDayRoles()
{
    Watched w;
    const QDateTime nextDay(t0.date().addDays(1), QTime(0, 1));
    // Reading order: a1 a2 | a3 | b1 | a4 || a5 (next day)
    w.model.appendHistory({message(u"a5"_s, alice, nextDay), message(u"a4"_s, alice, t0.addSecs(11 * 60)),
                           message(u"b1"_s, bob, t0.addSecs(10 * 60)), message(u"a3"_s, alice, t0.addSecs(9 * 60)),
                           message(u"a2"_s, alice, t0.addSecs(2 * 60)), message(u"a1"_s, alice, t0)},
                          false);
    QCOMPARE(w.model.count(), 6);
    const auto flags = [&w](const QString &id) {
        const int row = w.model.rowOfId(id);
        return QList<bool>{at(w.model, row, MessageModel::FirstOfGroupRole).toBool(),
                           at(w.model, row, MessageModel::LastOfGroupRole).toBool(),
                           at(w.model, row, MessageModel::DayStartRole).toBool()};
    };
    using F = QList<bool>; // first, last, dayStart
    QCOMPARE(flags(u"a1"_s), F({true, false, true}));
    QCOMPARE(flags(u"a2"_s), F({false, true, false}));
    QCOMPARE(flags(u"a3"_s), F({true, true, false})); // 7 minutes after a2
    QCOMPARE(flags(u"b1"_s), F({true, true, false}));
    QCOMPARE(flags(u"a4"_s), F({true, true, false}));
    QCOMPARE(flags(u"a5"_s), F({true, true, true})); // a new day starts a new group

    // A new message continuing a5's group: only a5's LastOfGroup changes.
    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);
    w.model.addIncoming(message(u"a6"_s, alice, nextDay.addSecs(120)));
    QCOMPARE(w.model.rowOfId(u"a6"_s), 0);
    QCOMPARE(flags(u"a6"_s), F({false, true, false}));
    QCOMPARE(flags(u"a5"_s), F({true, false, true}));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(sortedRoles(changed.at(0)), QList<int>{MessageModel::LastOfGroupRole});

    // An older page: a1 is no longer the first of its day nor of its group.
    changed.clear();
    w.model.appendHistory({message(u"z0"_s, alice, t0.addSecs(-60))}, true);
    QCOMPARE(w.model.rowOfId(u"z0"_s), 7);
    QCOMPARE(flags(u"z0"_s), F({true, false, true}));
    QCOMPARE(flags(u"a1"_s), F({false, false, false}));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 6);
    QCOMPARE(sortedRoles(changed.at(0)), sorted({MessageModel::FirstOfGroupRole, MessageModel::DayStartRole}));
}

void TestMessageModel::changingRoomEmptiesTheModel()
{
    Watched w;
    w.model.addIncoming(message(u"m1"_s, alice, t0));
    w.model.appendHistory({}, true);
    QVERIFY(w.model.allLoaded());
    QSignalSpy roomChanged(&w.model, &MessageModel::roomKeyChanged);
    QSignalSpy countChanged(&w.model, &MessageModel::countChanged);
    w.model.setRoomKey(u"room-2"_s);
    QCOMPARE(roomChanged.count(), 1);
    QCOMPARE(countChanged.count(), 1);
    QCOMPARE(w.model.count(), 0);
    QCOMPARE(w.model.rowOfId(u"m1"_s), -1);
    QVERIFY(!w.model.allLoaded());
    QVERIFY(w.model.canFetchMore());
}

void TestMessageModel::indexStaysConsistentUnderRandomOperations()
{
    Watched w;
    QRandomGenerator random(20240612);
    QStringList pendingClientIds;
    int next = 0;
    for (int step = 0; step < 400; ++step) {
        const int op = int(random.bounded(10));
        const QDateTime when = t0.addSecs(random.bounded(3600));
        if (op < 4) {
            w.model.addIncoming(message(u"m%1"_s.arg(next++), random.bounded(2) ? alice : bob, when));
        } else if (op < 6) {
            const QString clientId = u"c%1"_s.arg(next++);
            w.model.addLocalEcho(outgoing(clientId), me, when);
            pendingClientIds.append(clientId);
        } else if (op < 8 && !pendingClientIds.isEmpty()) {
            const QString clientId = pendingClientIds.takeAt(random.bounded(int(pendingClientIds.size())));
            w.model.acknowledge(clientId, message(u"s-"_s + clientId, me, t0.addSecs(random.bounded(3600))));
        } else if (op < 9 && !pendingClientIds.isEmpty()) {
            w.model.discard(pendingClientIds.takeLast());
        } else {
            const QDateTime older = w.model.oldestCreatedAt().isValid() ? w.model.oldestCreatedAt() : t0;
            w.model.appendHistory({message(u"h%1"_s.arg(next++), alice, older.addSecs(-1))}, false);
        }
    }
    QVERIFY(w.model.count() > 150);
    for (int row = 0; row < w.model.count(); ++row) {
        const ChatMessage m = w.model.messageAt(row);
        if (row > 0)
            QVERIFY2(w.model.messageAt(row - 1).createdAt >= m.createdAt, qPrintable(u"row %1"_s.arg(row)));
        if (!m.id.isEmpty())
            QCOMPARE(w.model.rowOfId(m.id), row);
        if (m.outgoing && !m.clientId.isEmpty())
            QCOMPARE(w.model.rowOfClientId(m.clientId), row);
        // Grouping flags are what the neighbours say.
        const bool dayStart = row + 1 == w.model.count()
            || m.createdAt.toLocalTime().date() != w.model.messageAt(row + 1).createdAt.toLocalTime().date();
        QCOMPARE(at(w.model, row, MessageModel::DayStartRole).toBool(), dayStart);
    }
}

QTEST_GUILESS_MAIN(TestMessageModel)
#include "tst_messagemodel.moc"
