#pragma once

// Who may use the `social` dialect (spec 002): its WebSocket is meant for
// browsers that carry the session cookie, so a page on another site must not
// be able to open it with the visitor's cookie (cross-site WebSocket
// hijacking). The rule, for the upgrade and for social's state-changing POSTs:
//
//  - no Origin header (a non-browser client): allowed;
//  - the server's own origin, http:// or https:// plus the request's Host
//    header (default ports filled in): allowed;
//  - an origin listed in ServerConfig::allowedOrigins (`--allowed-origin`,
//    compared by scheme, host and port): allowed; an entry "*" allows any
//    origin (the spec's development setting; never the default);
//  - anything else, including "null": refused with 403.

#include <QString>
#include <QStringList>

class QHttpServerRequest;
class QNetworkRequest;

namespace natter::server::social {

bool originAllowed(const QStringList &allowedOrigins, const QString &origin, const QString &host);

// The Origin and Host headers of a request (empty when absent).
struct OriginHeaders
{
    QString origin;
    QString host;

    static OriginHeaders from(const QHttpServerRequest &request);
    static OriginHeaders from(const QNetworkRequest &upgradeRequest); // a server-side QWebSocket
};

} // namespace natter::server::social
