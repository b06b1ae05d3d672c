#include "natteractions.h"

#include "cable/natterrest.h"
#include "wirevalues.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

// Natter answers these routes; a 404/405 without its JSON means another server.
QString failure(int status, const QByteArray &body)
{
    if ((status == 404 || status == 405) && QJsonDocument::fromJson(body).isNull())
        return str("This server has no such feature (HTTP %1)").arg(status);
    return httpErrorText(status, body);
}

bool succeeded(int status) { return status >= 200 && status < 300; }

} // namespace

NatterActions::NatterActions(PersonKey personKey, Get get, Post post)
    : m_personKey(personKey)
    , m_get(std::move(get))
    , m_post(std::move(post))
{
}

Person NatterActions::personFromJson(const QJsonObject &object, PersonKey personKey)
{
    Person person;
    person.natterId = object.value(str("id")).toInteger();
    person.username = object.value(str("username")).toString();
    person.displayName = object.value(str("display_name")).toString();
    if (person.displayName.isEmpty())
        person.displayName = person.username;
    person.online = object.value(str("online")).toBool();
    person.lastSeen = parseWireTime(object.value(str("last_seen")));
    switch (personKey) {
    case PersonKey::NatterId:
        person.id = QString::number(person.natterId);
        break;
    case PersonKey::Username:
        person.id = person.username;
        break;
    case PersonKey::Uuid:
        person.id = object.value(str("uuid")).toString();
        break;
    }
    return person;
}

void NatterActions::searchPeople(const QString &query, PeopleHandler done)
{
    QUrlQuery parameters;
    parameters.addQueryItem(str("search"), QString::fromUtf8(QUrl::toPercentEncoding(query)));
    m_get(str("/api/users"), parameters, [personKey = m_personKey, done = std::move(done)](int status,
                                                                                         const QByteArray &body) {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        if (status != 200 || !document.isArray())
            return done(false, failure(status, body), {});
        QList<Person> people;
        for (const QJsonValue &value : document.array())
            people.append(personFromJson(value.toObject(), personKey));
        done(true, {}, people);
    });
}

void NatterActions::resolveUserId(const Person &person, UserIdHandler done)
{
    if (person.natterId > 0)
        return done(person.natterId, {});
    bool numeric = false;
    const qint64 id = person.id.toLongLong(&numeric);
    if (m_personKey == PersonKey::NatterId && numeric && id > 0)
        return done(id, {});
    const QString wanted = m_personKey == PersonKey::Uuid ? person.id
                                                          : (person.username.isEmpty() ? person.id : person.username);
    const QString search = person.username.isEmpty() ? person.id : person.username;
    QUrlQuery parameters;
    parameters.addQueryItem(str("search"), QString::fromUtf8(QUrl::toPercentEncoding(search)));
    parameters.addQueryItem(str("limit"), str("100"));
    m_get(str("/api/users"), parameters, [wanted, done = std::move(done)](int status, const QByteArray &body) {
        if (status != 200)
            return done(std::nullopt, failure(status, body));
        for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
            const QJsonObject user = value.toObject();
            if (user.value(str("username")).toString() == wanted || user.value(str("uuid")).toString() == wanted)
                return done(user.value(str("id")).toInteger(), {});
        }
        done(std::nullopt, str("No such user: ") + wanted);
    });
}

void NatterActions::openDirectRoom(qint64 userId, RoomHandler done)
{
    m_post(natterrest::roomsPath(), {{str("participant"), userId}},
           [done = std::move(done)](int status, const QByteArray &body) {
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        if (!succeeded(status) || object.isEmpty())
            return done(false, failure(status, body), {});
        done(true, {}, natterrest::room(object));
    });
}

void NatterActions::createGroup(const QString &name, RoomHandler done)
{
    m_post(str("/api/groups"), {{str("name"), name}}, [done = std::move(done)](int status, const QByteArray &body) {
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        if (!succeeded(status) || object.isEmpty())
            return done(false, failure(status, body), {});
        RoomSummary room;
        room.id = object.value(str("id")).toInteger();
        room.uuid = object.value(str("uuid")).toString();
        room.name = object.value(str("name")).toString();
        room.kind = RoomKind::Group;
        room.lastActivity = QDateTime::currentDateTimeUtc();
        done(true, {}, room);
    });
}

void NatterActions::invite(qint64 groupId, qint64 userId, DoneHandler done)
{
    m_post(str("/api/groups/invite"), {{str("group_id"), groupId}, {str("user_id"), userId}},
           [done = std::move(done)](int status, const QByteArray &body) {
        done(succeeded(status), succeeded(status) ? QString() : failure(status, body));
    });
}

void NatterActions::listUnreadNotifications(NotificationsHandler done)
{
    QUrlQuery query;
    query.addQueryItem(str("limit"), str("50"));
    m_get(str("/api/notifications"), query, [done = std::move(done)](int status, const QByteArray &body) {
        QList<Notification> unread;
        if (status != 200)
            return done(false, unread);
        for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
            const QJsonObject object = value.toObject();
            if (object.value(str("is_read")).toBool())
                continue;
            Notification notification;
            notification.id = str("natter-") + idString(object.value(str("id")));
            notification.type = object.value(str("type")).toString();
            notification.message = object.value(str("message")).toString();
            notification.createdAt = parseWireTime(object.value(str("created_at")));
            notification.roomKey = idString(object.value(str("data")).toObject().value(str("group_id")));
            unread.append(notification);
        }
        done(true, unread);
    });
}

void NatterActions::answerInvitation(qint64 groupId, bool accept, RoomHandler done)
{
    const QString path = accept ? str("/api/groups/accept") : str("/api/groups/decline");
    m_post(path, {{str("group_id"), groupId}}, [groupId, done = std::move(done)](int status, const QByteArray &body) {
        if (!succeeded(status))
            return done(false, failure(status, body), {});
        const QJsonObject object = QJsonDocument::fromJson(body).object();
        RoomSummary room;
        room.id = groupId;
        room.uuid = object.value(str("room_uuid")).toString();
        room.name = object.value(str("group_name")).toString();
        room.kind = RoomKind::Group;
        room.lastActivity = QDateTime::currentDateTimeUtc();
        done(true, {}, room);
    });
}

} // namespace natter::client
