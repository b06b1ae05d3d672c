#pragma once

// Every dialect by name, with its default WebSocket path.

#include "dialectendpoint.h"

#include <QStringList>

namespace natter::server {

QStringList dialectNames(); // cable, chats, social, rooms, gateway
// The spec's path, or Natter's default where two specs both say /ws.
QString defaultMountPath(const QString &dialect);
std::unique_ptr<DialectEndpoint> makeEndpoint(const QString &dialect, ServerContext &context,
                                              const QString &mountPath);

} // namespace natter::server
