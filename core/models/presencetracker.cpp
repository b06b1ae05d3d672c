#include "presencetracker.h"

namespace natter::client {

PresenceTracker::PresenceTracker(QObject *parent)
    : QObject(parent)
{
}

void PresenceTracker::setPresence(const Person &person)
{
    setOnline(person.id.isEmpty() ? person.username : person.id, person.online, person.lastSeen);
}

void PresenceTracker::setOnline(const QString &personId, bool online, const QDateTime &lastSeen)
{
    if (personId.isEmpty())
        return;
    const auto it = m_people.constFind(personId);
    const bool known = it != m_people.cend();
    Presence next = known ? *it : Presence();
    const bool statusChanged = !known || next.online != online;
    next.online = online;
    if (lastSeen.isValid())
        next.lastSeen = lastSeen;
    else if (statusChanged || !next.lastSeen.isValid())
        next.lastSeen = QDateTime::currentDateTimeUtc();
    if (known && !statusChanged && next.lastSeen == it->lastSeen)
        return;
    const int delta = (online ? 1 : 0) - (known && it->online ? 1 : 0);
    m_people.insert(personId, next);
    if (delta != 0) {
        m_onlineCount += delta;
        emit onlineCountChanged();
    }
    emit presenceChanged(personId);
}

void PresenceTracker::markAllOffline()
{
    QStringList changed;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = m_people.begin(); it != m_people.end(); ++it) {
        if (it->online) {
            it->online = false;
            it->lastSeen = now;
            changed.append(it.key());
        }
    }
    recount();
    for (const QString &id : std::as_const(changed))
        emit presenceChanged(id);
}

void PresenceTracker::clear()
{
    const QStringList ids = m_people.keys();
    m_people.clear();
    recount();
    for (const QString &id : ids)
        emit presenceChanged(id);
}

std::optional<PresenceTracker::Presence> PresenceTracker::presence(const QString &personId) const
{
    const auto it = m_people.constFind(personId);
    if (it == m_people.cend())
        return std::nullopt;
    return *it;
}

bool PresenceTracker::isOnline(const QString &personId) const
{
    return m_people.value(personId).online;
}

QDateTime PresenceTracker::lastSeen(const QString &personId) const
{
    return m_people.value(personId).lastSeen;
}

void PresenceTracker::recount()
{
    int online = 0;
    for (const Presence &presence : std::as_const(m_people))
        online += presence.online ? 1 : 0;
    if (online == m_onlineCount)
        return;
    m_onlineCount = online;
    emit onlineCountChanged();
}

} // namespace natter::client
