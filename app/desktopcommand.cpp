#include "desktopcommand.h"

#include "desktopapp.h"
#include "desktopwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

namespace natter::app {

int runDesktop(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Natter"));
    QApplication::setApplicationName(QStringLiteral("natter"));
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("natter"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Natter: chat on your network, or host a server for it."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hidden(QStringLiteral("hidden"), QStringLiteral("Start in the tray, without a window."));
    parser.addOption(hidden);
    parser.process(app);

    natter::desktop::prepareDesktopStyle();
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    natter::desktop::DesktopApp desktop(dataDir);
    desktop.restore();

    QQmlApplicationEngine engine;
    QQuickWindow *window = natter::desktop::loadMainWindow(engine);
    if (!window)
        return 1;
    if (parser.isSet(hidden))
        window->hide();
    return app.exec();
}

} // namespace natter::app
