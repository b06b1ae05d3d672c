#include "desktopcommand.h"

#include "desktopapp.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFont>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
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

    QQuickStyle::setStyle(QStringLiteral("Material"));
    QFont font(QStringLiteral("Noto Sans"));
    font.setPointSize(10);
    QApplication::setFont(font);

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    natter::desktop::DesktopApp desktop(dataDir);
    desktop.restore();

    QQmlApplicationEngine engine;
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Natter/Ui/MainWindow.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    if (auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst()); window && parser.isSet(hidden))
        window->hide();
    return app.exec();
}

} // namespace natter::app
