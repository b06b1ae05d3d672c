#pragma once

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <optional>

namespace natter::server {

// Why an upgrade is refused before it happens: HTTP status and error text.
struct UpgradeRefusal
{
    QHttpServerResponder::StatusCode status;
    QString error;
};

// QHttpServer (6.4) upgrades a WebSocket only when a route matches its path
// and the route's handler writes nothing. This writes the refusal (so the
// upgrade never happens) or nothing at all (so it does).
// A plain HTTP request on a WebSocket path gets 426 Upgrade Required.
bool isWebSocketUpgrade(const QHttpServerRequest &request);
void answerUpgrade(const QHttpServerRequest &request, QHttpServerResponder &responder,
                   std::optional<UpgradeRefusal> refusal);

} // namespace natter::server
