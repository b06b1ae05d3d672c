#pragma once

// PresenceTracker: who is online, per person id (as the dialect names people).
// Fed by Backend::presenceChanged → setPresence (one line). Models that show
// presence (RoomListModel) read it here and react to presenceChanged, so a
// presence change is one dataChanged, not a copy in every row.
//
// A person nobody reported on is unknown (knows() false): callers fall back
// to what they have (e.g. the room summary). Dialects without offline events
// simply never report offline; nothing here expires.

#include "chattypes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <optional>

namespace natter::client {

class PresenceTracker : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY onlineCountChanged)

public:
    struct Presence
    {
        bool online = false;
        QDateTime lastSeen; // when last seen online; invalid when never told
    };

    explicit PresenceTracker(QObject *parent = nullptr);

    // Backend::presenceChanged. Uses person.online and person.lastSeen.
    void setPresence(const Person &person);
    // Going offline without a lastSeen records "now"; going online keeps the
    // given lastSeen (or now). Emits presenceChanged only when something changed.
    void setOnline(const QString &personId, bool online, const QDateTime &lastSeen = {});
    // The connection is gone: what we knew is stale, everyone known is offline.
    void markAllOffline();
    void clear();

    bool knows(const QString &personId) const { return m_people.contains(personId); }
    std::optional<Presence> presence(const QString &personId) const;
    Q_INVOKABLE bool isOnline(const QString &personId) const;
    Q_INVOKABLE QDateTime lastSeen(const QString &personId) const;
    int onlineCount() const { return m_onlineCount; }

signals:
    void presenceChanged(const QString &personId);
    void onlineCountChanged();

private:
    void recount();

    QHash<QString, Presence> m_people;
    int m_onlineCount = 0;
};

} // namespace natter::client
