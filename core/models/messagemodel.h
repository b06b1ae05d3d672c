#pragma once

// MessageModel: the messages of ONE room for a chat view.
//
// Rows are NEWEST FIRST: row 0 is the newest message, the last row the oldest
// one loaded (the QML ListView uses verticalLayoutDirection: BottomToTop, so
// row 0 sits at the bottom). Rows are kept sorted by createdAt; equal times
// keep their arrival order.
//
// Fed by the controller, one line per Backend signal:
//   Backend::messageReceived → addIncoming
//   Backend::messageAcked    → acknowledge
//   Backend::sendFailed      → markFailed
//   Backend::statusChanged   → applyStatus      (filters on roomKey)
//   Backend::historyLoaded   → applyHistory     (filters on roomKey)
//   MessageModel::historyRequested → the controller answers from the local
//     cache first (appendHistory with a cached page), then from the network.
// Messages for another room (a non-empty roomKey that is not this model's)
// are ignored, so every open room model can be connected to the same backend.
//
// De-duplication: a message is one row, whatever way it arrives. Rows are
// indexed by server id and by client id (our own messages only) in QHashes,
// so finding a row is O(1). Inserting is amortised O(1) at either end (new
// messages at row 0, older history at the end: the index is a "slot" per row,
// row = top slot − slot, so only the new row is indexed); a message that lands
// in the middle costs an O(log n) search, a memmove of the rows and
// re-indexing the shorter side.
//
// Paging: canFetchMore() is !loading && !allLoaded (and a room is set);
// fetchMore() sets loading and emits historyRequested(oldestId()). Nothing is
// inserted until appendHistory() is called, which clears loading. A room with
// 100,000 cached messages opens with just its newest page.

#include "chattypes.h"

#include <QAbstractListModel>
#include <QDate>
#include <QHash>
#include <QList>

namespace natter::client {

namespace detail {
// One row of MessageModel (internal).
struct MessageRow
{
    ChatMessage message;
    qint64 when = 0; // createdAt in ms since the epoch: the sort key
    QDate day;       // createdAt's calendar day in local time
    QString failureReason;
    bool firstOfGroup = true;
    bool lastOfGroup = true;
    bool dayStart = true;
};
} // namespace detail

class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    // The room as the backend addresses it. Changing it empties the model.
    Q_PROPERTY(QString roomKey READ roomKey WRITE setRoomKey NOTIFY roomKeyChanged)
    // A history page has been requested and not answered yet.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // The oldest message of the room is loaded: nothing more to fetch.
    Q_PROPERTY(bool allLoaded READ allLoaded NOTIFY allLoadedChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    // QML names in quotes.
    enum Role {
        MessageIdRole = Qt::UserRole + 1, // "messageId"   QString: the server's id; empty while Sending/Failed
        ClientIdRole,                     // "clientId"    QString: our temp id (own messages only)
        SenderIdRole,                     // "senderId"    QString
        SenderNameRole,                   // "senderName"  QString: display name, else username, else id
        OutgoingRole,                     // "outgoing"    bool: sent by this account
        KindRole,                         // "kind"        QString: "text", "stamp" or "location"
        TextRole,                         // "text"        QString (also Qt::DisplayRole)
        StampIdRole,                      // "stampId"     QString (kind "stamp")
        LatitudeRole,                     // "latitude"    double  (kind "location")
        LongitudeRole,                    // "longitude"   double  (kind "location")
        CreatedAtRole,                    // "createdAt"   QDateTime: the server's time once acknowledged,
                                          //               the local clock for a pending message
        StatusRole,                       // "status"      int: natter::DeliveryStatus
        StatusNameRole,                   // "statusName"  QString: "sending", "sent", "delivered", "read", "failed"
        FailureReasonRole,                // "failureReason" QString: why the last send failed (status Failed)
        FirstOfGroupRole,                 // "firstOfGroup" bool: first message of a run, in reading order
                                          //   (oldest → newest): the older neighbour is by someone else,
                                          //   more than 5 minutes older, on another day, or not loaded
        LastOfGroupRole,                  // "lastOfGroup" bool: last message of a run (the newer
                                          //   neighbour starts a new run, or this is the newest row)
        DayStartRole,                     // "dayStart"    bool: first message of a calendar day (local
                                          //   time) — show a day separator above it; true for the
                                          //   oldest loaded row
    };
    Q_ENUM(Role)

    // Messages by one sender less than this apart form a group.
    static constexpr qint64 GroupGapMs = 5 * 60 * 1000;

    explicit MessageModel(QObject *parent = nullptr);
    explicit MessageModel(const QString &roomKey, QObject *parent = nullptr);
    ~MessageModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

    QString roomKey() const { return m_roomKey; }
    void setRoomKey(const QString &roomKey);
    bool loading() const { return m_loading; }
    bool allLoaded() const { return m_allLoaded; }
    int count() const { return int(m_rows.size()); }

    // The server id of the oldest loaded message that has one (the cursor for
    // the next history page); empty when none is loaded.
    Q_INVOKABLE QString oldestId() const;
    QDateTime oldestCreatedAt() const;
    // Rows by id, -1 when not loaded (O(1)).
    Q_INVOKABLE int rowOfId(const QString &messageId) const;
    Q_INVOKABLE int rowOfClientId(const QString &clientId) const;
    ChatMessage messageAt(int row) const;

    // Our own message, shown at once as a pending row (status Sending). The
    // message must carry its clientId (the outbox gives one). createdAt
    // defaults to now; pass the outbox's enqueue time when re-showing pending
    // messages after a restart. False when the clientId is already shown or
    // the message is for another room.
    bool addLocalEcho(const OutgoingMessage &message, const Person &self, const QDateTime &createdAt = {});

    // The server stored our message: the pending row becomes `stored` (its id,
    // createdAt, status at least Sent). One dataChanged with the roles that
    // changed; if the server's time moves it, one rowsMoved — the row is never
    // removed and re-inserted. If the server's copy already arrived as a
    // separate row (a dialect that does not echo client ids), that duplicate
    // is removed. An ack for an unknown clientId inserts the message when it
    // names this room. Returns false when the ack is not for this model.
    bool acknowledge(const QString &clientId, const ChatMessage &stored);

    // Sending failed: Sending → Failed (ignored once the server has the message).
    bool markFailed(const QString &clientId, const QString &reason = {});
    // A failed message is sent again (same clientId): Failed → Sending.
    bool retry(const QString &clientId);
    // Drops a message of ours (e.g. a failed one the user discards).
    bool discard(const QString &clientId);

    // A message from the server. Inserted where its createdAt puts it (row 0
    // in the usual case), unless it is already here: by server id, or by
    // client id for our own message coming back as an echo — then it merges
    // into that row (dataChanged only). Returns true when a row was added or
    // changed.
    bool addIncoming(const ChatMessage &message);

    // Receipts: see advancedStatus() (deliveryrules.h): Sent → Delivered →
    // Read only forward; Failed only while Sending; Sending only after Failed.
    bool setStatus(const QString &messageId, DeliveryStatus status);
    // Backend::statusChanged: setStatus() when roomKey is this room.
    bool applyStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status);

