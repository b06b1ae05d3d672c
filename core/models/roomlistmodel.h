#pragma once

// RoomListModel: the account's rooms, most recent activity first.
//
// Fed by the controller, one line per signal:
//   Backend::roomsListed     → setRooms
//   Backend::messageReceived → noteReceived   (unread unless it is the active room)
//   Backend::messageAcked    → noteAcked
// The activity of a room is the later of its lastActivity and its last
// message's createdAt; a room whose activity changes moves with one
// rowsMoved (never removed and re-inserted). Rooms with no activity at all
// come last, in the order they were given.
//
// Presence is not copied into rows: OtherOnline/OtherLastSeen read the
// PresenceTracker (when one is set, and it knows the person; otherwise the
// summary's `other`), and a presence change is one dataChanged on the rows
// of that person's direct rooms.

#include "chattypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <optional>

namespace natter::client {

class PresenceTracker;

class RoomListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Sum of UnreadCount over all rooms (an app badge).
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
    // The room shown on screen: its messages do not count as unread, and
    // making a room active marks it read.
    Q_PROPERTY(QString activeRoomKey READ activeRoomKey WRITE setActiveRoomKey NOTIFY activeRoomKeyChanged)

public:
    // QML names in quotes.
    enum Role {
        RoomKeyRole = Qt::UserRole + 1, // "roomKey"       QString: the room as the backend addresses it
        RoomIdRole,                     // "roomId"        qint64: Natter's integer id, 0 when unknown
        RoomUuidRole,                   // "roomUuid"      QString: Natter's UUID, when known
        NameRole,                       // "name"          QString: group name, or the other person (also DisplayRole)
        KindRole,                       // "kind"          QString: "direct" or "group"
        IsDirectRole,                   // "isDirect"      bool
        OtherPersonIdRole,              // "otherPersonId" QString: direct rooms: the other participant
        OtherOnlineRole,                // "otherOnline"   bool: that person is online (PresenceTracker)
        OtherLastSeenRole,              // "otherLastSeen" QDateTime: when last seen online, if known
        LastMessageTextRole,            // "lastMessageText"   QString: text of the last message ("" for stamps/locations)
        LastMessageSenderRole,          // "lastMessageSender" QString: display name of its sender
        LastMessageKindRole,            // "lastMessageKind"   QString: "text", "stamp", "location"; "" when none
        LastMessageOutgoingRole,        // "lastMessageOutgoing" bool: we sent it
        LastActivityRole,               // "lastActivity"  QDateTime: the sort key (latest of activity and last message)
        UnreadCountRole,                // "unreadCount"   int
    };
    Q_ENUM(Role)

    explicit RoomListModel(QObject *parent = nullptr);
    ~RoomListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_rooms.size()); }
    int totalUnread() const { return m_totalUnread; }
    QString activeRoomKey() const { return m_activeRoomKey; }
    void setActiveRoomKey(const QString &roomKey);

    void setPresenceTracker(PresenceTracker *tracker);
    PresenceTracker *presenceTracker() const;

    // The server's full list: rooms not in it are removed, the others are
    // updated in place (moved if their activity changed), new ones inserted.
    // The first list fills the model with one reset.
    void setRooms(const QList<RoomSummary> &rooms);
    // One room: updated if known (name, ids, other person, unread count as the
    // server says; last message only if it is newer than ours), else inserted.
    void upsertRoom(const RoomSummary &room);
    bool removeRoom(const QString &roomKey);

    // A message in a room: it becomes the last message if it is not older
    // than the current one, the room moves to its place (the top for a new
    // message), and the unread count grows for a message from someone else
    // unless the room is open. The same message twice (by id or client id)
    // counts once. False when the room is not listed.
    bool noteMessage(const ChatMessage &message, bool roomIsOpen);
    // Backend::messageReceived: noteMessage(message, its room is the active room).
    bool noteReceived(const ChatMessage &message);
    // Backend::messageAcked: our own message, stored.
    bool noteAcked(const QString &clientId, const ChatMessage &stored);
    // Unread count to 0.
    Q_INVOKABLE bool markRead(const QString &roomKey);

    // Row of a room, -1 when not listed.
    Q_INVOKABLE int roomIndex(const QString &roomKey) const;
    std::optional<RoomSummary> room(const QString &roomKey) const;
    QList<RoomSummary> rooms() const { return m_rooms; }

signals:
    void countChanged();
    void totalUnreadChanged();
    void activeRoomKeyChanged();

private:
    static qint64 activityOf(const RoomSummary &room);
    bool noteMessageAt(const ChatMessage &message, bool roomIsOpen, bool lateAck);
    void reindex(int first, int last);
    int insertPosition(qint64 activity) const;
    void insertRoom(RoomSummary room);
    void removeRowAt(int row);
    void placeRow(int row);
    void emitRoles(int row, const QList<int> &roles);
    void presenceChanged(const QString &personId);
    void updateTotalUnread();

    QList<RoomSummary> m_rooms;
    QHash<QString, int> m_rowByKey;
    QPointer<PresenceTracker> m_presence;
    QMetaObject::Connection m_presenceConnection;
    QString m_activeRoomKey;
    int m_totalUnread = 0;
};

} // namespace natter::client
