#include "windowdriver.h"

#include <QDir>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

namespace natter::testing {

namespace {
QQuickItem *findItem(QQuickItem *root, const QString &objectName)
{
    if (!root)
        return nullptr;
    if (root->objectName() == objectName && root->isVisible())
        return root;
    const QList<QQuickItem *> children = root->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findItem(child, objectName))
            return found;
    }
    return nullptr;
}
} // namespace

QQuickItem *WindowDriver::item(const QString &objectName) const
{
    // Popups and dialogs live on the overlay, a sibling of the content item.
    QQuickItem *root = m_window->contentItem();
    while (root && root->parentItem())
        root = root->parentItem();
    return findItem(root, objectName);
}

bool WindowDriver::settled(QQuickItem *target) const
{
    const QRectF area = target->mapRectToScene(QRectF(0, 0, target->width(), target->height()));
    return target->isEnabled() && area.width() > 0
        && QRectF(0, 0, m_window->width(), m_window->height()).contains(area);
}

QQuickItem *WindowDriver::waitForItem(const QString &objectName, int timeoutMs) const
{
    QQuickItem *found = nullptr;
    QRectF lastArea;
    int stillPolls = 0;
    const auto ready = [&] {
        found = item(objectName);
        if (!found || !settled(found))
            return false;
        const QRectF area = found->mapRectToScene(QRectF(0, 0, found->width(), found->height()));
        stillPolls = area == lastArea ? stillPolls + 1 : 0;
        lastArea = area;
        return stillPolls >= 3;
    };
    if (!QTest::qWaitFor(ready, timeoutMs))
        qWarning("no usable item '%s' on screen", qPrintable(objectName));
    return found && settled(found) ? found : nullptr;
}

bool WindowDriver::click(QQuickItem *target, bool rightButton) const
{
    if (!target) {
        qWarning("nothing to click");
        return false;
    }
    const QPoint center = target->mapToScene(QPointF(target->width() / 2, target->height() / 2)).toPoint();
    QTest::mouseClick(static_cast<QWindow *>(m_window), rightButton ? Qt::RightButton : Qt::LeftButton, {}, center);
    return true;
}

bool WindowDriver::type(QQuickItem *field, const QString &text) const
{
    if (!field) {
        qWarning("no field to type into");
        return false;
    }
    field->forceActiveFocus();
    if (!QTest::qWaitFor([field] { return field->hasActiveFocus(); }, 5000))
        return false;
    for (const QChar character : text)
        QTest::keyClick(static_cast<QWindow *>(m_window), character.toLatin1());
    return true;
}

void WindowDriver::key(int key) const
{
    QTest::keyClick(static_cast<QWindow *>(m_window), Qt::Key(key));
}

bool WindowDriver::saveScreenshot(const QString &name) const
{
    const QString dir = qEnvironmentVariable("NATTER_ARTIFACT_DIR", QDir::currentPath());
    QDir().mkpath(dir);
    const QImage image = m_window->grabWindow();
    if (image.isNull() || !image.save(QDir(dir).filePath(name)))
        return false;
    qInfo("screenshot: %s", qPrintable(QDir(dir).filePath(name)));
    return true;
}

} // namespace natter::testing
