#pragma once

#include <QStringList>

namespace natter::app {

// `natter --headless [--listen ADDR:PORT] [--database URL] [--data-dir DIR] …`
// Runs the server (announced on the LAN unless --no-announce) until SIGINT/SIGTERM. Returns the process exit code.
int runHeadless(const QStringList &arguments);

} // namespace natter::app
