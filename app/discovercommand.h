#pragma once

#include <QStringList>

namespace natter::app {

// `natter discover [--timeout SECONDS] [--json] [--discovery-port PORT]`:
// lists the Natter servers announcing on the LAN, each as it is first heard,
// then exits 0 after the timeout (1 if it cannot listen, 2 for bad flags).
int runDiscover(const QStringList &arguments);

} // namespace natter::app
