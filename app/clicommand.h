#pragma once

#include <QStringList>

namespace natter::app {

// `natter cli --server URL --dialect D (--user U --password P | --token T | --cookie C)
//  [--room ID …] [--path PATH] [--outbox FILE] [--ack-timeout SECONDS]`
// JSON commands on stdin, JSON events on stdout (see core/cli/scriptsession.h).
int runCli(const QStringList &arguments);

} // namespace natter::app
