#include "nattersession.h"

#include "httputil.h"
#include "hub.h"
#include "natterformat.h"
#include "roomdirectory.h"
#include "serverconfig.h"
#include "servercontext.h"
#include "storequeries.h"
#include "userjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace natter::server {
namespace {

namespace wire = natterdialect;

constexpr std::chrono::seconds helloTimeout{10};
constexpr int syncPerRoomMax = 100;
constexpr qsizetype syncBytesMax = 512 * 1024; // of encoded messages: well inside the send bound
constexpr int historyMax = 100;
constexpr int notificationsInSync = 50;
constexpr int groupMembersMax = 50;

std::optional<qint64> integer(const QJsonValue &value, qint64 minimum, qint64 maximum)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::trunc(number) != number || number < double(minimum)
        || number > double(maximum))
        return std::nullopt;
    return qint64(number);
}

std::optional<qint64> id(const QJsonValue &value) { return integer(value, 1, std::numeric_limits<qint32>::max() * qint64(1024)); }

std::optional<QString> nonBlank(const QJsonValue &value, qsizetype maxLength)
{
    if (!value.isString())
        return std::nullopt;
    const QString text = value.toString();
    if (text.trimmed().isEmpty() || text.size() > maxLength)
        return std::nullopt;
    return text;
}

QString outcomeCode(MembershipOutcome outcome)
{
    switch (outcome) {
    case MembershipOutcome::Done:
        return {};
    case MembershipOutcome::NotFound:
        return u"not_found"_s;
    case MembershipOutcome::Forbidden:
        return u"forbidden"_s;
    case MembershipOutcome::Conflict:
        return u"conflict"_s;
    case MembershipOutcome::Failed:
        break;
    }
    return u"unavailable"_s;
}

} // namespace

NatterSession::NatterSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                             QObject *parent)
    : SocketSession(context, std::move(socket), parent)
    , m_user(std::move(user))
{
    connect(&m_socket, &SocketLink::textReceived, this, &NatterSession::handleText);
    connect(&m_socket, &SocketLink::binaryReceived, this, [this] {
        m_socket.close(QWebSocketProtocol::CloseCodeDatatypeNotSupported, u"Binary frames are not supported"_s);
    });
    if (!mayConnect(m_user.id)) {
        m_refused = true;
        return;
    }
    m_helloDeadline.start(m_context.timers, helloTimeout);
}

void NatterSession::onClosed()
{
    m_helloDeadline.stop();
    m_silence.stop();
    m_pingDue.stop();
}

bool NatterSession::followsRoom(qint64 roomId) const
{
    const auto membership = m_context.hub.directory().membership(roomId, m_user.id);
    return membership && membership->state == MembershipState::Active;
}

std::optional<MembershipState> NatterSession::readableState(qint64 roomId) const
{
    const auto membership = m_context.hub.directory().membership(roomId, m_user.id);
    if (!membership || membership->state == MembershipState::Invited)
        return std::nullopt;
    return membership->state;
}

// ---- frames in -------------------------------------------------------------------

void NatterSession::handleText(const QString &text)
{
    if (!m_socket.isOpen() || m_refused)
        return; // closing (refused, failed, or going away): nothing more is read
    if (m_helloDone)
        m_silence.start(m_context.timers, 3 * m_context.config.heartbeatInterval + m_context.config.pingTimeout);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    const QJsonObject frame = document.object();
    const QJsonValue typeValue = frame.value(u"type"_s);
    if (!m_helloDone) {
        if (parseError.error != QJsonParseError::NoError || !document.isObject() || typeValue != u"hello"_s)
            return failAndClose(u"hello_required"_s, u"The first frame must be a hello"_s, HelloRequired,
                                u"hello required"_s);
        return handleHello(frame);
    }
    Request request;
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(request, u"bad_request"_s, u"Not a JSON object"_s);
    if (!typeValue.isString())
        return fail(request, u"bad_request"_s, u"Missing field: type"_s);
    request.type = typeValue.toString();
    request.frame = frame;
    if (request.type == u"ping")
        return send(wire::frame({{u"type"_s, u"pong"_s}, {u"n"_s, frame.value(u"n"_s)}}));
    if (request.type == u"pong")
        return;
    if (request.type == u"typing")
        return handleTyping(frame);
    if (request.type == u"hello")
        return fail(request, u"bad_request"_s, u"hello was already sent"_s);
    const QJsonValue idValue = frame.value(u"id"_s);
    if (!idValue.isString() || idValue.toString().isEmpty() || idValue.toString().size() > 64)
        return fail(request, u"bad_request"_s, u"Missing or invalid field: id"_s);
    request.id = idValue.toString();
    handleRequest(request);
}

