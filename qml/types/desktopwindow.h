#pragma once

// What every start of the desktop UI does, shared by the app and its
// end-to-end test: the Controls style and fonts, then the main window.

class QQmlApplicationEngine;
class QQuickWindow;

namespace natter::desktop {

// Before the engine is created: Material style, Noto Sans.
void prepareDesktopStyle();
// Loads MainWindow.qml (App must exist); nullptr when it fails to load.
QQuickWindow *loadMainWindow(QQmlApplicationEngine &engine);

} // namespace natter::desktop
