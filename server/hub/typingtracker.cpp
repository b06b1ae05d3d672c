#include "typingtracker.h"

#include <QTimerEvent>
#include <algorithm>

namespace natter::server {

TypingTracker::TypingTracker(std::chrono::milliseconds expiry, QObject *parent)
    : QObject(parent)
    , m_expiry(expiry)
{
}

bool TypingTracker::set(qint64 roomId, qint64 userId, bool typing)
{
    const Key key{roomId, userId};
    if (typing) {
        const bool wasTyping = m_entries.contains(key);
        m_entries.insert(key, QDeadlineTimer(m_expiry));
        scheduleSweep();
        if (!wasTyping)
            emit changed(roomId, userId, true);
        return !wasTyping;
    }
    if (!m_entries.remove(key))
        return false;
    emit changed(roomId, userId, false);
    return true;
}

QList<qint64> TypingTracker::typingIn(qint64 roomId) const
{
    QList<qint64> users;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it.key().roomId == roomId && !it.value().hasExpired())
            users.append(it.key().userId);
    }
    std::sort(users.begin(), users.end());
    return users;
}

void TypingTracker::clearUser(qint64 userId)
{
    QList<qint64> rooms;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it.key().userId == userId)
            rooms.append(it.key().roomId);
    }
    for (qint64 roomId : rooms)
        set(roomId, userId, false);
}

void TypingTracker::scheduleSweep()
{
    // One timer for the soonest deadline, not one per entry.
    qint64 soonest = -1;
    for (const QDeadlineTimer &deadline : std::as_const(m_entries)) {
        const qint64 left = std::max<qint64>(0, deadline.remainingTime());
        if (soonest < 0 || left < soonest)
            soonest = left;
    }
    if (soonest < 0)
        m_sweep.stop();
    else
        m_sweep.start(static_cast<int>(soonest) + 1, Qt::PreciseTimer, this);
}

void TypingTracker::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_sweep.timerId())
        return QObject::timerEvent(event);
    QList<Key> expired;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (it.value().hasExpired())
            expired.append(it.key());
    }
    for (const Key &key : std::as_const(expired)) {
        m_entries.remove(key);
        emit changed(key.roomId, key.userId, false);
    }
    scheduleSweep();
}

} // namespace natter::server
