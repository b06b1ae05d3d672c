#include "messagemodel.h"

#include "deliveryrules.h"

#include <QSet>
#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {

QString nameOf(const Person &person)
{
    return displayNameOf(person.displayName, person.username, person.id);
}

// Both messages are by the same person (grouping).
bool sameAuthor(const ChatMessage &a, const ChatMessage &b)
{
    if (a.outgoing || b.outgoing)
        return a.outgoing == b.outgoing;
    if (!a.sender.id.isEmpty() || !b.sender.id.isEmpty())
        return a.sender.id == b.sender.id;
    return nameOf(a.sender) == nameOf(b.sender);
}

bool hasContent(const ChatMessage &message)
{
    return !message.text.isEmpty() || !message.stampId.isEmpty() || message.kind == MessageKind::Location;
}

// A message the server has stored is at least Sent.
DeliveryStatus storedStatus(DeliveryStatus status)
{
    return status == DeliveryStatus::Sending || status == DeliveryStatus::Failed ? DeliveryStatus::Sent
                                                                                  : status;
}

// Counts the model as changing while alive (see fetchMore()).
struct ChangeGuard
{
    explicit ChangeGuard(int &counter)
        : counter(counter)
    {
        ++counter;
    }
    ~ChangeGuard() { --counter; }
    ChangeGuard(const ChangeGuard &) = delete;
    ChangeGuard &operator=(const ChangeGuard &) = delete;
    int &counter;
};

} // namespace

MessageModel::MessageModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

MessageModel::MessageModel(const QString &roomKey, QObject *parent)
    : QAbstractListModel(parent)
    , m_roomKey(roomKey)
{
}

MessageModel::~MessageModel() = default;

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const ChatMessage &m = row.message;
    switch (role) {
    case MessageIdRole:
        return m.id;
    case ClientIdRole:
        return m.clientId;
    case SenderIdRole:
        return m.sender.id;
    case SenderNameRole:
        return nameOf(m.sender);
    case OutgoingRole:
        return m.outgoing;
    case KindRole:
        return toString(m.kind);
    case Qt::DisplayRole:
    case TextRole:
        return m.text;
    case StampIdRole:
        return m.stampId;
    case LatitudeRole:
        return m.latitude;
    case LongitudeRole:
        return m.longitude;
    case CreatedAtRole:
        return m.createdAt;
    case StatusRole:
        return static_cast<int>(m.status);
    case StatusNameRole:
        return toString(m.status);
    case FailureReasonRole:
        return row.failureReason;
    case FirstOfGroupRole:
        return row.firstOfGroup;
    case LastOfGroupRole:
        return row.lastOfGroup;
    case DayStartRole:
        return row.dayStart;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    static const QHash<int, QByteArray> names{
        {MessageIdRole, "messageId"},
        {ClientIdRole, "clientId"},
        {SenderIdRole, "senderId"},
        {SenderNameRole, "senderName"},
        {OutgoingRole, "outgoing"},
        {KindRole, "kind"},
        {TextRole, "text"},
        {StampIdRole, "stampId"},
        {LatitudeRole, "latitude"},
        {LongitudeRole, "longitude"},
        {CreatedAtRole, "createdAt"},
        {StatusRole, "status"},
        {StatusNameRole, "statusName"},
        {FailureReasonRole, "failureReason"},
        {FirstOfGroupRole, "firstOfGroup"},
        {LastOfGroupRole, "lastOfGroup"},
        {DayStartRole, "dayStart"},
    };
    return names;
}

bool MessageModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_roomKey.isEmpty() && !m_loading && !m_allLoaded;
}

void MessageModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const QString beforeId = oldestId();
    setLoading(true);
    if (m_changing > 0) {
        // Asked from inside a row change (a view or tester reacting to our own
        // signal): a handler that answers at once would insert rows in the
        // middle of that change, so the request goes out from the event loop —
        // unless the model was reset meanwhile (which also ended loading).
        const quint64 generation = m_generation;
        QMetaObject::invokeMethod(
            this,
            [this, beforeId, generation] {
                if (generation == m_generation && m_loading)
                    emit historyRequested(beforeId);
            },
            Qt::QueuedConnection);
        return;
    }
    emit historyRequested(beforeId);
}

void MessageModel::setRoomKey(const QString &roomKey)
{
    if (roomKey == m_roomKey)
        return;
    resetRows(roomKey);
    emit roomKeyChanged();
}

void MessageModel::clear()
{
    resetRows(m_roomKey);
}

