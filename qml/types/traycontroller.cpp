#include "traycontroller.h"

#include "unreadbadge.h"
#include "windowactivation.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMenu>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QWindow>

namespace natter::desktop {

namespace {
const auto closeHintShownKey = QStringLiteral("tray/closeHintShown");
constexpr int notificationMs = 8000;
} // namespace

TrayController::TrayController(QWindow *window, const QIcon &icon, QSettings &settings, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_icon(icon)
    , m_settings(settings)
{
    if (!trayAvailable())
        return;
    createTrayIcon();
    // The window lives on in the tray; only "Quit" ends the app.
    QGuiApplication::setQuitOnLastWindowClosed(false);
    if (m_window)
        m_window->installEventFilter(this);
}

TrayController::~TrayController() = default;

bool TrayController::trayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayController::createTrayIcon()
{
    m_menu = std::make_unique<QMenu>();
    m_showAction = m_menu->addAction(QString());
    connect(m_showAction, &QAction::triggered, this, [this] { WindowActivation::bringToFront(m_window); });
    m_menu->addSeparator();
    m_quitAction = m_menu->addAction(QString());
    connect(m_quitAction, &QAction::triggered, this, [] { QCoreApplication::quit(); });

    m_tray = std::make_unique<QSystemTrayIcon>();
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray.get(), &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            toggleWindow();
    });
    connect(m_tray.get(), &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_lastMessageWasNotification)
            emit notificationClicked();
        else
            WindowActivation::bringToFront(m_window);
    });
    retranslate();
    m_tray->show();
}

void TrayController::retranslate()
{
    if (!m_tray)
        return;
    m_showAction->setText(tr("Show Natter"));
    m_quitAction->setText(tr("Quit"));
    updateIcon();
}

void TrayController::setUnreadCount(int unread)
{
    if (m_unread == unread)
        return;
    m_unread = unread;
    updateIcon();
}

void TrayController::updateIcon()
{
    if (!m_tray)
        return;
    m_tray->setIcon(m_unread > 0 ? QIcon(UnreadBadge::pixmap(m_icon, m_unread)) : m_icon);
    m_tray->setToolTip(UnreadBadge::tooltip(m_unread));
}

bool TrayController::showNotification(const QString &title, const QString &body)
{
    if (!m_tray)
        return false;
    m_lastMessageWasNotification = true;
    m_tray->showMessage(title, body, m_icon, notificationMs);
    return true;
}

void TrayController::toggleWindow()
{
    if (WindowActivation::userIsLooking(m_window))
        m_window->hide();
    else
        WindowActivation::bringToFront(m_window);
}

void TrayController::hideToTray()
{
    m_window->hide();
    if (m_settings.value(closeHintShownKey).toBool())
        return;
    m_settings.setValue(closeHintShownKey, true);
    m_lastMessageWasNotification = false;
    m_tray->showMessage(tr("Natter is still running"),
                        tr("It waits in the tray so new messages still reach you. Choose Quit in its menu to end it."),
                        m_icon, notificationMs);
}

bool TrayController::eventFilter(QObject *watched, QEvent *event)
{
    if (m_tray && watched == m_window && event->type() == QEvent::Close) {
        // Keep the window (and the app) alive; only hide it.
        event->ignore();
        hideToTray();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace natter::desktop
