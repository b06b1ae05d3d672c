#pragma once

#include <QStringList>

namespace natter::app {

// `natter users add|list|set-role|passwd …` on the server's --database.
// Returns the process exit code.
int runUsers(const QStringList &arguments);

} // namespace natter::app
