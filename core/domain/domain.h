#pragma once

// The one domain every dialect maps onto (see DESIGN.md): the words both the
// server and the client use for kinds, states and roles, with their wire names.

#include <QString>
#include <optional>

namespace natter {

enum class UserRole { User, Tutor, Admin };
enum class RoomKind { Direct, Group };
// Membership of a user in a room. `Requested` is a gateway thread that waits for
// approval, `Invited` a social group invitation not yet accepted.
enum class MembershipState { Active, Invited, Requested, Blocked };
enum class MessageKind { Text, Stamp, Location };
// Ordered: a status only ever moves forward.
enum class DeliveryStatus { Sending, Sent, Delivered, Read, Failed };

QString toString(UserRole role);
QString toString(RoomKind kind);
QString toString(MembershipState state);
QString toString(MessageKind kind);
QString toString(DeliveryStatus status);

std::optional<UserRole> userRoleFromString(const QString &text);
std::optional<RoomKind> roomKindFromString(const QString &text);
std::optional<MembershipState> membershipStateFromString(const QString &text);
std::optional<MessageKind> messageKindFromString(const QString &text);
std::optional<DeliveryStatus> deliveryStatusFromString(const QString &text);

// "Sent", "Delivered"… as spec 003's status_display shows them.
QString displayName(DeliveryStatus status);

} // namespace natter
