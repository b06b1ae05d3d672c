#include "roomsrestapi.h"

#include "authenticator.h"
#include "httputil.h"
#include "roomsendpoint.h"
#include "roomsformat.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "storequeries.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QUrlQuery>
#include <algorithm>

namespace natter::server {
namespace {

using Method = QHttpServerRequest::Method;

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

QHttpServerResponse unauthorized()
{
    return http::error(http::Status::Unauthorized, str("Authentication credentials were not provided or are invalid."));
}

QHttpServerResponse notFound()
{
    return QHttpServerResponse(QJsonObject{{str("detail"), str("Not found.")}},
                               http::Status::NotFound);
}

// ?page=N (1-based), as Django REST framework pages: a page past the end is 404.
struct Page
{
    int number = 1;
    bool valid = true;
};

Page requestedPage(const QHttpServerRequest &request)
{
    const QString text = QUrlQuery(request.url()).queryItemValue(str("page"));
    if (text.isEmpty())
        return {};
    bool ok = false;
    const int number = text.toInt(&ok);
    return ok && number >= 1 ? Page{number, true} : Page{1, false};
}

QJsonValue pageUrl(const QHttpServerRequest &request, int page, int pageCount)
{
    if (page < 1 || page > pageCount)
        return QJsonValue::Null;
    return QString(http::origin(request) + request.url().path() + str("?page=")
                   + QString::number(page));
}

// {count, next, previous, results} for one page of `count` items.
QJsonObject paginated(const QHttpServerRequest &request, int count, int page,
                      const QJsonArray &results)
{
    const int pageCount = std::max(1, (count + RoomsRestApi::pageSize - 1) / RoomsRestApi::pageSize);
    return {{str("count"), count},
            {str("next"), pageUrl(request, page + 1, pageCount)},
            {str("previous"), pageUrl(request, page - 1, pageCount)},
            {str("results"), results}};
}

QDateTime startOfTodayUtc()
{
    return QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), Qt::UTC);
}

} // namespace

