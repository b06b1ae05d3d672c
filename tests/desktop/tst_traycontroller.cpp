// Without a system tray (offscreen, plain X servers) the tray controller
// stays out of the way: no icon, no notifications, closing the window closes it.
// With one (run it by hand under Xvfb with an XEmbed tray such as wmdocker),
// closing the window hides it to the tray, once with a hint.

#include "traycontroller.h"

#include <QGuiApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QWindow>

using natter::desktop::TrayController;

class TestTrayController : public QObject
{
    Q_OBJECT

private slots:
    void withoutTrayTheWindowClosesAsUsual()
    {
        if (TrayController::trayAvailable())
            QSKIP("this session has a system tray; the test is about having none");
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        QWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        TrayController tray(&window, QIcon(), settings);
        QVERIFY(!tray.inTray());
        QVERIFY(!tray.showNotification(QStringLiteral("Bob"), QStringLiteral("Hi")));
        tray.setUnreadCount(5);
        QCOMPARE(tray.unreadCount(), 5);
        QVERIFY(QGuiApplication::quitOnLastWindowClosed());

        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
        // The close hint is only for hiding to a tray.
        QVERIFY(!settings.contains(QStringLiteral("tray/closeHintShown")));
    }

    void withTrayClosingHidesTheWindow()
    {
        if (!TrayController::trayAvailable())
            QSKIP("no system tray here (CI: offscreen); see the comment at the top");
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
        QWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        TrayController tray(&window, QIcon(QStringLiteral(":/natter/icons/natter.svg")), settings);
        QVERIFY(tray.inTray());
        QVERIFY(!QGuiApplication::quitOnLastWindowClosed());
        QVERIFY(!window.close());
        QVERIFY(!window.isVisible());
        QVERIFY(settings.value(QStringLiteral("tray/closeHintShown")).toBool());
        QVERIFY(tray.showNotification(QStringLiteral("Bob"), QStringLiteral("Hi")));
    }
};

QTEST_MAIN(TestTrayController)
#include "tst_traycontroller.moc"
