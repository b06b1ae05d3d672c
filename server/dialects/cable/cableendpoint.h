#pragma once

// The `cable` dialect (spec 000): ActionCable at `/cable?token=JWT` and the
// stamp catalogue at GET /api/stamp_messages.
//
// Connecting. The token comes from `?token=`, `Authorization: Bearer`, or a
// cookie (`natter_session`, or `_message_backend_session` as the spec names
// it). Like Rails, the socket is upgraded first; an unknown or revoked token
// then gets {"type":"disconnect","reason":"unauthorized","reconnect":false}
// and the socket closes (1000), with no welcome. An upgrade authenticated by
// cookie alone from a foreign Origin (not the server's own host, nor in
// ServerConfig::allowedOrigins) is refused before the upgrade with 403;
// without an Origin header (not a browser) it is let through. accept() checks
// again on the socket (QHttpServer 6.4 hands even a refused request to its
// WebSocket server); a socket that fails there gets the disconnect frame with
// reason "invalid_request".
//
// Subprotocol. Rails clients ask for `actioncable-v1-json` and browsers fail
// a handshake whose 101 selects no subprotocol when one was asked for. Qt
// 6.4's QHttpServer cannot select one, so the listener runs this door's
// handshakes itself (see Listener, FrontDoor): the 101 names
// `actioncable-v1-json` when the client asks for it; a client that asks for
// none connects without one. Only a connection's first request is looked
// at: an upgrade after a kept-alive HTTP request still gets QHttpServer's
// handshake, without a subprotocol (browsers normally open a new one).
//
// Commands (all JSON objects with a string `command`):
//   subscribe   {"identifier": "{\"channel\":\"MessageChannel\"}"}              → the lobby
//               {"identifier": "{\"channel\":\"MessageChannel\",\"room_id\":N}"} → room N
//     The identifier is a JSON string holding JSON (the real wire form) or, as
//     the spec prints it, a plain JSON object; replies echo it in the form and
//     spelling the client used. room_id may be a number or a numeric string.
//     confirm_subscription for the lobby or a room the user is an active member
//     of; reject_subscription for anything else (unknown channel, no such room,
//     not a member, an identifier that is not a JSON object). Subscribing again
//     to the same identifier confirms again and keeps one subscription (Rails
//     7.1+ silently ignores the repeat; an answer is friendlier to clients).
//     Subscriptions are keyed by the identifier text, as Rails keys them.
//   unsubscribe {"identifier": ...}  → no frame (as Rails); unknown identifier → error frame.
//   message     {"identifier": ..., "data": "<JSON text>" | {...}} with data.action:
//     send_message  data.message (text)
//     send_stamp    data.stamp_id (an id of GET /api/stamp_messages; number or numeric string)
//     send_location data.latitude (-90..90), data.longitude (-180..180), numbers or numeric strings
//     Optional data.temp_id (or data.client_id), string or number, ≤128 characters: a
//     re-send with the same temp id returns the stored message to the sender's
//     subscription only and stores nothing twice. There is no separate ack: the
//     sender's own subscription receives the broadcast (with temp_id) after the commit.
// Bad input — malformed JSON, unknown command or action, missing or wrong-typed
// fields, an identifier not subscribed, an unknown stamp — gets an error frame
// (see cableformat.h); nothing is stored and the connection stays open.
// Typing, receipts, presence: ActionCable's spec has none; no frames are sent.

#include "authenticator.h"
#include "dialectendpoint.h"
#include "records.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>

namespace natter::server {

class CableEndpoint : public DialectEndpoint
{
    Q_OBJECT
public:
    CableEndpoint(ServerContext &context, const QString &mountPath, QObject *parent = nullptr);

    QLatin1StringView dialect() const override { return QLatin1StringView("cable"); }
    void registerRoutes(QHttpServer &server) override;
    QStringList subprotocols() const override;
    bool admitsUpgrade(const QNetworkRequest &upgrade) const override;
    void accept(UpgradedSocket socket) override;

private:
    QHttpServerResponse stampMessages(const QHttpServerRequest &request) const;
    // Whether an upgrade authenticated by cookie alone comes from an allowed Origin.
    bool originAllowed(const Credentials &credentials, const QByteArray &origin,
                       const QByteArray &host) const;
    // Sends the disconnect frame, closes, and lets the socket go once closed.
    static void refuse(UpgradedSocket socket, const QString &reason);
};

} // namespace natter::server
