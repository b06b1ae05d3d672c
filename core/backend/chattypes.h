#pragma once

// What the client side knows about rooms, messages and people, whatever the
// dialect. Ids are strings because the dialects address things differently
// (integer ids, UUIDs, usernames); a dialect adapter fills what it can.

#include "domain.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace natter::client {

struct Person
{
    QString id;          // as the dialect names people (user id, UUID, or username)
    QString username;
    QString displayName;
    bool online = false;
    QDateTime lastSeen;
    qint64 natterId = 0; // Natter's integer user id, when known (people search fills it)
};

struct ChatMessage
{
    QString roomKey;   // the room as the dialect addresses it (see Backend)
    QString id;        // the server's id; empty until acknowledged (or when a dialect gives none)
    QString clientId;  // our temp id for messages we sent
    Person sender;
    bool outgoing = false; // sent by this account
    MessageKind kind = MessageKind::Text;
    QString text;
    QString stampId;
    double latitude = 0;
    double longitude = 0;
    QDateTime createdAt;
    DeliveryStatus status = DeliveryStatus::Sent;
};

struct RoomSummary
{
    QString key;        // how the dialect addresses the room
    qint64 id = 0;      // Natter's integer id, when known
    QString uuid;       // Natter's UUID, when known
    RoomKind kind = RoomKind::Group;
    QString name;       // group name, or the other person's display name
    Person other;       // direct rooms: the other participant
    int unreadCount = 0;
    std::optional<ChatMessage> lastMessage;
    QDateTime lastActivity;
};

// What a conversation is opened by on a server that lists none (Backend::
// Capability::OpenByAddress): a chat's UUID, a group's or a person's number, a
// cable room. The app asks for `hint` and hands the answer back with `id`.
struct ConversationKind
{
    QString id;    // passed back to Backend::conversationRoom
    QString label; // "Chat", "Group", "Person", "Room"
    QString hint;  // what to type, in words, with an example
};

struct OutgoingMessage
{
    QString roomKey;
    QString recipientId; // dialects that address people (social private, gateway)
    QString clientId;
    MessageKind kind = MessageKind::Text;
    QString text;
    QString stampId;
    double latitude = 0;
    double longitude = 0;
};

struct Notification
{
    QString id;
    QString type; // group_invite, …
    QString message;
    QString roomKey; // e.g. the group invited to
    bool read = false;
    QDateTime createdAt;
};

// A pre-defined sticker of a dialect with Capability::Stamps (cable: GET /api/stamp_messages).
struct Stamp
{
    QString id;    // what OutgoingMessage::stampId / ChatMessage::stampId carry
    QString name;
    QString emoji; // may be empty when the server gives only a name or an image
};

struct MessageRequest
{
    QString threadKey;
    Person from;
    QString text;
    QDateTime createdAt;
};

} // namespace natter::client

Q_DECLARE_METATYPE(natter::client::ChatMessage)
Q_DECLARE_METATYPE(natter::client::RoomSummary)
Q_DECLARE_METATYPE(natter::client::Person)
Q_DECLARE_METATYPE(natter::client::Stamp)