void NatterSession::handleRequest(const Request &request)
{
    using Handler = void (NatterSession::*)(const Request &);
    static const QHash<QString, Handler> handlers{
        {u"send"_s, &NatterSession::handleSend},       {u"mark"_s, &NatterSession::handleMark},
        {u"history"_s, &NatterSession::handleHistory}, {u"rooms"_s, &NatterSession::handleRooms},
        {u"direct"_s, &NatterSession::handleDirect},   {u"group"_s, &NatterSession::handleGroup},
        {u"invite"_s, &NatterSession::handleInvite},   {u"answer_invitation"_s, &NatterSession::handleAnswer},
        {u"thread"_s, &NatterSession::handleThread},   {u"people"_s, &NatterSession::handlePeople},
    };
    const Handler handler = handlers.value(request.type);
    if (!handler)
        return fail(request, u"unknown_type"_s, u"Unknown type: "_s + request.type);
    (this->*handler)(request);
}

void NatterSession::handleHello(const QJsonObject &frame)
{
    const std::optional<qint64> version = integer(frame.value(u"version"_s), 0, 1'000'000);
    if (version != wire::protocolVersion) {
        return failAndClose(u"unsupported_version"_s, u"This server speaks version 1"_s, UnsupportedVersion,
                            u"unsupported version"_s, {{u"supported"_s, QJsonArray{wire::protocolVersion}}});
    }
    QHash<qint64, qint64> known;
    const QJsonValue rooms = frame.value(u"rooms"_s);
    if (!rooms.isUndefined() && !rooms.isObject())
        return failAndClose(u"bad_request"_s, u"rooms must be an object"_s, HelloRequired, u"bad hello"_s);
    const QJsonObject roomSeqs = rooms.toObject();
    for (auto it = roomSeqs.begin(); it != roomSeqs.end(); ++it) {
        bool ok = false;
        const qint64 roomId = it.key().toLongLong(&ok);
        const std::optional<qint64> seq = integer(it.value(), 0, std::numeric_limits<qint64>::max() / 2);
        if (!ok || roomId <= 0 || !seq)
            return failAndClose(u"bad_request"_s, u"rooms must map room ids to seqs"_s, HelloRequired,
                                u"bad hello"_s);
        known.insert(roomId, *seq);
    }
    int limit = syncPerRoomMax;
    if (const QJsonValue value = frame.value(u"limit"_s); !value.isUndefined()) {
        const std::optional<qint64> given = integer(value, 1, syncPerRoomMax);
        if (!given)
            return failAndClose(u"bad_request"_s, u"limit must be 1-100"_s, HelloRequired, u"bad hello"_s);
        limit = int(*given);
    }

    // Counted again now: sessions count once attached, and none of those
    // opened at once was attached when the constructor asked.
    if (!mayConnect(m_user.id)) {
        m_refused = true;
        return onClosed();
    }
    m_helloDeadline.stop();
    m_helloDone = true;
    // Joined, welcomed and synced in one step on this thread: an event is
    // either in the sync's snapshot or comes after it, never both.
    attachToHub(m_user.id);
    m_context.hub.followMemberRooms(this);
    const ServerConfig &config = m_context.config;
    send(wire::frame({
        {u"type"_s, u"welcome"_s},
        {u"version"_s, wire::protocolVersion},
        {u"user"_s, json::account(m_user)},
        {u"server"_s, QJsonObject{{u"name"_s, config.name}, {u"software"_s, u"natter"_s},
                                  {u"time"_s, http::timestamp(QDateTime::currentDateTimeUtc())}}},
        {u"heartbeat_ms"_s, qint64(config.heartbeatInterval.count())},
        {u"limits"_s, QJsonObject{{u"max_text"_s, config.messageSizeLimit},
                                  {u"max_frame_bytes"_s, config.maxFrameBytes},
                                  {u"sync_per_room"_s, limit},
                                  {u"sync_bytes"_s, syncBytesMax},
                                  {u"history_max"_s, historyMax},
                                  {u"typing_ms"_s, qint64(config.typingExpiry.count())},
                                  {u"group_members_max"_s, groupMembersMax}}},
        {u"features"_s, QJsonArray{}},
    }));

    QList<qint64> listed;
    const QJsonArray entries = roomEntries(&known, limit, &listed);
    QJsonArray gone;
    for (auto it = known.cbegin(); it != known.cend(); ++it) {
        if (!listed.contains(it.key()))
            gone.append(it.key());
    }
    QJsonArray notifications;
    for (const NotificationRecord &notification : m_context.queries.notifications(m_user.id, notificationsInSync, 0)) {
        if (!notification.isRead)
            notifications.append(wire::notification(notification));
    }
    send(wire::frame({{u"type"_s, u"sync"_s},
                      {u"rooms"_s, entries},
                      {u"gone"_s, gone},
                      {u"notifications"_s, notifications}}));

    m_silence.start(m_context.timers, 3 * config.heartbeatInterval + config.pingTimeout);
    m_pingDue.start(m_context.timers, config.heartbeatInterval);
}

