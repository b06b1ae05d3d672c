#include "wirevalues.h"
#include "natterrest.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace natter::client::natterrest {
namespace {
QString str(const char *text) { return QString::fromLatin1(text); }
} // namespace

QString roomsPath()
{
    return str("/api/v1.0/chat/rooms/");
}

QString messagesPath(qint64 roomId)
{
    return QStringLiteral("/api/v1.0/chat/rooms/%1/messages/").arg(roomId);
}

std::optional<Page> parsePage(int status, const QByteArray &body)
{
    if (status != 200)
        return std::nullopt;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue results = document.object().value(str("results"));
    if (!document.isObject() || !results.isArray())
        return std::nullopt;
    Page page;
    for (const QJsonValue &value : results.toArray())
        page.results.append(value.toObject());
    const QString next = document.object().value(str("next")).toString();
    if (!next.isEmpty())
        page.next = QUrl(next);
    return page;
}

void fetchRooms(const Get &get, std::function<void(const QList<RoomSummary> &, bool)> done)
{
    auto rooms = std::make_shared<QList<RoomSummary>>();
    // The request in flight owns the walk (its handler holds `fetch`); `fetch`
    // knows itself only weakly. A walk whose reply never comes (the backend
    // went first) is then freed with that reply: holding itself strongly, it
    // leaked (LeakSanitizer, tst_dialectmatrix and tst_hosting).
    using Fetch = std::function<void(const QString &, const QUrlQuery &)>;
    auto fetch = std::make_shared<Fetch>();
    *fetch = [get, rooms, self = std::weak_ptr<Fetch>(fetch), done](const QString &path, const QUrlQuery &query) {
        get(path, query, [rooms, fetch = self.lock(), done](int status, const QByteArray &body) {
            const std::optional<Page> page = parsePage(status, body);
            if (!page)
                return done(*rooms, false);
            for (const QJsonObject &object : page->results)
                rooms->append(room(object));
            if (page->next.isEmpty())
                return done(*rooms, true);
            (*fetch)(page->next.path(), QUrlQuery(page->next));
        });
    };
    (*fetch)(roomsPath(), {});
}

void fetchHistory(const Get &get, qint64 roomId, const QString &beforeId, int limit,
                  std::function<void(const QList<ChatMessage> &, bool, bool)> done)
{
    // Pages are newest first; walk them until `limit` older messages are in hand.
    auto older = std::make_shared<QList<ChatMessage>>();
    // Owned by the request in flight, as in fetchRooms.
    auto fetch = std::make_shared<std::function<void(int)>>();
    const bool everything = beforeId.isEmpty();
    const qint64 before = beforeId.toLongLong();
    *fetch = [get, roomId, older, self = std::weak_ptr<std::function<void(int)>>(fetch), done, everything, before,
              limit](int pageNumber) {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("page"), QString::number(pageNumber));
        get(messagesPath(roomId), query,
            [older, fetch = self.lock(), done, everything, before, limit, pageNumber](int status, const QByteArray &body) {
            const std::optional<Page> page = parsePage(status, body);
            if (!page) {
                // Past the last page is a 404: everything is in hand. Anything else on page 1 fails.
                const bool pastEnd = status == 404 && pageNumber > 1;
                return done(*older, pastEnd, pastEnd);
            }
            for (const QJsonObject &object : page->results) {
                ChatMessage item = message(object);
                if (everything || item.id.toLongLong() < before)
                    older->append(item);
            }
            if (older->size() >= limit || page->next.isEmpty()) {
                const bool complete = page->next.isEmpty() && older->size() <= limit;
                return done(older->mid(0, limit), complete, true);
            }
            (*fetch)(pageNumber + 1);
        });
    };
    (*fetch)(1);
}

RoomSummary room(const QJsonObject &object)
{
    RoomSummary room;
    room.id = object.value(str("id")).toInteger();
    room.uuid = object.value(str("uuid")).toString();
    const QJsonObject other = object.value(str("other_participant")).toObject();
    const bool direct = !other.isEmpty() || object.value(str("kind")).toString() == u"direct";
    room.kind = direct ? RoomKind::Direct : RoomKind::Group;
    if (!other.isEmpty()) {
        room.other = {idString(other.value(str("id"))), other.value(str("username")).toString(),
                      other.value(str("display_name")).toString(), other.value(str("is_online")).toBool(),
                      parseWireTime(other.value(str("last_seen")))};
        if (room.other.displayName.isEmpty())
            room.other.displayName = room.other.username;
    }
    room.name = direct && !room.other.displayName.isEmpty() ? room.other.displayName
                                                            : object.value(str("name")).toString();
    if (room.name.isEmpty())
        room.name = QStringLiteral("Room %1").arg(room.id);
    room.unreadCount = object.value(str("unread_count")).toInt();
    const QJsonObject last = object.value(str("last_message")).toObject();
    if (!last.isEmpty()) {
        ChatMessage message;
        message.id = idString(last.value(str("id")));
        message.text = last.value(str("content")).toString();
        message.sender.id = idString(last.value(str("sender_id")));
        message.createdAt = parseWireTime(last.value(str("created_at")));
        message.status = deliveryStatusFromString(last.value(str("status")).toString()).value_or(DeliveryStatus::Sent);
        room.lastMessage = message;
        room.lastActivity = message.createdAt;
    } else {
        room.lastActivity = parseWireTime(object.value(str("created_at")));
    }
    return room;
}

ChatMessage message(const QJsonObject &object)
{
    ChatMessage message;
    message.id = idString(object.value(str("id")));
    message.clientId = object.value(str("temp_id")).toString();
    const QJsonObject sender = object.value(str("sender")).toObject();
    message.sender = {idString(sender.value(str("id"))), sender.value(str("username")).toString(),
                      sender.value(str("display_name")).toString(), sender.value(str("is_online")).toBool(),
                      parseWireTime(sender.value(str("last_seen")))};
    if (message.sender.displayName.isEmpty())
        message.sender.displayName = message.sender.username;
    message.kind = messageKindFromString(object.value(str("kind")).toString()).value_or(MessageKind::Text);
    message.text = object.value(str("content")).toString();
    message.stampId = idString(object.value(str("stamp_id")));
    message.latitude = object.value(str("latitude")).toDouble();
    message.longitude = object.value(str("longitude")).toDouble();
    message.createdAt = parseWireTime(object.value(str("created_at")));
    message.status = deliveryStatusFromString(object.value(str("status")).toString()).value_or(DeliveryStatus::Sent);
    return message;
}

QJsonObject jwtClaims(const QString &token)
{
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return {};
    const auto decoded = QByteArray::fromBase64Encoding(
        parts.at(1), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (!decoded)
        return {};
    return QJsonDocument::fromJson(*decoded).object();
}

} // namespace natter::client::natterrest
