#include "unreadbadge.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

namespace natter::desktop {

namespace {
constexpr int largestShownCount = 99;

// A pill over the top-right corner, wide enough for "99+".
void drawBadge(QPainter &painter, int size, const QString &label)
{
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(qMax(8, size * 9 / 20));
    const QFontMetricsF metrics(font);
    const qreal height = size * 0.58;
    const qreal width = qMin(qreal(size), qMax(height, metrics.horizontalAdvance(label) + height * 0.5));
    const QRectF pill(size - width, 0, width, height);
    painter.setPen(Qt::NoPen);
    painter.setBrush(UnreadBadge::badgeColor());
    painter.drawRoundedRect(pill, height / 2, height / 2);
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(pill, Qt::AlignCenter, label);
}
} // namespace

QString UnreadBadge::text(int unread)
{
    if (unread <= 0)
        return {};
    if (unread > largestShownCount)
        return QStringLiteral("%1+").arg(largestShownCount);
    return QString::number(unread);
}

QString UnreadBadge::tooltip(int unread)
{
    if (unread <= 0)
        return QCoreApplication::translate("UnreadBadge", "Natter");
    return QCoreApplication::translate("UnreadBadge", "Natter — %n unread", nullptr, unread);
}

QColor UnreadBadge::badgeColor()
{
    return QColor(0xe5, 0x48, 0x4d); // Theme.danger
}

QPixmap UnreadBadge::pixmap(const QIcon &icon, int unread, int size)
{
    QPixmap canvas(size, size);
    canvas.fill(Qt::transparent);
    QPainter painter(&canvas);
    painter.setRenderHint(QPainter::Antialiasing);
    icon.paint(&painter, QRect(0, 0, size, size));
    const QString label = text(unread);
    if (!label.isEmpty())
        drawBadge(painter, size, label);
    painter.end();
    return canvas;
}

} // namespace natter::desktop