QJsonArray NatterSession::roomEntries(const QHash<qint64, qint64> *known, int limit, QList<qint64> *listed)
{
    struct Listed
    {
        RoomRecord room;
        MembershipState state;
        QDateTime activity;
        qint64 lastSeq = 0;
    };
    QList<Listed> rooms;
    QList<qint64> ids;
    for (MembershipState state : {MembershipState::Active, MembershipState::Invited, MembershipState::Requested,
                                  MembershipState::Blocked}) {
        for (const RoomRecord &room : m_context.queries.roomsOfUser(m_user.id, state)) {
            rooms.append({room, state, room.createdAt, 0});
            ids.append(room.id);
        }
    }
    const QHash<qint64, MessageRecord> newest = m_context.queries.lastMessages(ids);
    for (Listed &entry : rooms) {
        if (const auto found = newest.constFind(entry.room.id); found != newest.cend()) {
            entry.lastSeq = found->seq;
            entry.activity = found->createdAt;
        }
    }
    // Most recent activity first; ties (and rooms without messages) by id.
    std::sort(rooms.begin(), rooms.end(), [](const Listed &a, const Listed &b) {
        return a.activity != b.activity ? a.activity > b.activity : a.room.id > b.room.id;
    });
    const QHash<qint64, int> unread = m_context.queries.unreadCounts(m_user.id);

    QJsonArray entries;
    qsizetype budget = syncBytesMax;
    for (const Listed &listedRoom : rooms) {
        budget -= 600; // the room's own entry, about
        if (listed)
            listed->append(listedRoom.room.id);
        QJsonObject entry = roomEntry(listedRoom.room, listedRoom.state, listedRoom.lastSeq,
                                      unread.value(listedRoom.room.id));
        if (known && listedRoom.state != MembershipState::Invited) {
            qint64 since = known->value(listedRoom.room.id, 0);
            if (since > listedRoom.lastSeq) {
                entry.insert(u"reset"_s, true); // the client's copy is not this server's history
                since = 0;
            }
            QJsonArray messages;
            bool more = since < listedRoom.lastSeq;
            if (more && budget > 0) {
                QList<MessageRecord> missed = m_context.queries.messagesAfter(listedRoom.room.id, since, limit + 1);
                more = missed.size() > limit;
                if (more)
                    missed.removeLast();
                for (const MessageRecord &message : std::as_const(missed)) {
                    if (budget <= 0) {
                        more = true; // the rest of this room with `history`, like the rooms after it
                        break;
                    }
                    const std::optional<UserRecord> sender = m_context.hub.directory().user(message.senderId);
                    if (!sender)
                        continue;
                    messages.append(wire::message(message, *sender));
                    // About what it takes encoded: the fields, the names, the text (as UTF-8, at most 3 bytes a character).
                    budget -= 220 + sender->username.size() + sender->displayName.size() * 3
                        + message.body.size() * 3 + message.clientId.size();
                }
            }
            entry.insert(u"messages"_s, messages);
            entry.insert(u"more"_s, more);
        }
        entries.append(entry);
    }
    return entries;
}