RoomsRestApi::RoomsRestApi(ServerContext &context, RoomsEndpoint &endpoint, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_endpoint(endpoint)
{
}

void RoomsRestApi::registerRoutes(QHttpServer &server)
{
    server.route(str("/api/v1.0/chat/rooms/"), Method::Get,
                 [this](const QHttpServerRequest &request) { return listRooms(request); });
    server.route(str("/api/v1.0/chat/rooms/"), Method::Post,
                 [this](const QHttpServerRequest &request) { return openDirectRoom(request); });
    server.route(str("/api/v1.0/chat/rooms/<arg>/"), Method::Get,
                 [this](qint64 roomId, const QHttpServerRequest &request) {
                     return roomDetails(roomId, request);
                 });
    server.route(str("/api/v1.0/chat/rooms/<arg>/messages/"), Method::Get,
                 [this](qint64 roomId, const QHttpServerRequest &request) {
                     return roomMessages(roomId, request);
                 });
    server.route(str("/api/v1.0/chat/rooms/<arg>/health/"), Method::Get,
                 [this](qint64 roomId, const QHttpServerRequest &request) {
                     return roomHealth(roomId, request);
                 });
    server.route(str("/api/v1.0/chat/messages/"), Method::Post,
                 [this](const QHttpServerRequest &request) { return sendMessage(request); });
    server.route(str("/api/v1.0/chat/stats/"), Method::Get,
                 [this](const QHttpServerRequest &request) { return stats(request); });
    server.route(str("/api/v1.0/chat/health-check/"), Method::Post,
                 [this](const QHttpServerRequest &request) { return broadcastHealth(request); });
}

std::optional<RoomRecord> RoomsRestApi::visibleRoom(qint64 roomId, qint64 userId)
{
    const auto membership = m_context.queries.membership(roomId, userId);
    if (!membership || membership->state != MembershipState::Active)
        return std::nullopt;
    return m_context.queries.roomById(roomId);
}

QJsonObject RoomsRestApi::userObject(const UserRecord &user)
{
    return rooms::user(user, m_context.hub.isOnline(user.id));
}

QJsonObject RoomsRestApi::messageObject(const MessageRecord &message, qint64 viewerId)
{
    const UserRecord sender = m_context.hub.directory().user(message.senderId).value_or(UserRecord{});
    return rooms::message(message, sender, m_context.hub.isOnline(sender.id),
                          m_context.hub.statusFor(message, viewerId));
}

QJsonObject RoomsRestApi::roomObject(const RoomRecord &room, qint64 viewerId)
{
    return roomObject(room, viewerId,
                      {m_context.queries.lastMessage(room.id), m_context.queries.unreadCount(room.id, viewerId)});
}

QJsonObject RoomsRestApi::roomObject(const RoomRecord &room, qint64 viewerId, const RoomFacts &facts)
{
    QJsonObject object{{str("id"), room.id},
                       {str("uuid"), room.uuid.toString(QUuid::WithoutBraces)},
                       {str("kind"), toString(room.kind)},
                       {str("name"), room.name},
                       {str("match"), QJsonValue::Null},
                       {str("created_at"), http::timestamp(room.createdAt)}};

    QJsonValue participant1 = QJsonValue::Null;
    QJsonValue participant2 = QJsonValue::Null;
    QJsonValue other = QJsonValue::Null;
    const QList<MembershipRecord> members = m_context.hub.directory().members(room.id);
    if (room.kind == RoomKind::Direct) {
        QList<UserRecord> people;
        for (const MembershipRecord &member : members) {
            if (auto user = m_context.hub.directory().user(member.userId))
                people.append(*user);
        }
        std::sort(people.begin(), people.end(),
                  [](const UserRecord &a, const UserRecord &b) { return a.id < b.id; });
        if (people.size() > 0)
            participant1 = userObject(people.at(0));
        if (people.size() > 1)
            participant2 = userObject(people.at(1));
        for (const UserRecord &person : std::as_const(people)) {
            if (person.id != viewerId)
                other = userObject(person);
        }
    }
    object.insert(str("participant1"), participant1);
    object.insert(str("participant2"), participant2);
    object.insert(str("other_participant"), other);
    object.insert(str("members_count"), static_cast<qint64>(members.size()));

    QJsonValue last = QJsonValue::Null;
    if (facts.lastMessage)
        last = rooms::lastMessage(*facts.lastMessage, m_context.hub.statusFor(*facts.lastMessage, viewerId).status);
    object.insert(str("last_message"), last);
    object.insert(str("unread_count"), facts.unread);

    QJsonArray typing;
    for (qint64 userId : m_context.hub.typingUsers(room.id)) {
        if (auto user = m_context.queries.userById(userId))
            typing.append(rooms::typingUser(*user));
    }
    object.insert(str("typing_users"), typing);
    return object;
}

QHttpServerResponse RoomsRestApi::listRooms(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const Page page = requestedPage(request);
    if (!page.valid)
        return QHttpServerResponse(QJsonObject{{str("detail"), str("Invalid page.")}}, http::Status::NotFound);

    // Most recent activity first: the last message, or the room's creation.
    // One query each for the rooms, their newest messages and the unread counts.
    struct Entry { RoomRecord room; QDateTime activity; RoomFacts facts; };
    const QList<RoomRecord> rooms = m_context.queries.roomsOfUser(caller->user.id);
    QList<qint64> roomIds;
    for (const RoomRecord &room : rooms)
        roomIds.append(room.id);
    const QHash<qint64, MessageRecord> newest = m_context.queries.lastMessages(roomIds);
    const QHash<qint64, int> unread = m_context.queries.unreadCounts(caller->user.id);
    QList<Entry> entries;
    for (const RoomRecord &room : rooms) {
        const auto last = newest.constFind(room.id);
        RoomFacts facts{last == newest.cend() ? std::nullopt : std::optional<MessageRecord>(*last),
                        unread.value(room.id)};
        entries.append({room, facts.lastMessage ? facts.lastMessage->createdAt : room.createdAt, facts});
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return a.activity > b.activity;
    });

    const int count = static_cast<int>(entries.size());
    const int first = (page.number - 1) * pageSize;
    if (first > 0 && first >= count)
        return QHttpServerResponse(QJsonObject{{str("detail"), str("Invalid page.")}}, http::Status::NotFound);
    QJsonArray results;
    for (int i = first; i < std::min(count, first + pageSize); ++i)
        results.append(roomObject(entries.at(i).room, caller->user.id, entries.at(i).facts));
    return http::json(paginated(request, count, page.number, results));
}

QHttpServerResponse RoomsRestApi::openDirectRoom(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    QString problem;
    const auto body = http::jsonBody(request, &problem);
    if (!body)
        return http::error(http::Status::BadRequest, problem);
    const std::optional<qint64> participantId = http::positiveId(body->value(str("participant")));
    if (!participantId)
        return http::error(http::Status::BadRequest, str("participant (a user id) is required"));
    if (*participantId == caller->user.id)
        return http::error(http::Status::BadRequest, str("A direct room needs another participant"));
    if (!m_context.queries.userById(*participantId))
        return http::error(http::Status::NotFound, str("No such user"));

    const auto direct = m_context.hub.openDirectRoom(caller->user.id, *participantId);
    if (!direct)
        return http::error(http::Status::InternalServerError, str("Could not create the room"));
    return http::json(roomObject(direct->room, caller->user.id),
                      direct->created ? http::Status::Created : http::Status::Ok);
}

QHttpServerResponse RoomsRestApi::roomDetails(qint64 roomId, const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const auto room = visibleRoom(roomId, caller->user.id);
    if (!room)
        return notFound();
    return http::json(roomObject(*room, caller->user.id));
}

