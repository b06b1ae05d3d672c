// The tray's unread badge: its text, the tooltip and the drawn icon.

#include "unreadbadge.h"

#include <QGuiApplication>
#include <QImage>
#include <QTest>

using natter::desktop::UnreadBadge;

namespace {
const QColor iconColor(0x34, 0x78, 0xf6);

QIcon plainIcon()
{
    QPixmap pixmap(64, 64);
    pixmap.fill(iconColor);
    return QIcon(pixmap);
}

// A point inside the badge but clear of its digits.
QPoint badgeEdge(int size) { return QPoint(size - 2, int(size * 0.29)); }
} // namespace

class TestUnreadBadge : public QObject
{
    Q_OBJECT

private slots:
    void text_data()
    {
        QTest::addColumn<int>("unread");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << 0 << QString();
        QTest::newRow("negative (never shown)") << -1 << QString();
        QTest::newRow("some") << 5 << QStringLiteral("5");
        QTest::newRow("largest shown") << 99 << QStringLiteral("99");
        QTest::newRow("many") << 120 << QStringLiteral("99+");
    }
    void text()
    {
        QFETCH(int, unread);
        QFETCH(QString, text);
        QCOMPARE(UnreadBadge::text(unread), text);
    }

    void tooltip()
    {
        QCOMPARE(UnreadBadge::tooltip(0), QStringLiteral("Natter"));
        QCOMPARE(UnreadBadge::tooltip(5), QStringLiteral("Natter — 5 unread"));
        // The tooltip has room for the real count.
        QCOMPARE(UnreadBadge::tooltip(120), QStringLiteral("Natter — 120 unread"));
    }

    void noBadgeLeavesTheIconAlone()
    {
        const QImage image = UnreadBadge::pixmap(plainIcon(), 0, 64).toImage();
        QCOMPARE(image.size(), QSize(64, 64));
        QCOMPARE(image.pixelColor(badgeEdge(64)), iconColor);
        QCOMPARE(image.pixelColor(32, 50), iconColor);
    }

    void badgeIsDrawnTopRight_data()
    {
        QTest::addColumn<int>("unread");
        QTest::addColumn<int>("size");
        QTest::newRow("5 at 64 px") << 5 << 64;
        QTest::newRow("120 at 64 px") << 120 << 64;
        QTest::newRow("5 at 22 px") << 5 << 22;
    }
    void badgeIsDrawnTopRight()
    {
        QFETCH(int, unread);
        QFETCH(int, size);
        const QImage image = UnreadBadge::pixmap(plainIcon(), unread, size).toImage();
        QCOMPARE(image.size(), QSize(size, size));
        QCOMPARE(image.pixelColor(badgeEdge(size)), UnreadBadge::badgeColor());
        // The lower left stays the icon.
        QCOMPARE(image.pixelColor(1, size - 2), iconColor);
    }

    void countsLookDifferent()
    {
        const QImage five = UnreadBadge::pixmap(plainIcon(), 5).toImage();
        const QImage many = UnreadBadge::pixmap(plainIcon(), 120).toImage();
        QVERIFY(five != many);
    }
};

QTEST_MAIN(TestUnreadBadge)
#include "tst_unreadbadge.moc"