QJsonObject NatterSession::roomEntry(const RoomRecord &room, MembershipState state, qint64 lastSeq, int unread)
{
    QJsonObject entry{{u"room"_s, wire::room(room, lastSeq, m_context.hub.directory())},
                      {u"membership"_s, toString(state)},
                      {u"unread"_s, unread}};
    if (state == MembershipState::Invited)
        return entry;
    // Mine, and the least advanced of the other active members' (what my own
    // messages' status derives from); null when I am alone.
    const MarkRecord mine = m_context.hub.markOf(room.id, m_user.id);
    const std::optional<MarkRecord> others = m_context.hub.othersMark(room.id, m_user.id);
    entry.insert(u"marks"_s, QJsonObject{{u"mine"_s, wire::mark(mine)},
                                         {u"others"_s, others ? QJsonValue(wire::mark(*others)) : QJsonValue()}});
    return entry;
}

QJsonObject NatterSession::roomObject(const RoomRecord &room)
{
    const std::optional<MessageRecord> last = m_context.queries.lastMessage(room.id);
    return wire::room(room, last ? last->seq : 0, m_context.hub.directory());
}

void NatterSession::handleSend(const Request &request)
{
    const QJsonObject &frame = request.frame;
    const QJsonValue clientIdValue = frame.value(u"client_id"_s);
    QJsonObject echo;
    if (clientIdValue.isString())
        echo.insert(u"client_id"_s, clientIdValue);
    const std::optional<qint64> roomId = id(frame.value(u"room"_s));
    if (!roomId)
        return fail(request, u"bad_request"_s, u"Missing or invalid field: room"_s, echo);
    if (!clientIdValue.isString() || clientIdValue.toString().isEmpty() || clientIdValue.toString().size() > 128)
        return fail(request, u"bad_request"_s, u"Missing or invalid field: client_id"_s, echo);

    NewMessage message;
    message.roomId = *roomId;
    message.senderId = m_user.id;
    message.clientId = clientIdValue.toString();
    const QString kind = frame.value(u"kind"_s).toString(u"text"_s);
    if (kind == u"text") {
        const QJsonValue text = frame.value(u"text"_s);
        if (!text.isString() || text.toString().trimmed().isEmpty())
            return fail(request, u"bad_request"_s, u"Message cannot be empty"_s, echo);
        if (text.toString().size() > m_context.config.messageSizeLimit) {
            echo.insert(u"max"_s, m_context.config.messageSizeLimit);
            return fail(request, u"too_large"_s, u"Message too long"_s, echo);
        }
        message.kind = MessageKind::Text;
        message.body = text.toString();
    } else if (kind == u"stamp") {
        const std::optional<QString> stamp = nonBlank(frame.value(u"stamp"_s), 64);
        if (!stamp)
            return fail(request, u"bad_request"_s, u"Missing or invalid field: stamp"_s, echo);
        message.kind = MessageKind::Stamp;
        message.body = *stamp;
    } else if (kind == u"location") {
        const QJsonValue lat = frame.value(u"lat"_s);
        const QJsonValue lng = frame.value(u"lng"_s);
        if (!lat.isDouble() || !lng.isDouble() || std::abs(lat.toDouble()) > 90 || std::abs(lng.toDouble()) > 180)
            return fail(request, u"bad_request"_s, u"Missing or invalid field: lat, lng"_s, echo);
        message.kind = MessageKind::Location;
        message.latitude = lat.toDouble();
        message.longitude = lng.toDouble();
    } else {
        return fail(request, u"bad_request"_s, u"Unknown kind: "_s + kind, echo);
    }

    m_context.hub.postMessage(message, this, this, [this, request, echo, roomId = *roomId](const PostOutcome &outcome) {
        QJsonObject fields = echo;
        switch (outcome.result) {
        case PostOutcome::Result::Posted:
        case PostOutcome::Result::Duplicate: {
            if (outcome.message.roomId != roomId)
                return fail(request, u"conflict"_s, u"client_id was used in another room"_s, fields);
            const std::optional<UserRecord> sender = m_context.hub.directory().user(m_user.id);
            fields.insert(u"duplicate"_s, outcome.result == PostOutcome::Result::Duplicate);
            fields.insert(u"message"_s, wire::message(outcome.message, sender.value_or(m_user)));
            return ack(request, fields);
        }
        case PostOutcome::Result::NotMember:
            if (readableState(roomId))
                return fail(request, u"forbidden"_s, u"Not an active member of this room"_s, fields);
            return fail(request, u"not_found"_s, u"No such room"_s, fields);
        case PostOutcome::Result::Blocked:
            return fail(request, u"forbidden"_s, u"You have been blocked"_s, fields);
        case PostOutcome::Result::Invalid:
            return fail(request, u"bad_request"_s, outcome.error, fields);
        case PostOutcome::Result::RateLimited:
            fields.insert(u"retry_after_ms"_s, qint64(outcome.retryAfter.count()));
            return fail(request, u"rate_limited"_s, outcome.error, fields);
        case PostOutcome::Result::Failed:
            break;
        }
        fail(request, u"unavailable"_s, u"The message could not be stored: send it again"_s, fields);
    });
}