void MessageModel::resetRows(const QString &roomKey)
{
    const bool wasLoading = m_loading;
    const bool wasAllLoaded = m_allLoaded;
    const int oldCount = count();
    {
        ChangeGuard guard(m_changing);
        beginResetModel();
        m_rows.clear();
        m_slotById.clear();
        m_slotByClientId.clear();
        m_topSlot = 0;
        m_roomKey = roomKey;
        m_loading = false;
        m_allLoaded = false;
        ++m_generation;
        endResetModel(); // a view may call fetchMore() from here: loading again
    }
    if (m_loading != wasLoading)
        emit loadingChanged();
    if (m_allLoaded != wasAllLoaded)
        emit allLoadedChanged();
    if (oldCount != 0)
        emit countChanged();
}

QString MessageModel::oldestId() const
{
    for (auto it = m_rows.crbegin(); it != m_rows.crend(); ++it) {
        if (!it->message.id.isEmpty())
            return it->message.id;
    }
    return {};
}

QDateTime MessageModel::oldestCreatedAt() const
{
    return m_rows.isEmpty() ? QDateTime() : m_rows.constLast().message.createdAt;
}

int MessageModel::rowOfId(const QString &messageId) const
{
    if (messageId.isEmpty())
        return -1;
    const auto it = m_slotById.constFind(messageId);
    return it == m_slotById.cend() ? -1 : int(m_topSlot - *it);
}

int MessageModel::rowOfClientId(const QString &clientId) const
{
    if (clientId.isEmpty())
        return -1;
    const auto it = m_slotByClientId.constFind(clientId);
    return it == m_slotByClientId.cend() ? -1 : int(m_topSlot - *it);
}

ChatMessage MessageModel::messageAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).message : ChatMessage();
}

// --- commands ---------------------------------------------------------------

bool MessageModel::addLocalEcho(const OutgoingMessage &message, const Person &self, const QDateTime &createdAt)
{
    if (message.clientId.isEmpty() || !accepts(message.roomKey) || rowOfClientId(message.clientId) >= 0)
        return false;
    ChatMessage m;
    m.roomKey = message.roomKey.isEmpty() ? m_roomKey : message.roomKey;
    m.clientId = message.clientId;
    m.sender = self;
    m.outgoing = true;
    m.kind = message.kind;
    m.text = message.text;
    m.stampId = message.stampId;
    m.latitude = message.latitude;
    m.longitude = message.longitude;
    m.createdAt = createdAt.isValid() ? createdAt : QDateTime::currentDateTimeUtc();
    m.status = DeliveryStatus::Sending;
    Row row = makeRow(std::move(m));
    const int position = newerPosition(row.when);
    insertRowAt(position, std::move(row));
    return true;
}

bool MessageModel::acknowledge(const QString &clientId, const ChatMessage &stored)
{
    ChatMessage merged = stored;
    merged.clientId = clientId.isEmpty() ? stored.clientId : clientId;
    merged.outgoing = true;
    merged.status = storedStatus(stored.status);

    int row = rowOfClientId(merged.clientId);
    const int byId = rowOfId(stored.id);
    if (row < 0 && byId < 0) {
        // Not shown here (another room, or a model opened after the send):
        // only a message that names this room is added.
        if (stored.roomKey.isEmpty() || !accepts(stored.roomKey) || merged.clientId.isEmpty())
            return false;
        return addIncoming(merged);
    }
    if (row < 0) {
        mergeRow(byId, merged);
        return true;
    }
    if (byId >= 0 && byId != row) {
        // The server's copy arrived before the ack without our client id:
        // it is the same message, so the local echo absorbs it.
        merged.status = advancedStatus(merged.status, m_rows.at(byId).message.status);
        removeRowAt(byId);
        row = rowOfClientId(merged.clientId);
    }
    mergeRow(row, merged);
    return true;
}

bool MessageModel::markFailed(const QString &clientId, const QString &reason)
{
    const int row = rowOfClientId(clientId);
    return row >= 0 && changeStatus(row, DeliveryStatus::Failed, reason);
}

bool MessageModel::retry(const QString &clientId)
{
    const int row = rowOfClientId(clientId);
    return row >= 0 && changeStatus(row, DeliveryStatus::Sending);
}

bool MessageModel::discard(const QString &clientId)
{
    const int row = rowOfClientId(clientId);
    if (row < 0)
        return false;
    removeRowAt(row);
    return true;
}

