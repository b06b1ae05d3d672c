// NotificationModel and MessageRequestModel under QAbstractItemModelTester.

#include "messagerequestmodel.h"
#include "notificationmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

const QDateTime t0 = QDateTime(QDate(2024, 6, 12), QTime(10, 0), Qt::UTC);

Notification notification(const QString &id, int minutes)
{
    Notification n;
    n.id = id;
    n.type = u"group_invite"_s;
    n.message = u"You were invited to "_s + id;
    n.roomKey = u"g-"_s + id;
    n.createdAt = t0.addSecs(minutes * 60);
    return n;
}

MessageRequest request(const QString &thread, const QString &from, const QString &text, int minutes)
{
    MessageRequest r;
    r.threadKey = thread;
    r.from.id = from;
    r.from.username = from;
    r.text = text;
    r.createdAt = t0.addSecs(minutes * 60);
    return r;
}

} // namespace

class TestNotificationModels : public QObject
{
    Q_OBJECT

private slots:
    void notifications();
    void messageRequests();
};

void TestNotificationModels::notifications()
{
    NotificationModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy unread(&model, &NotificationModel::unreadCountChanged);
    model.add(notification(u"n1"_s, 1));
    model.add(notification(u"n3"_s, 3));
    model.add(notification(u"n2"_s, 2));
    QCOMPARE(model.count(), 3);
    QCOMPARE(model.index(0).data(NotificationModel::IdRole).toString(), u"n3"_s); // newest first
    QCOMPARE(model.index(1).data(NotificationModel::IdRole).toString(), u"n2"_s);
    QCOMPARE(model.index(2).data(NotificationModel::RoomKeyRole).toString(), u"g-n1"_s);
    QCOMPARE(model.unreadCount(), 3);
    model.add(notification(u"n2"_s, 2)); // known id: no second row
    QCOMPARE(model.count(), 3);

    QVERIFY(model.markRead(u"n2"_s));
    QVERIFY(!model.markRead(u"n2"_s));
    QCOMPARE(model.unreadCount(), 2);
    QCOMPARE(model.index(1).data(NotificationModel::ReadRole).toBool(), true);
    // Fetched again (every refresh): read here stays read, and nothing changes.
    QSignalSpy changed(&model, &NotificationModel::dataChanged);
    model.add(notification(u"n2"_s, 2));
    QCOMPARE(model.index(1).data(NotificationModel::ReadRole).toBool(), true);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.unreadCount(), 2);
    model.markAllRead();
    QCOMPARE(model.unreadCount(), 0);
    QVERIFY(unread.count() >= 4);
    QVERIFY(model.remove(u"n1"_s));
    QVERIFY(!model.remove(u"n1"_s));
    QCOMPARE(model.count(), 2);
    QCOMPARE(model.roleNames().value(NotificationModel::MessageRole), "message");
    model.clear();
    QCOMPARE(model.count(), 0);
}

void TestNotificationModels::messageRequests()
{
    MessageRequestModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.add(request(u"t1"_s, u"bob"_s, u"hi"_s, 1));
    model.add(request(u"t2"_s, u"carol"_s, u"hello"_s, 2));
    QCOMPARE(model.count(), 2);
    QCOMPARE(model.unreadCount(), 2);
    QCOMPARE(model.index(0).data(MessageRequestModel::ThreadKeyRole).toString(), u"t2"_s);
    QCOMPARE(model.index(0).data(MessageRequestModel::FromNameRole).toString(), u"carol"_s);

    model.markAllRead();
    QCOMPARE(model.unreadCount(), 0);

    // A new message in a listed thread: same row, updated, moved up, unread again.
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    model.add(request(u"t1"_s, u"bob"_s, u"are you there?"_s, 3));
    QCOMPARE(model.count(), 2);
    QCOMPARE(moved.count(), 1);
    QCOMPARE(model.index(0).data(MessageRequestModel::ThreadKeyRole).toString(), u"t1"_s);
    QCOMPARE(model.index(0).data(MessageRequestModel::TextRole).toString(), u"are you there?"_s);
    QCOMPARE(model.index(0).data(MessageRequestModel::ReadRole).toBool(), false);
    QCOMPARE(model.unreadCount(), 1);

    QVERIFY(model.remove(u"t1"_s)); // approved or blocked
    QVERIFY(!model.remove(u"t1"_s));
    QCOMPARE(model.count(), 1);
    QCOMPARE(model.indexOf(u"t2"_s), 0);
}

QTEST_GUILESS_MAIN(TestNotificationModels)
#include "tst_notificationmodels.moc"
