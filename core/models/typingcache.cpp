#include "typingcache.h"

#include "deliveryrules.h"

#include <limits>

namespace natter::client {
namespace {

QString keyOf(const Person &person)
{
    return person.id.isEmpty() ? person.username : person.id;
}

} // namespace

TypingCache::TypingCache(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &TypingCache::expire);
}

void TypingCache::setTimeout(int milliseconds)
{
    milliseconds = std::max(milliseconds, 0);
    if (milliseconds == m_timeoutMs)
        return;
    m_timeoutMs = milliseconds;
    emit timeoutChanged();
}

void TypingCache::setTyping(const QString &roomKey, const Person &who, bool typing)
{
    const QString personKey = keyOf(who);
    if (personKey.isEmpty())
        return;
    auto room = m_rooms.find(roomKey);
    qsizetype at = -1;
    if (room != m_rooms.end()) {
        for (qsizetype i = 0; i < room->size(); ++i) {
            if (room->at(i).personKey == personKey) {
                at = i;
                break;
            }
        }
    }
    if (!typing) {
        if (at < 0)
            return;
        room->removeAt(at);
        if (room->isEmpty())
            m_rooms.erase(room);
        schedule();
        emit typingChanged(roomKey);
        return;
    }
    const QString name = displayNameOf(who.displayName, who.username, who.id);
    const QDeadlineTimer deadline(m_timeoutMs, Qt::PreciseTimer);
    if (at >= 0) {
        Entry &entry = (*room)[at];
        entry.deadline = deadline;
        const bool renamed = entry.name != name;
        entry.name = name;
        schedule();
        if (renamed)
            emit typingChanged(roomKey);
        return;
    }
    m_rooms[roomKey].append(Entry{personKey, name, deadline});
    schedule();
    emit typingChanged(roomKey);
}

void TypingCache::noteMessage(const ChatMessage &message)
{
    if (!message.outgoing)
        setTyping(message.roomKey, message.sender, false);
}

void TypingCache::clearRoom(const QString &roomKey)
{
    if (m_rooms.remove(roomKey)) {
        schedule();
        emit typingChanged(roomKey);
    }
}

void TypingCache::clear()
{
    const QStringList rooms = m_rooms.keys();
    m_rooms.clear();
    m_timer.stop();
    for (const QString &room : rooms)
        emit typingChanged(room);
}

QStringList TypingCache::typingNames(const QString &roomKey) const
{
    QStringList names;
    const auto room = m_rooms.constFind(roomKey);
    if (room == m_rooms.cend())
        return names;
    for (const Entry &entry : *room) {
        if (!entry.deadline.hasExpired()) // not yet swept by the timer
            names.append(entry.name);
    }
    return names;
}

QString TypingCache::summary(const QString &roomKey) const
{
    const QStringList names = typingNames(roomKey);
    switch (names.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(names.at(0));
    case 2:
        return tr("%1 and %2 are typing…").arg(names.at(0), names.at(1));
    default:
        // Three or more: at least two others, so the English source is plural.
        return tr("%1 and %n others are typing…", nullptr, int(names.size()) - 1).arg(names.at(0));
    }
}

void TypingCache::expire()
{
    QStringList changed;
    for (auto room = m_rooms.begin(); room != m_rooms.end();) {
        const qsizetype before = room->size();
        room->removeIf([](const Entry &entry) { return entry.deadline.hasExpired(); });
        if (room->size() != before)
            changed.append(room.key());
        if (room->isEmpty())
            room = m_rooms.erase(room);
        else
            ++room;
    }
    schedule();
    for (const QString &room : std::as_const(changed))
        emit typingChanged(room);
}

void TypingCache::schedule()
{
    qint64 next = std::numeric_limits<qint64>::max();
    for (const QList<Entry> &room : std::as_const(m_rooms)) {
        for (const Entry &entry : room)
            next = std::min(next, entry.deadline.remainingTime());
    }
    if (next == std::numeric_limits<qint64>::max()) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(std::clamp<qint64>(next, 0, std::numeric_limits<int>::max())));
}

} // namespace natter::client