bool MessageModel::addIncoming(const ChatMessage &message)
{
    if (!accepts(message.roomKey))
        return false;
    int row = rowOfId(message.id);
    if (row < 0)
        row = ownRowOf(message);
    if (row >= 0) {
        ChatMessage incoming = message;
        if (!incoming.id.isEmpty())
            incoming.status = storedStatus(incoming.status);
        return mergeRow(row, incoming);
    }
    ChatMessage m = message;
    if (m.roomKey.isEmpty())
        m.roomKey = m_roomKey;
    if (!m.createdAt.isValid())
        m.createdAt = QDateTime::currentDateTimeUtc();
    Row newRow = makeRow(std::move(m));
    const int position = newerPosition(newRow.when);
    insertRowAt(position, std::move(newRow));
    return true;
}

bool MessageModel::setStatus(const QString &messageId, DeliveryStatus status)
{
    const int row = rowOfId(messageId);
    return row >= 0 && changeStatus(row, status);
}

bool MessageModel::applyStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status)
{
    return accepts(roomKey) && setStatus(messageId, status);
}

void MessageModel::appendHistory(const QList<ChatMessage> &olderNewestFirst, bool complete)
{
    QList<Row> fresh;
    fresh.reserve(olderNewestFirst.size());
    QSet<QString> freshIds;
    for (const ChatMessage &message : olderNewestFirst) {
        if (!accepts(message.roomKey))
            continue;
        int row = rowOfId(message.id);
        if (row < 0)
            row = ownRowOf(message);
        if (row >= 0) {
            ChatMessage known = message;
            if (!known.id.isEmpty())
                known.status = storedStatus(known.status);
            mergeRow(row, known);
            continue;
        }
        if (!message.id.isEmpty()) {
            if (freshIds.contains(message.id))
                continue; // the same message twice in one page
            freshIds.insert(message.id);
        }
        ChatMessage m = message;
        if (m.roomKey.isEmpty())
            m.roomKey = m_roomKey;
        if (!m.createdAt.isValid()) // no time: keep it where the page put it
            m.createdAt = fresh.isEmpty() ? (m_rows.isEmpty() ? QDateTime::currentDateTimeUtc()
                                                              : m_rows.constLast().message.createdAt)
                                          : fresh.constLast().message.createdAt;
        fresh.append(makeRow(std::move(m)));
    }
    // Pages are newest first, but a dialect may not promise it.
    if (!std::is_sorted(fresh.cbegin(), fresh.cend(), [](const Row &a, const Row &b) { return a.when > b.when; }))
        std::stable_sort(fresh.begin(), fresh.end(), [](const Row &a, const Row &b) { return a.when > b.when; });

    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        if (m_rows.isEmpty() || m_rows.constLast().when >= fresh.constFirst().when) {
            // The usual case: all older than what is shown — one insert at the end.
            const int last = first + int(fresh.size()) - 1;
            {
                ChangeGuard guard(m_changing);
                beginInsertRows({}, first, last);
                for (Row &row : fresh)
                    m_rows.append(std::move(row));
                reindex(first, last);
                for (int row = first; row <= last; ++row)
                    computeGrouping(row);
                endInsertRows();
            }
            refreshGrouping(first - 1, first - 1);
            emit countChanged();
        } else {
            for (Row &row : fresh) {
                const int position = olderPosition(row.when);
                insertRowAt(position, std::move(row));
            }
        }
    }
    setLoading(false);
    setAllLoaded(complete || olderNewestFirst.isEmpty());
}

void MessageModel::applyHistory(const QString &roomKey, const QList<ChatMessage> &messages, bool complete)
{
    if (accepts(roomKey))
        appendHistory(messages, complete);
}

void MessageModel::cancelHistoryRequest()
{
    setLoading(false);
}

// --- internals --------------------------------------------------------------

MessageModel::Row MessageModel::makeRow(ChatMessage message)
{
    Row row;
    const QDateTime createdAt = message.createdAt;
    row.message = std::move(message);
    setTime(row, createdAt);
    return row;
}

void MessageModel::setTime(Row &row, const QDateTime &createdAt)
{
    row.message.createdAt = createdAt;
    row.when = createdAt.isValid() ? createdAt.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    row.day = createdAt.isValid() ? createdAt.toLocalTime().date() : QDate();
}

bool MessageModel::accepts(const QString &roomKey) const
{
    return roomKey.isEmpty() || m_roomKey.isEmpty() || roomKey == m_roomKey;
}

void MessageModel::indexRow(int row)
{
    const ChatMessage &m = m_rows.at(row).message;
    const qint64 slot = slotOf(row);
    if (!m.id.isEmpty())
        m_slotById.insert(m.id, slot);
    if (m.outgoing && !m.clientId.isEmpty())
        m_slotByClientId.insert(m.clientId, slot);
}

