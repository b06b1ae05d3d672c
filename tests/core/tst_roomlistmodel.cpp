// RoomListModel (+ PresenceTracker, RoomFilterModel): sorting, moves, unread,
// presence, filtering. Every model runs under QAbstractItemModelTester.

#include "presencetracker.h"
#include "roomfiltermodel.h"
#include "roomlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

const QDateTime t0 = QDateTime(QDate(2024, 6, 12), QTime(10, 0), Qt::UTC);

RoomSummary group(const QString &key, const QString &name, int minutes)
{
    RoomSummary r;
    r.key = key;
    r.kind = RoomKind::Group;
    r.name = name;
    r.lastActivity = t0.addSecs(minutes * 60);
    return r;
}

RoomSummary direct(const QString &key, const QString &otherId, const QString &otherName, int minutes)
{
    RoomSummary r;
    r.key = key;
    r.kind = RoomKind::Direct;
    r.other.id = otherId;
    r.other.username = otherId;
    r.other.displayName = otherName;
    r.lastActivity = t0.addSecs(minutes * 60);
    return r;
}

ChatMessage message(const QString &roomKey, const QString &id, int minutes, bool outgoing = false)
{
    ChatMessage m;
    m.roomKey = roomKey;
    m.id = id;
    m.sender.id = outgoing ? u"me"_s : u"bob"_s;
    m.sender.displayName = outgoing ? u"Me"_s : u"Bob"_s;
    m.outgoing = outgoing;
    m.text = u"text of "_s + id;
    m.createdAt = t0.addSecs(minutes * 60);
    return m;
}

QStringList keys(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.index(row, 0).data(RoomListModel::RoomKeyRole).toString());
    return result;
}

QVariant at(const RoomListModel &model, const QString &key, RoomListModel::Role role)
{
    return model.data(model.index(model.roomIndex(key)), role);
}

struct Watched
{
    Watched()
        : tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
        model.setRooms({group(u"r1"_s, u"Lunch"_s, 1), group(u"r2"_s, u"Project"_s, 3),
                        group(u"r3"_s, u"Family"_s, 2)});
    }
    RoomListModel model;
    QAbstractItemModelTester tester;
};

} // namespace

class TestRoomListModel : public QObject
{
    Q_OBJECT

private slots:
    void sortedByActivity();
    void newMessageMovesRoomToTop();
    void unreadCounting();
    void activeRoomCountsNothing();
    void relistUpdatesInPlace();
    void presenceIsReflected();
    void presenceTracker();
    void filterByName();
};

void TestRoomListModel::sortedByActivity()
{
    Watched w;
    QCOMPARE(keys(w.model), QStringList({u"r2"_s, u"r3"_s, u"r1"_s}));
    QCOMPARE(w.model.count(), 3);
    QCOMPARE(w.model.roomIndex(u"r3"_s), 1);
    QCOMPARE(w.model.roomIndex(u"nope"_s), -1);
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::NameRole).toString(), u"Project"_s);
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::KindRole).toString(), u"group"_s);
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::LastActivityRole).toDateTime(), t0.addSecs(180));
    QCOMPARE(w.model.roleNames().value(RoomListModel::UnreadCountRole), "unreadCount");
    QCOMPARE(int(RoomListModel::RoomKeyRole), Qt::UserRole + 1);

    // A room inserted later goes where its activity puts it.
    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    w.model.upsertRoom(group(u"r4"_s, u"Book club"_s, 2));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(keys(w.model), QStringList({u"r2"_s, u"r3"_s, u"r4"_s, u"r1"_s}));
}

void TestRoomListModel::newMessageMovesRoomToTop()
{
    Watched w;
    QSignalSpy moved(&w.model, &QAbstractItemModel::rowsMoved);
    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);

    QVERIFY(w.model.noteMessage(message(u"r1"_s, u"m1"_s, 10), false));
    QCOMPARE(keys(w.model), QStringList({u"r1"_s, u"r2"_s, u"r3"_s}));
    QCOMPARE(moved.count(), 1);
    QCOMPARE(moved.at(0).at(1).toInt(), 2);
    QCOMPARE(moved.at(0).at(4).toInt(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::LastMessageTextRole).toString(), u"text of m1"_s);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::LastMessageSenderRole).toString(), u"Bob"_s);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::LastMessageKindRole).toString(), u"text"_s);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::LastActivityRole).toDateTime(), t0.addSecs(600));

    // Already on top: no move.
    QVERIFY(w.model.noteMessage(message(u"r1"_s, u"m2"_s, 11), false));
    QCOMPARE(moved.count(), 1);
    // An older message (e.g. late) does not replace the last one or move the room.
    QVERIFY(w.model.noteMessage(message(u"r3"_s, u"old"_s, 0), false));
    QCOMPARE(moved.count(), 1);
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::LastMessageTextRole).toString(), u"text of old"_s);
    QVERIFY(w.model.noteMessage(message(u"r3"_s, u"older"_s, -5), false));
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::LastMessageTextRole).toString(), u"text of old"_s);
    QCOMPARE(keys(w.model), QStringList({u"r1"_s, u"r2"_s, u"r3"_s}));

    QVERIFY(!w.model.noteMessage(message(u"unknown"_s, u"x"_s, 20), false));
}