void NatterSession::handleMark(const Request &request)
{
    const std::optional<qint64> roomId = id(request.frame.value(u"room"_s));
    const std::optional<qint64> seq = id(request.frame.value(u"seq"_s));
    const QString statusName = request.frame.value(u"status"_s).toString();
    if (!roomId || !seq || (statusName != u"delivered" && statusName != u"read"))
        return fail(request, u"bad_request"_s, u"mark needs room, seq and status (delivered or read)"_s);
    if (readableState(*roomId) != MembershipState::Active)
        return fail(request, u"not_found"_s, u"No such room"_s);
    const DeliveryStatus status = statusName == u"read" ? DeliveryStatus::Read : DeliveryStatus::Delivered;
    // A mark is "everything up to seq": the newest message of someone else at
    // or below it carries the receipt (nobody receipts their own).
    for (const MessageRecord &message : m_context.queries.messagesBefore(*roomId, *seq + 1, historyMax)) {
        if (message.senderId == m_user.id)
            continue;
        const ReceiptOutcome outcome = m_context.hub.updateReceipt(m_user.id, message.id, status, *roomId);
        if (outcome == ReceiptOutcome::Failed)
            return fail(request, u"unavailable"_s, u"The mark could not be stored"_s);
        if (outcome == ReceiptOutcome::NotFound)
            break; // before this member joined: nothing earlier is theirs either
        return ack(request, {{u"room"_s, *roomId}, {u"seq"_s, message.seq},
                             {u"changed"_s, outcome == ReceiptOutcome::Updated}});
    }
    ack(request, {{u"room"_s, *roomId}, {u"changed"_s, false}});
}

void NatterSession::handleTyping(const QJsonObject &frame)
{
    const std::optional<qint64> roomId = id(frame.value(u"room"_s));
    const QJsonValue on = frame.value(u"on"_s);
    Request request{{}, u"typing"_s, frame};
    if (!roomId || !on.isBool())
        return fail(request, u"bad_request"_s, u"typing needs room and on"_s);
    if (readableState(*roomId) != MembershipState::Active)
        return fail(request, u"not_found"_s, u"No such room"_s);
    m_context.hub.setTyping(m_user.id, *roomId, on.toBool());
}