void MessageModel::unindexRow(int row)
{
    const ChatMessage &m = m_rows.at(row).message;
    const qint64 slot = slotOf(row);
    if (!m.id.isEmpty()) {
        const auto it = m_slotById.find(m.id);
        if (it != m_slotById.end() && *it == slot)
            m_slotById.erase(it);
    }
    if (!m.clientId.isEmpty()) {
        const auto it = m_slotByClientId.find(m.clientId);
        if (it != m_slotByClientId.end() && *it == slot)
            m_slotByClientId.erase(it);
    }
}

void MessageModel::reindex(int first, int last)
{
    for (int row = std::max(first, 0); row <= last && row < m_rows.size(); ++row)
        indexRow(row);
}

int MessageModel::ownRowOf(const ChatMessage &message) const
{
    const int row = rowOfClientId(message.clientId);
    if (row < 0)
        return -1;
    // Client ids are ours; still, a message someone else sent is never merged
    // into ours because its sender happened to reuse the id.
    const ChatMessage &mine = m_rows.at(row).message;
    if (!message.outgoing && !message.sender.id.isEmpty() && !mine.sender.id.isEmpty()
        && message.sender.id != mine.sender.id)
        return -1;
    return row;
}

int MessageModel::newerPosition(qint64 when) const
{
    if (m_rows.isEmpty() || m_rows.constFirst().when <= when)
        return 0; // the usual case: the newest message
    const auto it = std::partition_point(m_rows.cbegin(), m_rows.cend(),
                                         [when](const Row &row) { return row.when > when; });
    return int(it - m_rows.cbegin());
}

int MessageModel::olderPosition(qint64 when) const
{
    if (m_rows.isEmpty() || m_rows.constLast().when >= when)
        return int(m_rows.size());
    const auto it = std::partition_point(m_rows.cbegin(), m_rows.cend(),
                                         [when](const Row &row) { return row.when >= when; });
    return int(it - m_rows.cbegin());
}

void MessageModel::insertRowAt(int position, Row row)
{
    {
        ChangeGuard guard(m_changing);
        beginInsertRows({}, position, position);
        m_rows.insert(position, std::move(row));
        // Re-index the shorter side: O(1) at either end.
        if (position <= m_rows.size() / 2) {
            ++m_topSlot;
            reindex(0, position);
        } else {
            reindex(position, int(m_rows.size()) - 1);
        }
        computeGrouping(position);
        endInsertRows();
    }
    refreshGrouping(position - 1, position - 1);
    refreshGrouping(position + 1, position + 1);
    emit countChanged();
}

void MessageModel::removeRowAt(int row)
{
    {
        ChangeGuard guard(m_changing);
        beginRemoveRows({}, row, row);
        unindexRow(row);
        m_rows.removeAt(row);
        if (row < m_rows.size() / 2) {
            --m_topSlot;
            reindex(0, row - 1);
        } else {
            reindex(row, int(m_rows.size()) - 1);
        }
        endRemoveRows();
    }
    refreshGrouping(row - 1, row);
    emit countChanged();
}

int MessageModel::placeRow(int row)
{
    const qint64 when = m_rows.at(row).when;
    int target = row;
    while (target > 0 && m_rows.at(target - 1).when < when)
        --target;
    if (target == row) {
        while (target + 1 < m_rows.size() && m_rows.at(target + 1).when > when)
            ++target;
    }
    if (target == row)
        return row;
    {
        ChangeGuard guard(m_changing);
        // beginMoveRows counts the destination before the move.
        beginMoveRows({}, row, row, {}, target < row ? target : target + 1);
        m_rows.move(row, target);
        reindex(std::min(row, target), std::max(row, target));
        endMoveRows();
    }
    refreshGrouping(row - 1, row + 1);
    return target;
}

bool MessageModel::startsDay(int row) const
{
    return row + 1 >= m_rows.size() || m_rows.at(row).day != m_rows.at(row + 1).day;
}

bool MessageModel::startsGroup(int row) const
{
    if (row + 1 >= m_rows.size())
        return true;
    const Row &current = m_rows.at(row);
    const Row &older = m_rows.at(row + 1);
    return current.day != older.day || !sameAuthor(current.message, older.message)
        || current.when - older.when > GroupGapMs;
}

void MessageModel::computeGrouping(int row)
{
    Row &r = m_rows[row];
    r.dayStart = startsDay(row);
    r.firstOfGroup = startsGroup(row);
    r.lastOfGroup = endsGroup(row);
}

