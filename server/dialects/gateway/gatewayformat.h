#pragma once

// The JSON shapes of spec 004 (`gateway`): payloads {"o": opcode, "d": data,
// "e": event} and the objects inside them. Field names are the spec's
// (thread_id, from{id, first_name, last_name}, message, timestamp, message_id);
// Natter adds room_id, username, kind and nonce where a client can use them.

#include "hubevents.h"

#include <QJsonObject>
#include <QLatin1StringView>

namespace natter::server::gateway {

// Opcodes (spec table). HEARTBEAT (1) and HEARTBEAT_ACK (11) are not in the
// spec's table: Natter answers a client's HEARTBEAT with HEARTBEAT_ACK, as the
// announced heartbeat_interval suggests; clients that never send one are fine.
enum Opcode : int {
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
};

// Close codes (spec table); the close reason is the spec's name of the code.
enum CloseCode : quint16 {
    UnknownError = 4000,
    UnknownOpcode = 4001,
    DecodeError = 4002,
    NotAuthenticated = 4003,
    AuthenticationFailed = 4004,
    AlreadyAuthenticated = 4005,
    RateLimited = 4008,
    SessionTimeout = 4009,
};
QString closeReason(CloseCode code); // "UNKNOWN_ERROR", "DECODE_ERROR", …

// Application errors that leave the connection open: an ERROR dispatch
// {"o":0,"e":"ERROR","d":{"code", "message", "event", "nonce"}}.
namespace error {
inline constexpr QLatin1StringView unknownRecipient{"UNKNOWN_RECIPIENT"};
inline constexpr QLatin1StringView invalidMessage{"INVALID_MESSAGE"};
inline constexpr QLatin1StringView blocked{"BLOCKED"};
inline constexpr QLatin1StringView notApproved{"NOT_APPROVED"};
inline constexpr QLatin1StringView unknownEvent{"UNKNOWN_EVENT"};
inline constexpr QLatin1StringView sendFailed{"SEND_FAILED"};
} // namespace error

// display_name split at its first space: {first, last}; the username when
// there is no display name.
std::pair<QString, QString> splitName(const UserRecord &user);

QString text(const QJsonObject &payload); // compact JSON text
QString payload(Opcode opcode, const QJsonValue &data);
QString dispatch(QLatin1StringView event, const QJsonObject &data);

// {id: uuid, first_name, last_name, username}
QJsonObject user(const UserRecord &user);
// A message as MESSAGE / MESSAGE_REQUEST / GET /thread/{id} show it:
// {message_id, thread_id, room_id, from, message, timestamp, kind[, nonce]}.
QJsonObject message(const MessageRecord &message, const UserRecord &sender, const RoomRecord &room);

QString messageFrame(const MessageEvent &event);        // MESSAGE
QString messageRequestFrame(const MessageEvent &event); // MESSAGE_REQUEST
QString errorFrame(QLatin1StringView code, const QString &message, QLatin1StringView event,
                   const QJsonValue &nonce);

} // namespace natter::server::gateway