void NatterSession::handleHistory(const Request &request)
{
    const QJsonObject &frame = request.frame;
    const std::optional<qint64> roomId = id(frame.value(u"room"_s));
    if (!roomId)
        return fail(request, u"bad_request"_s, u"Missing or invalid field: room"_s);
    const auto optionalSeq = [&frame](const char *name, bool *ok) -> qint64 {
        const QJsonValue value = frame.value(QLatin1StringView(name));
        if (value.isUndefined() || value.isNull())
            return 0;
        const std::optional<qint64> seq = integer(value, 0, std::numeric_limits<qint64>::max() / 2);
        *ok = *ok && seq.has_value();
        return seq.value_or(0);
    };
    bool ok = true;
    const qint64 before = optionalSeq("before", &ok);
    const qint64 after = optionalSeq("after", &ok);
    qint64 limit = 50;
    if (const QJsonValue value = frame.value(u"limit"_s); !value.isUndefined()) {
        const std::optional<qint64> given = integer(value, 1, historyMax);
        ok = ok && given.has_value();
        limit = given.value_or(limit);
    }
    if (!ok)
        return fail(request, u"bad_request"_s, u"before, after and limit must be whole numbers (limit 1-100)"_s);
    if (!readableState(*roomId))
        return fail(request, u"not_found"_s, u"No such room"_s);

    QList<MessageRecord> found;
    bool more = false;
    if (frame.contains(u"after"_s)) {
        // Forward from `after` (catching up): oldest first.
        found = m_context.queries.messagesAfter(*roomId, after, int(limit) + 1);
        if (before > 0)
            found.removeIf([before](const MessageRecord &message) { return message.seq >= before; });
        more = found.size() > limit;
        if (more)
            found.resize(limit);
    } else {
        // Back from `before` (scrolling up): the newest `limit`, then in ascending order.
        found = m_context.queries.messagesBefore(*roomId, before, int(limit) + 1);
        more = found.size() > limit;
        if (more)
            found.resize(limit);
        std::reverse(found.begin(), found.end());
    }
    QJsonArray messages;
    for (const MessageRecord &message : std::as_const(found)) {
        if (const std::optional<UserRecord> sender = m_context.hub.directory().user(message.senderId))
            messages.append(wire::message(message, *sender));
    }
    ack(request, {{u"room"_s, *roomId}, {u"messages"_s, messages}, {u"more"_s, more}});
}

void NatterSession::handleRooms(const Request &request)
{
    ack(request, {{u"rooms"_s, roomEntries(nullptr, 0, nullptr)}});
}

void NatterSession::handleDirect(const Request &request)
{
    const std::optional<qint64> other = id(request.frame.value(u"user"_s));
    if (!other)
        return fail(request, u"bad_request"_s, u"Missing or invalid field: user"_s);
    if (*other == m_user.id)
        return fail(request, u"bad_request"_s, u"A direct room needs someone else"_s);
    const auto opened = m_context.hub.openDirectRoom(m_user.id, *other);
    if (!opened) {
        if (opened.error() == StoreError::NotFound)
            return fail(request, u"not_found"_s, u"No such user"_s);
        return fail(request, u"unavailable"_s, u"The room could not be opened"_s);
    }
    ack(request, {{u"room"_s, roomObject(opened->room)}, {u"created"_s, opened->created}});
}

void NatterSession::handleGroup(const Request &request)
{
    const QString name = request.frame.value(u"name"_s).toString().trimmed();
    const QJsonValue membersValue = request.frame.value(u"members"_s);
    if (name.isEmpty() || name.size() > 100)
        return fail(request, u"bad_request"_s, u"A group needs a name of 1-100 characters"_s);
    if (!membersValue.isUndefined() && (!membersValue.isArray() || membersValue.toArray().size() > groupMembersMax))
        return fail(request, u"bad_request"_s, u"members must be a list of at most 50 user ids"_s);
    QList<qint64> members;
    for (const QJsonValue &member : membersValue.toArray()) {
        const std::optional<qint64> memberId = id(member);
        if (!memberId)
            return fail(request, u"bad_request"_s, u"members must be user ids"_s);
        members.append(*memberId);
    }
    const auto group = m_context.hub.createGroup(name, m_user.id);
    if (!group)
        return fail(request, u"unavailable"_s, u"The group could not be created"_s);
    QJsonArray invited;
    QJsonArray failed;
    for (qint64 member : std::as_const(members)) {
        const MembershipOutcome outcome = m_context.hub.inviteToGroup(m_user.id, group->id, member);
        if (outcome == MembershipOutcome::Done)
            invited.append(member);
        else
            failed.append(QJsonObject{{u"user"_s, member}, {u"code"_s, outcomeCode(outcome)}});
    }
    ack(request, {{u"room"_s, roomObject(*group)}, {u"invited"_s, invited}, {u"failed"_s, failed}});
}

