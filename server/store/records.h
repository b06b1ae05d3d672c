#pragma once

// Plain rows of the store. Times are UTC with millisecond precision.

#include "domain.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace natter::server {

struct UserRecord
{
    qint64 id = 0;
    QUuid uuid;
    QString username;
    QString displayName;
    QByteArray passwordHash;
    UserRole role = UserRole::User;
    QDateTime createdAt;
    QDateTime lastSeen; // null until the user's first session ends
};

struct RoomRecord
{
    qint64 id = 0;
    QUuid uuid;
    RoomKind kind = RoomKind::Group;
    QString name; // empty for direct rooms
    qint64 createdBy = 0; // 0 for the lobby
    bool isLobby = false;
    QDateTime createdAt;
};

struct MembershipRecord
{
    qint64 roomId = 0;
    qint64 userId = 0;
    MembershipState state = MembershipState::Active;
    QDateTime since;
};

struct NewMessage
{
    qint64 roomId = 0;
    qint64 senderId = 0;
    MessageKind kind = MessageKind::Text;
    QString body;    // text, or the stamp id for stamps
    double latitude = 0;  // locations
    double longitude = 0;
    QString clientId; // the sender's temp id; empty when the dialect has none
};

struct MessageRecord
{
    qint64 id = 0;
    qint64 roomId = 0;
    qint64 senderId = 0;
    MessageKind kind = MessageKind::Text;
    QString body;
    double latitude = 0;
    double longitude = 0;
    QString clientId;
    QDateTime createdAt;
    qint64 seq = 0; // per room, gap-free, from 1
};

// How far one member of a room has received and read: every message of the
// room with seq <= deliveredUpTo is delivered to them, <= readUpTo read.
// Marks only move forward; read implies delivered. Times are when the mark
// last moved.
struct MarkRecord
{
    qint64 roomId = 0;
    qint64 userId = 0;
    qint64 deliveredUpTo = 0;
    qint64 readUpTo = 0;
    QDateTime deliveredAt;
    QDateTime readAt;

    DeliveryStatus statusOf(qint64 seq) const
    {
        if (seq <= readUpTo)
            return DeliveryStatus::Read;
        return seq <= deliveredUpTo ? DeliveryStatus::Delivered : DeliveryStatus::Sent;
    }
};

// A mark to move forward to `seq` (Delivered or Read).
struct MarkAdvance
{
    qint64 roomId = 0;
    qint64 userId = 0;
    DeliveryStatus status = DeliveryStatus::Delivered;
    qint64 seq = 0;
    QDateTime at;
};

struct NotificationRecord
{
    qint64 id = 0;
    qint64 userId = 0;
    QString type;
    QString message;
    QJsonObject payload;
    bool isRead = false;
    QDateTime createdAt;
};

} // namespace natter::server
