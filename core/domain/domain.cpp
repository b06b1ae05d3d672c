#include "domain.h"

#include <array>
#include <utility>

namespace natter {
namespace {

template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[candidate, name] : table) {
        if (candidate == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &table,
                            const QString &text)
{
    for (const auto &[candidate, name] : table) {
        if (text == QLatin1String(name))
            return candidate;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<UserRole, const char *>, 3> roleNames{{
    {UserRole::User, "user"}, {UserRole::Tutor, "tutor"}, {UserRole::Admin, "admin"}}};
constexpr std::array<std::pair<RoomKind, const char *>, 2> roomKindNames{{
    {RoomKind::Direct, "direct"}, {RoomKind::Group, "group"}}};
constexpr std::array<std::pair<MembershipState, const char *>, 4> membershipNames{{
    {MembershipState::Active, "active"},
    {MembershipState::Invited, "invited"},
    {MembershipState::Requested, "requested"},
    {MembershipState::Blocked, "blocked"}}};
constexpr std::array<std::pair<MessageKind, const char *>, 3> messageKindNames{{
    {MessageKind::Text, "text"}, {MessageKind::Stamp, "stamp"}, {MessageKind::Location, "location"}}};
constexpr std::array<std::pair<DeliveryStatus, const char *>, 5> statusNames{{
    {DeliveryStatus::Sending, "sending"},
    {DeliveryStatus::Sent, "sent"},
    {DeliveryStatus::Delivered, "delivered"},
    {DeliveryStatus::Read, "read"},
    {DeliveryStatus::Failed, "failed"}}};

} // namespace

QString toString(UserRole role) { return nameOf(roleNames, role); }
QString toString(RoomKind kind) { return nameOf(roomKindNames, kind); }
QString toString(MembershipState state) { return nameOf(membershipNames, state); }
QString toString(MessageKind kind) { return nameOf(messageKindNames, kind); }
QString toString(DeliveryStatus status) { return nameOf(statusNames, status); }

std::optional<UserRole> userRoleFromString(const QString &text) { return valueOf(roleNames, text); }
std::optional<RoomKind> roomKindFromString(const QString &text) { return valueOf(roomKindNames, text); }
std::optional<MembershipState> membershipStateFromString(const QString &text)
{
    return valueOf(membershipNames, text);
}
std::optional<MessageKind> messageKindFromString(const QString &text)
{
    return valueOf(messageKindNames, text);
}
std::optional<DeliveryStatus> deliveryStatusFromString(const QString &text)
{
    return valueOf(statusNames, text);
}

QString displayName(DeliveryStatus status)
{
    QString name = toString(status);
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

} // namespace natter