void NatterSession::handleInvite(const Request &request)
{
    const std::optional<qint64> roomId = id(request.frame.value(u"room"_s));
    const std::optional<qint64> userId = id(request.frame.value(u"user"_s));
    if (!roomId || !userId)
        return fail(request, u"bad_request"_s, u"invite needs room and user"_s);
    const MembershipOutcome outcome = m_context.hub.inviteToGroup(m_user.id, *roomId, *userId);
    if (outcome != MembershipOutcome::Done) {
        const QString why = outcome == MembershipOutcome::NotFound ? u"Group or user not found"_s
            : outcome == MembershipOutcome::Forbidden               ? u"Nobody can be invited to this group"_s
            : outcome == MembershipOutcome::Conflict                ? u"The user is already a member or invited"_s
                                                                    : u"The invitation could not be stored"_s;
        return fail(request, outcomeCode(outcome), why);
    }
    const std::optional<RoomRecord> room = m_context.hub.directory().room(*roomId);
    ack(request, {{u"room"_s, room ? QJsonValue(roomObject(*room)) : QJsonValue()},
                  {u"user"_s, *userId},
                  {u"membership"_s, u"invited"_s}});
}

void NatterSession::handleAnswer(const Request &request)
{
    const std::optional<qint64> roomId = id(request.frame.value(u"room"_s));
    const QJsonValue accept = request.frame.value(u"accept"_s);
    if (!roomId || !accept.isBool())
        return fail(request, u"bad_request"_s, u"answer_invitation needs room and accept"_s);
    const MembershipOutcome outcome = m_context.hub.answerInvitation(m_user.id, *roomId, accept.toBool());
    if (outcome != MembershipOutcome::Done)
        return fail(request, outcomeCode(outcome), outcome == MembershipOutcome::Failed
                                                        ? u"The answer could not be stored"_s
                                                        : u"No invitation to this group"_s);
    const std::optional<RoomRecord> room = m_context.hub.directory().room(*roomId);
    ack(request, {{u"room"_s, room ? QJsonValue(roomObject(*room)) : QJsonValue()},
                  {u"membership"_s, accept.toBool() ? QJsonValue(u"active"_s) : QJsonValue()}});
}

void NatterSession::handleThread(const Request &request)
{
    const std::optional<qint64> roomId = id(request.frame.value(u"room"_s));
    const QString action = request.frame.value(u"action"_s).toString();
    if (!roomId || (action != u"approve" && action != u"block"))
        return fail(request, u"bad_request"_s, u"thread needs room and action (approve or block)"_s);
    const MembershipState state = action == u"approve" ? MembershipState::Active : MembershipState::Blocked;
    const MembershipOutcome outcome = m_context.hub.setThreadState(m_user.id, *roomId, state);
    if (outcome != MembershipOutcome::Done)
        return fail(request, outcomeCode(outcome), outcome == MembershipOutcome::Failed
                                                        ? u"The answer could not be stored"_s
                                                        : u"No such conversation"_s);
    const std::optional<RoomRecord> room = m_context.hub.directory().room(*roomId);
    ack(request, {{u"room"_s, room ? QJsonValue(roomObject(*room)) : QJsonValue()},
                  {u"membership"_s, toString(state)}});
}

void NatterSession::handlePeople(const Request &request)
{
    const QJsonValue query = request.frame.value(u"query"_s);
    qint64 limit = 20;
    if (const QJsonValue value = request.frame.value(u"limit"_s); !value.isUndefined()) {
        const std::optional<qint64> given = integer(value, 1, 100);
        if (!given)
            return fail(request, u"bad_request"_s, u"limit must be 1-100"_s);
        limit = *given;
    }
    if (!query.isUndefined() && !query.isString())
        return fail(request, u"bad_request"_s, u"query must be text"_s);
    const auto found = m_context.queries.searchUsers(query.toString(), m_user.id, int(limit));
    if (!found)
        return fail(request, u"unavailable"_s, u"The directory could not be read"_s);
    QJsonArray people;
    for (const UserRecord &user : *found)
        people.append(json::person(user, m_context.hub.isOnline(user.id)));
    ack(request, {{u"query"_s, query.toString()}, {u"people"_s, people}});
}

// ---- frames out ------------------------------------------------------------------

