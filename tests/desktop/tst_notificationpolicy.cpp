// When a new message becomes a desktop notification.

#include "notificationpolicy.h"

#include <QTest>

using natter::desktop::NotificationPolicy;

class TestNotificationPolicy : public QObject
{
    Q_OBJECT

private slots:
    void decides_data()
    {
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<bool>("visible");
        QTest::addColumn<bool>("active");
        QTest::addColumn<QString>("openAccount");
        QTest::addColumn<QString>("openRoom");
        QTest::addColumn<QString>("messageAccount");
        QTest::addColumn<QString>("messageRoom");
        QTest::addColumn<bool>("own");
        QTest::addColumn<bool>("notify");

        const QString a = QStringLiteral("account-a");
        const QString b = QStringLiteral("account-b");
        const QString r1 = QStringLiteral("room-1");
        const QString r2 = QStringLiteral("room-2");
        // enabled visible active  open (account, room)  message (account, room)  own  → notify
        QTest::newRow("settings off, window hidden") << false << false << false << a << r1 << a << r2 << false << false;
        QTest::newRow("settings off, other room") << false << true << true << a << r1 << a << r2 << false << false;
        QTest::newRow("looking at that room") << true << true << true << a << r1 << a << r1 << false << false;
        QTest::newRow("window not focused, same room") << true << true << false << a << r1 << a << r1 << false << true;
        QTest::newRow("window hidden in the tray") << true << false << false << a << r1 << a << r1 << false << true;
        QTest::newRow("minimised (not visible) though focused") << true << false << true << a << r1 << a << r1 << false << true;
        QTest::newRow("looking at another room") << true << true << true << a << r1 << a << r2 << false << true;
        QTest::newRow("same room key, other account") << true << true << true << a << r1 << b << r1 << false << true;
        QTest::newRow("no room open") << true << true << true << a << QString() << a << r1 << false << true;
        QTest::newRow("own message, window hidden") << true << false << false << a << r1 << a << r2 << true << false;
        QTest::newRow("own message, other room") << true << true << true << a << r1 << a << r2 << true << false;
    }

    void decides()
    {
        QFETCH(bool, enabled);
        QFETCH(bool, visible);
        QFETCH(bool, active);
        QFETCH(QString, openAccount);
        QFETCH(QString, openRoom);
        QFETCH(QString, messageAccount);
        QFETCH(QString, messageRoom);
        QFETCH(bool, own);
        QFETCH(bool, notify);

        const NotificationPolicy policy(enabled);
        const NotificationPolicy::WindowState window{visible, active, openAccount, openRoom};
        const NotificationPolicy::Message message{messageAccount, messageRoom, own};
        QCOMPARE(policy.shouldNotify(window, message), notify);
    }

    void settingCanChange()
    {
        NotificationPolicy policy;
        const NotificationPolicy::WindowState hidden;
        const NotificationPolicy::Message message{QStringLiteral("a"), QStringLiteral("r"), false};
        QVERIFY(policy.shouldNotify(hidden, message));
        policy.setEnabled(false);
        QVERIFY(!policy.shouldNotify(hidden, message));
    }
};

QTEST_GUILESS_MAIN(TestNotificationPolicy)
#include "tst_notificationpolicy.moc"
