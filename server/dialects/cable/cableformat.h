#pragma once

// The frames of the `cable` dialect (spec 000, ActionCable as Rails speaks it).
//
// Server → client:
//   {"type":"welcome"}                                   after the upgrade, once authenticated
//   {"type":"ping","message":<unix seconds>}             every ServerConfig::cablePingInterval
//   {"identifier":<id>,"type":"confirm_subscription"}
//   {"identifier":<id>,"type":"reject_subscription"}
//   {"identifier":<id>,"message":{...message...}}       a message of the subscribed room
//   {"type":"disconnect","reason":"unauthorized","reconnect":false}   then the socket closes
//   {"type":"disconnect","reason":"server_restart","reconnect":true}  at shutdown, then 1001
//   {"type":"error","message":<text>,"command"?:<cmd>,"temp_id"?:<id>}  Natter's extra: a
//       refused command. No `identifier` on purpose: Rails clients route frames of
//       unknown type by identifier, so a frame without one is ignored by them.
//
// <id> is echoed exactly as the client sent it: the same JSON string (whatever its
// spacing or key order), or the same object when a client sent the identifier as a
// plain JSON object (the spec's printed example).
//
// The message object (encoded once per event, then wrapped per subscription):
//   {"id", "room_id", "room_uuid", "kind": "text"|"stamp"|"location",
//    "message": text (a stamp as "[stamp:ID]", a location as "[location:LAT,LNG]"),
//    "stamp_id": int (stamps only), "latitude", "longitude" (locations only),
//    "user": {"id", "username", "display_name"}, "created_at": ISO 8601 UTC,
//    "temp_id": the sender's temp_id/client_id (only when it sent one)}

#include "hubevents.h"

#include <QJsonObject>
#include <QString>
#include <chrono>

namespace natter::server::cable {

inline constexpr QLatin1StringView dialectName{"cable"};
inline constexpr QLatin1StringView channelName{"MessageChannel"};
inline constexpr QLatin1StringView subprotocol{"actioncable-v1-json"};

QString frame(const QJsonObject &object); // compact JSON text

// A JSON value as compact JSON text (a string becomes a quoted, escaped literal).
QString jsonText(const QJsonValue &value);

QString welcomeFrame();
QString pingFrame(qint64 unixSeconds);
// `identifierJson` is the identifier as JSON text (see jsonText), echoed verbatim.
QString confirmFrame(const QString &identifierJson);
QString rejectFrame(const QString &identifierJson);
QString disconnectFrame(const QString &reason, bool reconnect);
QString errorFrame(const QString &message, const QString &command = {},
                   const QString &tempId = {});

// The inner message object of an event, as compact JSON text.
QString messageBody(const MessageEvent &event);
// Natter's extra broadcast on the lobby's subscription: a room appeared or a
// membership in it changed (`"type":"room_update"`; the room list says how it
// stands now). Never a chat message: it has no `id`.
QString roomUpdateBody(const RoomEvent &event);
// {"identifier":<identifierJson>,"message":<body>}: a string concatenation, no
// re-serialisation, so one encoded body serves every subscription.
QString wrapMessage(const QString &identifierJson, const QString &body);

} // namespace natter::server::cable