QHttpServerResponse RoomsRestApi::roomMessages(qint64 roomId, const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    if (!visibleRoom(roomId, caller->user.id))
        return notFound();
    const Page page = requestedPage(request);
    const int count = m_context.queries.messageCount(roomId);
    const int first = (page.number - 1) * pageSize;
    if (!page.valid || (first > 0 && first >= count))
        return QHttpServerResponse(QJsonObject{{str("detail"), str("Invalid page.")}}, http::Status::NotFound);
    QJsonArray results;
    for (const MessageRecord &message : m_context.queries.messages(roomId, pageSize, first))
        results.append(messageObject(message, caller->user.id));
    return http::json(paginated(request, count, page.number, results));
}

QHttpServerResponse RoomsRestApi::sendMessage(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    QString problem;
    const auto body = http::jsonBody(request, &problem);
    if (!body)
        return http::error(http::Status::BadRequest, problem);
    const std::optional<qint64> roomId = http::positiveId(body->value(str("room")));
    const QJsonValue content = body->value(str("content"));
    if (!roomId || !content.isString())
        return http::error(http::Status::BadRequest, str("room and content are required"));
    const int limit = m_context.config.messageSizeLimit;
    if (content.toString().size() > limit)
        return http::error(http::Status::BadRequest,
                           str("Message too long (max %1 characters)").arg(limit));
    if (!visibleRoom(*roomId, caller->user.id))
        return notFound();

    NewMessage message;
    message.roomId = *roomId;
    message.senderId = caller->user.id;
    message.body = content.toString();
    message.clientId = body->value(str("temp_id")).toString();
    const PostOutcome outcome = m_context.hub.postMessageNow(message);
    switch (outcome.result) {
    case PostOutcome::Result::Posted:
        return http::json(messageObject(outcome.message, caller->user.id), http::Status::Created);
    case PostOutcome::Result::Duplicate:
        return http::json(messageObject(outcome.message, caller->user.id), http::Status::Ok);
    case PostOutcome::Result::Invalid:
        return http::error(http::Status::BadRequest, outcome.error);
    case PostOutcome::Result::NotMember:
        return notFound();
    case PostOutcome::Result::Blocked:
        return http::error(http::Status::Forbidden, outcome.error);
    case PostOutcome::Result::RateLimited:
        return http::tooManyRequests(outcome.error, outcome.retryAfter);
    case PostOutcome::Result::Failed:
        break;
    }
    return http::error(http::Status::InternalServerError, str("Message sending failed"));
}

QHttpServerResponse RoomsRestApi::stats(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const qint64 userId = caller->user.id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const ServerConfig &config = m_context.config;
    return http::json(
        {{str("user_id"), userId},
         {str("total_rooms"), static_cast<qint64>(m_context.queries.roomsOfUser(userId).size())},
         {str("active_rooms_today"), m_context.queries.activeRoomCountSince(userId, startOfTodayUtc())},
         {str("recent_messages_24h"), m_context.queries.messageCountSince(userId, now.addDays(-1))},
         {str("channel_layer_status"), str("available")},
         {str("timestamp"), http::timestamp(now)},
         {str("connection_settings"),
          QJsonObject{{str("heartbeat_interval"), rooms::seconds(config.heartbeatInterval)},
                      {str("connection_timeout"), rooms::seconds(config.connectionTimeout)},
                      {str("ping_timeout"), rooms::seconds(config.pingTimeout)},
                      {str("max_reconnect_attempts"), config.maxReconnectAttempts}}}});
}

QHttpServerResponse RoomsRestApi::roomHealth(qint64 roomId, const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    if (!visibleRoom(roomId, caller->user.id))
        return notFound();
    m_endpoint.sendHealthChecks(roomId);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    return http::json({{str("room_id"), roomId},
                       {str("group_name"), str("chat_%1").arg(roomId)},
                       {str("health_check_sent"), true},
                       {str("recent_messages_count"),
                        m_context.queries.messageCountInRoomSince(roomId, now.addDays(-1))},
                       {str("timestamp"), http::timestamp(now)}});
}

QHttpServerResponse RoomsRestApi::broadcastHealth(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    const QList<RoomRecord> rooms = m_context.queries.roomsOfUser(caller->user.id);
    int sent = 0;
    for (const RoomRecord &room : rooms) {
        // A room counts when at least one of its connections was asked.
        if (m_endpoint.sendHealthChecks(room.id) > 0)
            ++sent;
    }
    return http::json({{str("health_checks_sent"), sent},
                       {str("total_rooms"), static_cast<qint64>(rooms.size())},
                       {str("timestamp"), http::timestamp(QDateTime::currentDateTimeUtc())}});
}

} // namespace natter::server