void TestRoomListModel::unreadCounting()
{
    Watched w;
    QSignalSpy total(&w.model, &RoomListModel::totalUnreadChanged);
    w.model.noteMessage(message(u"r1"_s, u"m1"_s, 10), false);
    w.model.noteMessage(message(u"r1"_s, u"m1"_s, 10), false); // the same message again
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::UnreadCountRole).toInt(), 1);
    w.model.noteMessage(message(u"r1"_s, u"m2"_s, 11), false);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::UnreadCountRole).toInt(), 2);
    w.model.noteMessage(message(u"r2"_s, u"m3"_s, 12, true), false); // ours
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(keys(w.model).first(), u"r2"_s);
    w.model.noteMessage(message(u"r3"_s, u"m4"_s, 13), true); // the room is open
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(w.model.totalUnread(), 2);

    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);
    QVERIFY(w.model.markRead(u"r1"_s));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(2).value<QList<int>>(), QList<int>{RoomListModel::UnreadCountRole});
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(w.model.totalUnread(), 0);
    QVERIFY(!w.model.markRead(u"r1"_s));
    QVERIFY(total.count() >= 2);

    // Our own message acknowledged: no unread, and the ack after the echo is one message.
    ChatMessage mine = message(u"r1"_s, u"m5"_s, 14, true);
    mine.clientId = u"c5"_s;
    QVERIFY(w.model.noteAcked(u"c5"_s, mine));
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::LastMessageOutgoingRole).toBool(), true);
    QCOMPARE(w.model.totalUnread(), 0);

    // A server without acks confirms ours late: Bob's reply in the same second
    // (wire times in seconds) stays the preview; a reply in the same second does replace it.
    ChatMessage late = message(u"r2"_s, u"m6"_s, 20, true);
    late.clientId = u"c6"_s;
    w.model.noteMessage(message(u"r2"_s, u"m7"_s, 20), false);
    w.model.noteAcked(u"c6"_s, late);
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::LastMessageTextRole).toString(), u"text of m7"_s);
    w.model.noteMessage(message(u"r2"_s, u"m8"_s, 20), false);
    QCOMPARE(at(w.model, u"r2"_s, RoomListModel::LastMessageTextRole).toString(), u"text of m8"_s);
}

void TestRoomListModel::activeRoomCountsNothing()
{
    Watched w;
    w.model.noteReceived(message(u"r3"_s, u"m1"_s, 10));
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::UnreadCountRole).toInt(), 1);
    w.model.setActiveRoomKey(u"r3"_s); // opening it marks it read
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::UnreadCountRole).toInt(), 0);
    w.model.noteReceived(message(u"r3"_s, u"m2"_s, 11));
    QCOMPARE(at(w.model, u"r3"_s, RoomListModel::UnreadCountRole).toInt(), 0);
    w.model.noteReceived(message(u"r1"_s, u"m3"_s, 12));
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::UnreadCountRole).toInt(), 1);
    QCOMPARE(keys(w.model), QStringList({u"r1"_s, u"r3"_s, u"r2"_s}));
}

void TestRoomListModel::relistUpdatesInPlace()
{
    Watched w;
    QSignalSpy reset(&w.model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&w.model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&w.model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);
    RoomSummary renamed = group(u"r1"_s, u"Lunch crew"_s, 1);
    renamed.unreadCount = 4;
    w.model.setRooms({renamed, group(u"r3"_s, u"Family"_s, 2), direct(u"d1"_s, u"bob"_s, u"Bob"_s, 5)});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1); // r2
    QCOMPARE(inserted.count(), 1); // d1
    QCOMPARE(keys(w.model), QStringList({u"d1"_s, u"r3"_s, u"r1"_s}));
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::NameRole).toString(), u"Lunch crew"_s);
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::UnreadCountRole).toInt(), 4);
    QCOMPARE(w.model.totalUnread(), 4);
    QCOMPARE(changed.count(), 1); // only r1 changed
    QList<int> roles = changed.at(0).at(2).value<QList<int>>();
    std::sort(roles.begin(), roles.end());
    QCOMPARE(roles, QList<int>({RoomListModel::NameRole, RoomListModel::UnreadCountRole}));
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::NameRole).toString(), u"Bob"_s); // no name: the other person
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::IsDirectRole).toBool(), true);
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::OtherPersonIdRole).toString(), u"bob"_s);

    QVERIFY(w.model.removeRoom(u"r3"_s));
    QCOMPARE(keys(w.model), QStringList({u"d1"_s, u"r1"_s}));
    QCOMPARE(w.model.roomIndex(u"r1"_s), 1);
}

