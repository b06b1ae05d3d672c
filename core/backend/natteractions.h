#pragma once

// Natter's REST for the room actions, shared by every adapter (none of the
// five specs has a people directory or a way to open rooms; Natter adds one
// for all dialects):
//   GET  /api/users?search=&limit=              the people directory
//   POST /api/v1.0/chat/rooms/ {participant}    the direct room with someone (201 new, 200 existing)
//   POST /api/groups {name}                     a new group, the caller an active member
//   POST /api/groups/invite {group_id, user_id} invite to a group
//   POST /api/groups/accept|decline {group_id}  answer an invitation
//   GET  /api/notifications                     the caller's notifications (group invitations…)
// Rooms come back as the rooms REST shows them (natterrest::room: key empty,
// other.id Natter's user id); each adapter keys rooms and people its own way.

#include "chattypes.h"

#include <QJsonObject>
#include <QUrlQuery>
#include <functional>
#include <optional>

namespace natter::client {

class NatterActions
{
public:
    using ReplyHandler = std::function<void(int status, const QByteArray &body)>;
    using Get = std::function<void(const QString &path, const QUrlQuery &query, ReplyHandler handler)>;
    using Post = std::function<void(const QString &path, const QJsonObject &body, ReplyHandler handler)>;
    // What the dialect calls a person by (Person::id).
    enum class PersonKey { NatterId, Username, Uuid };

    NatterActions(PersonKey personKey, Get get, Post post);

    // ok false: `error` says why (the server's words, or that it has no such route).
    using PeopleHandler = std::function<void(bool ok, const QString &error, const QList<Person> &people)>;
    using RoomHandler = std::function<void(bool ok, const QString &error, const RoomSummary &room)>;
    using DoneHandler = std::function<void(bool ok, const QString &error)>;
    using UserIdHandler = std::function<void(std::optional<qint64> userId, const QString &error)>;

    void searchPeople(const QString &query, PeopleHandler done);
    // Natter's user id of a person: natterId, the id itself when people are
    // keyed by it, else looked up in the directory by username or UUID.
    void resolveUserId(const Person &person, UserIdHandler done);
    void openDirectRoom(qint64 userId, RoomHandler done);
    // The new group as a RoomSummary (id, uuid, name; kind Group).
    void createGroup(const QString &name, RoomHandler done);
    void invite(qint64 groupId, qint64 userId, DoneHandler done);
    // An accepted invitation gives the group's id, name and uuid.
    void answerInvitation(qint64 groupId, bool accept, RoomHandler done);

    // The unread notifications, newest first; roomKey is Natter's group id (as a
    // string) for those about a group. ok false when the server has no such route.
    using NotificationsHandler = std::function<void(bool ok, const QList<Notification> &notifications)>;
    void listUnreadNotifications(NotificationsHandler done);

    // A person of the directory ({id, uuid, username, display_name, online, last_seen}), keyed our way.
    static Person personFromJson(const QJsonObject &object, PersonKey personKey);

private:
    PersonKey m_personKey;
    Get m_get;
    Post m_post;
};

} // namespace natter::client