void MessageModel::refreshGrouping(int first, int last)
{
    for (int row = std::max(first, 0); row <= last && row < m_rows.size(); ++row) {
        Row &r = m_rows[row];
        QList<int> roles;
        if (const bool value = startsGroup(row); value != r.firstOfGroup) {
            r.firstOfGroup = value;
            roles.append(FirstOfGroupRole);
        }
        if (const bool value = endsGroup(row); value != r.lastOfGroup) {
            r.lastOfGroup = value;
            roles.append(LastOfGroupRole);
        }
        if (const bool value = startsDay(row); value != r.dayStart) {
            r.dayStart = value;
            roles.append(DayStartRole);
        }
        if (!roles.isEmpty()) {
            const QModelIndex at = index(row);
            emit dataChanged(at, at, roles);
        }
    }
}

bool MessageModel::mergeRow(int row, const ChatMessage &in)
{
    QList<int> roles;
    bool regroup = false;
    {
        ChangeGuard guard(m_changing);
        unindexRow(row);
        Row &r = m_rows[row];
        ChatMessage &m = r.message;
        if (!in.id.isEmpty() && in.id != m.id) {
            m.id = in.id;
            roles.append(MessageIdRole);
        }
        if (in.outgoing && !m.outgoing) {
            m.outgoing = true;
            roles.append(OutgoingRole);
            regroup = true;
        }
        if (m.outgoing && m.clientId.isEmpty() && !in.clientId.isEmpty()) {
            m.clientId = in.clientId;
            roles.append(ClientIdRole);
        }
        if (!in.sender.id.isEmpty() && in.sender.id != m.sender.id) {
            m.sender.id = in.sender.id;
            roles.append(SenderIdRole);
            regroup = true;
        }
        if (!nameOf(in.sender).isEmpty()) {
            const QString before = nameOf(m.sender);
            if (!in.sender.displayName.isEmpty())
                m.sender.displayName = in.sender.displayName;
            if (!in.sender.username.isEmpty())
                m.sender.username = in.sender.username;
            if (nameOf(m.sender) != before)
                roles.append(SenderNameRole);
        }
        if (hasContent(in)) {
            if (in.kind != m.kind) {
                m.kind = in.kind;
                roles.append(KindRole);
            }
            if (in.text != m.text) {
                m.text = in.text;
                roles.append(TextRole);
            }
            if (in.stampId != m.stampId) {
                m.stampId = in.stampId;
                roles.append(StampIdRole);
            }
            if (in.latitude != m.latitude) {
                m.latitude = in.latitude;
                roles.append(LatitudeRole);
            }
            if (in.longitude != m.longitude) {
                m.longitude = in.longitude;
                roles.append(LongitudeRole);
            }
        }
        if (in.createdAt.isValid() && in.createdAt != m.createdAt) {
            setTime(r, in.createdAt);
            roles.append(CreatedAtRole);
            regroup = true;
        }
        if (const DeliveryStatus status = advancedStatus(m.status, in.status); status != m.status) {
            m.status = status;
            roles.append(StatusRole);
            roles.append(StatusNameRole);
            if (status != DeliveryStatus::Failed && !r.failureReason.isEmpty()) {
                r.failureReason.clear();
                roles.append(FailureReasonRole);
            }
        }
        indexRow(row);
        if (!roles.isEmpty()) {
            const QModelIndex at = index(row);
            emit dataChanged(at, at, roles);
        }
    }
    if (regroup) {
        const int now = placeRow(row); // refreshes the old neighbours when it moves
        refreshGrouping(now - 1, now + 1);
    }
    return !roles.isEmpty();
}

bool MessageModel::changeStatus(int row, DeliveryStatus status, const QString &reason)
{
    Row &r = m_rows[row];
    const DeliveryStatus next = advancedStatus(r.message.status, status);
    if (next == r.message.status)
        return false;
    QList<int> roles{StatusRole, StatusNameRole};
    r.message.status = next;
    const QString failure = next == DeliveryStatus::Failed ? reason : QString();
    if (failure != r.failureReason) {
        r.failureReason = failure;
        roles.append(FailureReasonRole);
    }
    ChangeGuard guard(m_changing);
    const QModelIndex at = index(row);
    emit dataChanged(at, at, roles);
    return true;
}

void MessageModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    emit loadingChanged();
}

void MessageModel::setAllLoaded(bool allLoaded)
{
    if (allLoaded == m_allLoaded)
        return;
    m_allLoaded = allLoaded;
    emit allLoadedChanged();
}

} // namespace natter::client