void NatterSession::ack(const Request &request, QJsonObject fields)
{
    fields.insert(u"type"_s, u"ack"_s);
    fields.insert(u"id"_s, request.id);
    send(wire::frame(fields));
}

void NatterSession::fail(const Request &request, const QString &code, const QString &message, QJsonObject fields)
{
    fields.insert(u"type"_s, u"error"_s);
    if (!request.id.isEmpty())
        fields.insert(u"id"_s, request.id);
    if (!request.type.isEmpty())
        fields.insert(u"request"_s, request.type);
    fields.insert(u"code"_s, code);
    fields.insert(u"message"_s, message);
    send(wire::frame(fields));
}

void NatterSession::failAndClose(const QString &code, const QString &message, quint16 closeCode,
                                 const QString &reason, QJsonObject fields)
{
    if (!code.isEmpty())
        fail({}, code, message, std::move(fields));
    onClosed();
    m_socket.close(closeCode, reason);
}

void NatterSession::sendPing()
{
    send(wire::frame({{u"type"_s, u"ping"_s}, {u"n"_s, ++m_pingsSent}}));
    m_pingDue.start(m_context.timers, m_context.config.heartbeatInterval);
}

void NatterSession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    if (!m_helloDone || event.origin == this)
        return; // the sending connection has its ack
    send(frames.frame(wire::dialectName, [&event] { return wire::frame(wire::messageFrame(event, false)); }));
}

void NatterSession::deliverMessageRequest(const MessageEvent &event, FrameCache &frames)
{
    if (!m_helloDone)
        return;
    send(frames.frame(QLatin1StringView("natter-request"),
                      [&event] { return wire::frame(wire::messageFrame(event, true)); }));
}

void NatterSession::deliverStatus(const StatusEvent &event, FrameCache &frames)
{
    if (!m_helloDone)
        return;
    if (event.authorId != m_user.id) // the reader's own devices
        return send(frames.frame(wire::dialectName, [&event] { return wire::frame(wire::markFrame(event)); }));
    // The author: with the least advanced mark of the others, as it is for them.
    QJsonObject frame = wire::markFrame(event);
    if (const std::optional<MarkRecord> others = m_context.hub.othersMark(event.roomId, m_user.id))
        frame.insert(u"others"_s, wire::mark(*others));
    send(wire::frame(frame));
}

void NatterSession::deliverTyping(const TypingEvent &event, FrameCache &frames)
{
    if (m_helloDone && event.user.id != m_user.id)
        send(frames.frame(wire::dialectName, [&event] { return wire::frame(wire::typingFrame(event)); }));
}

void NatterSession::deliverPresence(const PresenceEvent &event, FrameCache &frames)
{
    if (m_helloDone && event.user.id != m_user.id) {
        send(frames.frame(wire::dialectName,
                          [&event] { return wire::frame(wire::presenceFrame(event, event.online)); }));
    }
}

void NatterSession::deliverNotification(const NotificationEvent &event, FrameCache &frames)
{
    if (!m_helloDone)
        return;
    send(frames.frame(wire::dialectName, [&event] {
        return wire::frame({{u"type"_s, u"notification"_s},
                            {u"notification"_s, wire::notification(event.notification)}});
    }));
}

void NatterSession::deliverBroadcast(const BroadcastEvent &event, FrameCache &frames)
{
    if (m_helloDone)
        send(frames.frame(wire::dialectName, [&event] { return wire::frame(wire::broadcastFrame(event)); }));
}

void NatterSession::deliverRoomEvent(const RoomEvent &event, FrameCache &)
{
    if (!m_helloDone)
        return;
    // Per recipient: the recipient's own membership comes along.
    const auto mine = m_context.hub.directory().membership(event.room.id, m_user.id);
    send(wire::frame({{u"type"_s, u"room"_s},
                      {u"change"_s, event.change == RoomEvent::Change::Created ? u"created"_s : u"membership"_s},
                      {u"room"_s, roomObject(event.room)},
                      {u"user"_s, event.userId},
                      {u"membership"_s, event.state ? QJsonValue(toString(*event.state)) : QJsonValue()},
                      {u"mine"_s, mine ? QJsonValue(toString(mine->state)) : QJsonValue()},
                      {u"at"_s, http::timestamp(event.at)}}));
}

} // namespace natter::server
