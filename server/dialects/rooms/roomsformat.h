#pragma once

// The JSON shapes of spec 003 (`rooms`), for REST answers and WebSocket frames.
// Field names and types are the spec's; Natter adds `uuid` (rooms, users),
// `kind`, `name`, `temp_id` where a client can use them.

#include "hub.h"
#include "hubevents.h"

#include <QJsonObject>

namespace natter::server::rooms {

QString frame(const QJsonObject &object); // compact JSON text
QJsonValue seconds(std::chrono::milliseconds duration);

QJsonObject user(const UserRecord &user, bool online);
QJsonObject typingUser(const UserRecord &user);
// A message as REST shows it to one viewer.
QJsonObject message(const MessageRecord &message, const UserRecord &sender, bool senderOnline,
                    const Hub::ViewedStatus &status);
QJsonObject lastMessage(const MessageRecord &message, DeliveryStatus status);

QString messageFrame(const MessageEvent &event);
QString statusFrame(const StatusEvent &event);
QString typingFrame(const TypingEvent &event);
QString presenceFrame(const PresenceEvent &event);
QString errorFrame(const QString &message);

} // namespace natter::server::rooms