void TestRoomListModel::presenceIsReflected()
{
    Watched w;
    w.model.upsertRoom(direct(u"d1"_s, u"bob"_s, u"Bob"_s, 5));
    w.model.upsertRoom(direct(u"d2"_s, u"carol"_s, u"Carol"_s, 4));
    PresenceTracker presence;
    w.model.setPresenceTracker(&presence);
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::OtherOnlineRole).toBool(), false);

    QSignalSpy changed(&w.model, &QAbstractItemModel::dataChanged);
    presence.setOnline(u"bob"_s, true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), w.model.roomIndex(u"d1"_s));
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(RoomListModel::OtherOnlineRole));
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::OtherOnlineRole).toBool(), true);
    QCOMPARE(at(w.model, u"d2"_s, RoomListModel::OtherOnlineRole).toBool(), false);

    presence.setOnline(u"dave"_s, true); // nobody's room
    QCOMPARE(changed.count(), 1);
    const QDateTime seen = t0.addSecs(3600);
    presence.setOnline(u"bob"_s, false, seen);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::OtherOnlineRole).toBool(), false);
    QCOMPARE(at(w.model, u"d1"_s, RoomListModel::OtherLastSeenRole).toDateTime(), seen);
    // Group rooms have nobody to be online.
    QCOMPARE(at(w.model, u"r1"_s, RoomListModel::OtherOnlineRole).toBool(), false);

    // A summary saying "online" is used until the tracker knows the person.
    RoomSummary carol = direct(u"d2"_s, u"carol"_s, u"Carol"_s, 4);
    carol.other.online = true;
    w.model.upsertRoom(carol);
    QCOMPARE(at(w.model, u"d2"_s, RoomListModel::OtherOnlineRole).toBool(), true);
    presence.setOnline(u"carol"_s, false);
    QCOMPARE(at(w.model, u"d2"_s, RoomListModel::OtherOnlineRole).toBool(), false);
}

void TestRoomListModel::presenceTracker()
{
    PresenceTracker presence;
    QSignalSpy changed(&presence, &PresenceTracker::presenceChanged);
    Person bob;
    bob.id = u"bob"_s;
    bob.online = true;
    presence.setPresence(bob);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), u"bob"_s);
    QVERIFY(presence.knows(u"bob"_s));
    QVERIFY(presence.isOnline(u"bob"_s));
    QCOMPARE(presence.onlineCount(), 1);
    presence.setPresence(bob); // nothing new
    QCOMPARE(changed.count(), 1);
    presence.markAllOffline();
    QCOMPARE(changed.count(), 2);
    QVERIFY(!presence.isOnline(u"bob"_s));
    QVERIFY(presence.lastSeen(u"bob"_s).isValid());
    QCOMPARE(presence.onlineCount(), 0);
    QVERIFY(!presence.knows(u"carol"_s));
}

void TestRoomListModel::filterByName()
{
    Watched w;
    w.model.upsertRoom(direct(u"d1"_s, u"bob"_s, u"Bob Builder"_s, 5));
    RoomFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&w.model);
    QCOMPARE(filter.count(), 4);

    QSignalSpy countChanged(&filter, &RoomFilterModel::countChanged);
    filter.setFilterText(u"  bUiL "_s);
    QCOMPARE(filter.count(), 1);
    QVERIFY(countChanged.count() >= 1);
    QCOMPARE(filter.index(0, 0).data(RoomListModel::RoomKeyRole).toString(), u"d1"_s);
    QCOMPARE(filter.sourceRow(0), w.model.roomIndex(u"d1"_s));

    filter.setFilterText(u"o"_s);
    QCOMPARE(keys(filter), QStringList({u"d1"_s, u"r2"_s})); // Bob Builder, Project: source order
    filter.setFilterText(u"bob proj"_s); // every word must match
    QCOMPARE(filter.count(), 0);
    filter.setFilterText(u"proj"_s);
    QCOMPARE(keys(filter), QStringList({u"r2"_s}));

    // The source changes underneath: a new matching room appears, order follows the source.
    w.model.upsertRoom(group(u"r9"_s, u"Side project"_s, 30));
    QCOMPARE(keys(filter), QStringList({u"r9"_s, u"r2"_s}));
    w.model.noteMessage(message(u"r2"_s, u"m1"_s, 40), false);
    QCOMPARE(keys(filter), QStringList({u"r2"_s, u"r9"_s}));

    filter.setFilterText(QString());
    QCOMPARE(filter.count(), 5);
}

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
