#pragma once

// A WebSocket just upgraded, as a dialect endpoint gets it: the request it
// was upgraded with (for authentication; the endpoint keeps none of it) and
// its transport, whichever implementation ran the handshake (SocketPipe).

#include "socketpipe.h"

#include <QNetworkRequest>
#include <QString>
#include <memory>

namespace natter::server {

struct UpgradedSocket
{
    QNetworkRequest request; // url(): ws(s)://host[:port]/path?query; the request's headers
    QString origin;          // the Origin header, empty if none
    std::unique_ptr<SocketPipe> transport;

    // Refuses without a session: sends `lastFrame` (if any), closes with
    // `code` and `reason`, and lets the transport go once it has closed.
    void refuse(quint16 code, const QString &reason, const QByteArray &lastFrame = {})
    {
        transport.release()->closeAndDispose(code, reason, lastFrame);
    }
};

} // namespace natter::server
