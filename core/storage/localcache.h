#pragma once

// LocalCache: the account's rooms and recent messages in a local SQLite file,
// so that reopening the app shows the last state at once, offline too.
//
// Rows carry the account id of (account, server) given to open(): several
// accounts can share one file (also the outbox's file: separate tables,
// separate connection) or use one each.
//
// Messages are upserted: by server id, else — for our own messages — by
// client id, so a pending message (no id yet) becomes the stored one when its
// ack is saved; status only moves forward (advancedStatus()). Pages are read
// newest first through the index (account, room, created_at, seq), so the
// newest page of a room with 100,000 messages is one index range scan.
//
// Wiring (one line each):
//   Backend::messageReceived → saveMessage
//   Backend::messageAcked    → saveAck
//   Backend::statusChanged   → updateStatus
//   Backend::historyLoaded   → saveHistory
//   Backend::roomsListed     → saveRooms

#include "chattypes.h"

#include <QList>
#include <QObject>
#include <memory>
#include <optional>

namespace natter::client {

class SqliteFile;

class LocalCache : public QObject
{
    Q_OBJECT
public:
    explicit LocalCache(QObject *parent = nullptr);
    ~LocalCache() override;

    bool open(const QString &path, const QString &account, const QString &server);
    void close();
    bool isOpen() const;
    QString lastError() const;

    // Rooms. saveRooms replaces the account's list (messages of rooms no longer
    // listed stay until removeRoom); saveRoom upserts one.
    bool saveRooms(const QList<RoomSummary> &rooms);
    bool saveRoom(const RoomSummary &room);
    bool removeRoom(const QString &roomKey); // with its messages
    // Most recent activity first.
    QList<RoomSummary> rooms() const;
    std::optional<RoomSummary> room(const QString &roomKey) const;

    // Upserts `messages` into roomKey (a message's own roomKey is ignored), in
    // one transaction.
    bool saveMessages(const QString &roomKey, const QList<ChatMessage> &messages);
    // Into message.roomKey. `added`: the message was not cached before (not a
    // replay of one already known, nor our own pending message coming back).
    bool saveMessage(const ChatMessage &message, bool *added = nullptr);
    bool saveAck(const QString &clientId, const ChatMessage &stored);
    // A history page; `complete` records that the room's oldest message is cached
    // (historyComplete()), so paging can stop without asking the network.
    bool saveHistory(const QString &roomKey, const QList<ChatMessage> &messages, bool complete);
    bool historyComplete(const QString &roomKey) const;
    bool updateStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status);
    bool removeMessage(const QString &roomKey, const QString &clientId); // a discarded message of ours

    // Newest first: the newest `limit`, or the `limit` just older than the
    // message `beforeId` (empty when that message is not cached).
    QList<ChatMessage> messages(const QString &roomKey, int limit, const QString &beforeId = {}) const;
    // Newest first, created strictly before `before`.
    QList<ChatMessage> messagesBefore(const QString &roomKey, int limit, const QDateTime &before) const;
    int messageCount(const QString &roomKey) const;
    // Keeps the newest `keep` messages of a room; returns how many were removed, -1 on error.
    int trimMessages(const QString &roomKey, int keep);

private:
    bool upsert(const QString &roomKey, const ChatMessage &message, bool *added = nullptr);
    QList<ChatMessage> page(const QString &roomKey, int limit, const QString &where,
                            const QVariantList &extra) const;

    std::unique_ptr<SqliteFile> m_file;
    qint64 m_account = -1;
};

} // namespace natter::client
