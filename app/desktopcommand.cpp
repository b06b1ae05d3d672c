#include "desktopcommand.h"

#include "accountlistmodel.h"
#include "appsettings.h"
#include "desktopapp.h"
#include "desktopwindow.h"
#include "messagenotifier.h"
#include "singleinstance.h"
#include "traycontroller.h"
#include "translator.h"
#include "windowactivation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

namespace natter::app {

using desktop::SingleInstance;
using desktop::TrayController;
using desktop::WindowActivation;

int runDesktop(int &argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Natter"));
    QApplication::setApplicationName(QStringLiteral("natter"));
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("natter"));

    // Before the command line, so --help speaks the user's language too.
    desktop::Translator translator;
    translator.setLanguage(desktop::AppSettings().language());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("DesktopCommand", "Natter: chat on your network, or host a server for it."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hidden(QStringLiteral("hidden"),
                                    QCoreApplication::translate("DesktopCommand", "Start in the tray, without a window."));
    parser.addOption(hidden);
    parser.process(app);

    // One app per user: a second launch hands over to the first and ends here.
    SingleInstance instance(SingleInstance::defaultServerName());
    const SingleInstance::Claim claim = instance.claim(QApplication::arguments().mid(1));
    if (claim == SingleInstance::Claim::HandedOver)
        return 0;
    if (claim == SingleInstance::Claim::Failed)
        qWarning("natter: %s (another launch will open a second window)", qPrintable(instance.errorString()));

    desktop::prepareDesktopStyle();
    const QIcon appIcon(QStringLiteral(":/natter/icons/natter.svg"));
    QApplication::setWindowIcon(appIcon);

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    desktop::DesktopApp desktop(dataDir);
    desktop.restore();

    // Without a tray there would be no way back to a hidden window.
    const bool startHidden = parser.isSet(hidden) && TrayController::trayAvailable();
    if (parser.isSet(hidden) && !startHidden)
        qInfo("natter: no system tray here, so --hidden shows the window");

    QQmlApplicationEngine engine;
    translator.follow(desktop.settings(), &engine);
    engine.setInitialProperties({{QStringLiteral("visible"), !startHidden}});
    QQuickWindow *window = desktop::loadMainWindow(engine);
    if (!window)
        return 1;

    TrayController tray(window, appIcon, desktop.settings()->store());
    desktop::AccountListModel *accounts = desktop.accounts();
    tray.setUnreadCount(accounts->totalUnread());
    QObject::connect(accounts, &desktop::AccountListModel::totalUnreadChanged, &tray,
                     [&tray, accounts] { tray.setUnreadCount(accounts->totalUnread()); });
    QObject::connect(&translator, &desktop::Translator::languageChanged, &tray, &TrayController::retranslate);
    desktop::MessageNotifier notifier(desktop, tray, window);

    QObject::connect(&instance, &SingleInstance::raiseRequested, window, [window](const QStringList &arguments) {
        // A second `--hidden` (autostart twice) leaves the window as it is.
        if (!arguments.contains(QStringLiteral("--hidden")))
            WindowActivation::bringToFront(window);
    });
    const int status = app.exec();
    // A token written just before quitting still reaches the keyring.
    desktop.finishPendingWrites(3000);
    return status;
}

} // namespace natter::app
