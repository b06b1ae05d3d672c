#include "desktopwindow.h"

#include <QFont>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>

namespace natter::desktop {

void prepareDesktopStyle()
{
    QQuickStyle::setStyle(QStringLiteral("Material"));
    QFont font(QStringLiteral("Noto Sans"));
    font.setPointSize(10);
    QGuiApplication::setFont(font);
}

QQuickWindow *loadMainWindow(QQmlApplicationEngine &engine)
{
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Natter/Ui/MainWindow.qml")));
    if (engine.rootObjects().isEmpty())
        return nullptr;
    return qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
}

} // namespace natter::desktop