    // Older messages, newest first (a cache or network page). New rows go after
    // the oldest (in one insert when they are all older); known ones merge.
    // Clears loading; allLoaded becomes `complete` (an empty page also means
    // complete, so a view cannot loop on empty pages).
    void appendHistory(const QList<ChatMessage> &olderNewestFirst, bool complete);
    // Backend::historyLoaded: appendHistory() when roomKey is this room.
    void applyHistory(const QString &roomKey, const QList<ChatMessage> &messages, bool complete);
    // The history request failed: loading ends, fetchMore may be tried again.
    void cancelHistoryRequest();

    // Empties the model (same room): loading and allLoaded are reset.
    void clear();

signals:
    void roomKeyChanged();
    void loadingChanged();
    void allLoadedChanged();
    void countChanged();
    // fetchMore(): load messages older than beforeId (empty: the newest page).
    void historyRequested(const QString &beforeId);

private:
    using Row = detail::MessageRow;

    static Row makeRow(ChatMessage message);
    static void setTime(Row &row, const QDateTime &createdAt);
    bool accepts(const QString &roomKey) const;
    void resetRows(const QString &roomKey);

    // Row ↔ slot: rows are indexed by a slot number so that inserting at either
    // end re-indexes one row; row = m_topSlot - slot.
    qint64 slotOf(int row) const { return m_topSlot - row; }
    void indexRow(int row);
    void unindexRow(int row);
    void reindex(int first, int last);
    int ownRowOf(const ChatMessage &message) const; // local echo matching an incoming copy

    int newerPosition(qint64 when) const; // a new message: before rows not newer
    int olderPosition(qint64 when) const; // history: after rows not older
    void insertRowAt(int position, Row row);
    void removeRowAt(int row);
    int placeRow(int row); // moves a row whose time changed; returns its new row

    bool startsDay(int row) const;
    bool startsGroup(int row) const;
    bool endsGroup(int row) const { return row == 0 || startsGroup(row - 1); }
    void computeGrouping(int row); // no signal: the row is being inserted
    void refreshGrouping(int first, int last); // dataChanged for grouping roles that changed

    bool mergeRow(int row, const ChatMessage &incoming);
    bool changeStatus(int row, DeliveryStatus status, const QString &reason = {});
    void setLoading(bool loading);
    void setAllLoaded(bool allLoaded);

    QString m_roomKey;
    QList<Row> m_rows;
    QHash<QString, qint64> m_slotById;
    QHash<QString, qint64> m_slotByClientId;
    qint64 m_topSlot = 0;
    bool m_loading = false;
    bool m_allLoaded = false;
    int m_changing = 0; // > 0 while rows change: fetchMore() then answers later
    quint64 m_generation = 0; // counts resets
};

} // namespace natter::client

// Every member is relocatable (Qt's implicitly shared types, PODs): QList moves
// rows with memmove when it grows or inserts in the middle.
Q_DECLARE_TYPEINFO(natter::client::detail::MessageRow, Q_RELOCATABLE_TYPE);
