#pragma once

namespace natter::app {

// `natter` with no command: the desktop app (QML window over the client core,
// optionally hosting a server). Creates its own QApplication.
int runDesktop(int &argc, char **argv);

} // namespace natter::app
