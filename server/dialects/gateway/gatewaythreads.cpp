#include "gatewaythreads.h"

#include "gatewayformat.h"
#include "httputil.h"
#include "servercontext.h"
#include "storequeries.h"

#include <algorithm>

namespace natter::server::gateway {

namespace {
QString str(const char *latin1) { return QString::fromLatin1(latin1); }

QString threadState(const QList<MembershipRecord> &members)
{
    const auto has = [&members](MembershipState state) {
        return std::any_of(members.cbegin(), members.cend(),
                           [state](const MembershipRecord &m) { return m.state == state; });
    };
    if (has(MembershipState::Blocked))
        return toString(MembershipState::Blocked);
    if (has(MembershipState::Requested))
        return toString(MembershipState::Requested);
    return toString(MembershipState::Active);
}
} // namespace

bool seesThread(MembershipState state)
{
    return state == MembershipState::Active || state == MembershipState::Requested
        || state == MembershipState::Blocked;
}

QJsonObject thread(ServerContext &context, const RoomRecord &room, qint64 viewerId)
{
    StoreQueries &store = context.queries;
    const QList<MembershipRecord> members = store.members(room.id);
    QJsonValue membership = QJsonValue::Null;
    QJsonValue other = QJsonValue::Null;
    QJsonArray participants;
    for (const MembershipRecord &member : members) {
        const auto person = store.userById(member.userId);
        if (!person)
            continue;
        participants.append(user(*person));
        if (member.userId == viewerId)
            membership = toString(member.state);
        else
            other = user(*person);
    }
    if (other.isNull() && members.size() == 1) {
        if (const auto self = store.userById(viewerId))
            other = user(*self); // a thread with oneself
    }
    QJsonValue openedBy = QJsonValue::Null;
    if (const auto opener = store.userById(room.createdBy))
        openedBy = opener->uuid.toString(QUuid::WithoutBraces);

    QJsonValue last = QJsonValue::Null;
    if (const auto message = store.lastMessage(room.id)) {
        const UserRecord sender = store.userById(message->senderId).value_or(UserRecord{});
        last = gateway::message(*message, sender, room);
    }
    return {{str("id"), room.uuid.toString(QUuid::WithoutBraces)},
            {str("room_id"), room.id},
            {str("state"), threadState(members)},
            {str("membership"), membership},
            {str("opened_by"), openedBy},
            {str("other"), other},
            {str("participants"), participants},
            {str("last_message"), last},
            {str("created_at"), http::timestamp(room.createdAt)}};
}

QJsonArray threadsOf(ServerContext &context, qint64 userId)
{
    StoreQueries &store = context.queries;
    struct Entry
    {
        RoomRecord room;
        QDateTime activity;
    };
    QList<Entry> entries;
    for (MembershipState state : {MembershipState::Active, MembershipState::Requested,
                                  MembershipState::Blocked}) {
        for (const RoomRecord &room : store.roomsOfUser(userId, state)) {
            if (room.kind != RoomKind::Direct)
                continue;
            const auto last = store.lastMessage(room.id);
            entries.append({room, last ? last->createdAt : room.createdAt});
        }
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.activity != b.activity ? a.activity > b.activity : a.room.id > b.room.id;
    });
    QJsonArray threads;
    for (const Entry &entry : std::as_const(entries))
        threads.append(thread(context, entry.room, userId));
    return threads;
}

std::optional<RoomRecord> visibleThread(ServerContext &context, const QString &uuid, qint64 userId)
{
    const QUuid id = QUuid::fromString(uuid);
    if (id.isNull())
        return std::nullopt;
    const auto room = context.queries.roomByUuid(id);
    if (!room || room->kind != RoomKind::Direct)
        return std::nullopt;
    const auto membership = context.queries.membership(room->id, userId);
    if (!membership || !seesThread(membership->state))
        return std::nullopt;
    return room;
}

} // namespace natter::server::gateway
