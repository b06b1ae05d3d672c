#pragma once

// The JSON shapes of spec 001 (`chats`). Field names, types and error strings
// are the spec's; Natter adds `id`, `room_id` and `timestamp` to incoming
// messages and `id`, `chat_id`, `timestamp` to message_response.

#include "hubevents.h"

#include <QJsonArray>
#include <QJsonObject>

namespace natter::server::chats {

// The spec's error table, exactly as printed.
inline constexpr QLatin1StringView unknownAction{"Unknown action"};
inline constexpr QLatin1StringView noAccess{"no access"};
inline constexpr QLatin1StringView couldNotSend{"Couldn't send message"};
inline constexpr QLatin1StringView missingChatId{"Missing chat_id"};
inline constexpr QLatin1StringView emptyMessage{"Message cannot be empty"};
// Natter's own (the spec sets no limit): more messages than the server's limit.
inline constexpr QLatin1StringView rateLimited{"Too many messages"};
// Natter's own: a connection following more chats than the server allows.
inline constexpr QLatin1StringView tooManySubscriptions{"too many subscriptions"};

QString frame(const QJsonObject &object); // compact JSON text

// A chat is a room addressed by its UUID: lowercase, no braces.
QString chatId(const QUuid &roomUuid);

// {"chat_id": as the client sent it, "status": "success"} or with "error".
QJsonObject subscribeResult(const QJsonValue &requestedId, const QString &error = {});
QString subscribeResponse(const QJsonArray &results);
// Sent to the sender once the message is committed.
QString messageResponse(const MessageRecord &message, const RoomRecord &room);
// {"from", "message", "chat_id"} (+ id, room_id, timestamp) for the others.
QString incomingMessage(const MessageEvent &event);
// {"error": message, "status": "error"}
QString errorFrame(QLatin1StringView message);

} // namespace natter::server::chats
