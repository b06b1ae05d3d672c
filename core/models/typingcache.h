#pragma once

// TypingCache: who is typing in which room, expiring.
//
// Fed by Backend::typingChanged → setTyping (one line), and
// Backend::messageReceived → noteMessage (a person who sent a message has
// stopped typing). An entry lasts `timeout` ms (default 6000) unless the
// person is reported typing again, which refreshes it — dialects that send
// "typing" repeatedly but never "stopped" still clear. One timer serves all
// entries (set to the earliest expiry).
//
// Not a model: QML asks typingNames(roomKey) / summary(roomKey) and listens to
// typingChanged(roomKey).

#include "chattypes.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace natter::client {

class TypingCache : public QObject
{
    Q_OBJECT
    // Milliseconds an entry lives without a refresh. Applies to entries set
    // or refreshed after the change.
    Q_PROPERTY(int timeout READ timeout WRITE setTimeout NOTIFY timeoutChanged)

public:
    static constexpr int DefaultTimeoutMs = 6000;

    explicit TypingCache(QObject *parent = nullptr);

    int timeout() const { return m_timeoutMs; }
    void setTimeout(int milliseconds);

    // The person (by id, else username) starts/keeps typing, or stopped.
    // typingChanged only when the set of typing people in that room changes.
    void setTyping(const QString &roomKey, const Person &who, bool typing);
    // A message from a person ends their typing in that room.
    void noteMessage(const ChatMessage &message);
    void clearRoom(const QString &roomKey);
    void clear();

    // Display names (display name, else username, else id), in the order they started typing.
    Q_INVOKABLE QStringList typingNames(const QString &roomKey) const;
    Q_INVOKABLE bool isTyping(const QString &roomKey) const { return m_rooms.contains(roomKey); }
    // "Bob is typing…", "Bob and Carol are typing…", "Bob and 2 others are
    // typing…" (translatable); empty when nobody is.
    Q_INVOKABLE QString summary(const QString &roomKey) const;

signals:
    void typingChanged(const QString &roomKey);
    void timeoutChanged();

private:
    struct Entry
    {
        QString personKey;
        QString name;
        QDeadlineTimer deadline;
    };

    void expire();
    void schedule();

    QHash<QString, QList<Entry>> m_rooms; // only rooms with someone typing
    QTimer m_timer;
    int m_timeoutMs = DefaultTimeoutMs;
};

} // namespace natter::client
