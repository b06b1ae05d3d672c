#pragma once

// An expiring cache of who is typing where. An entry lives until it is
// switched off or not refreshed within the expiry; either way `changed` fires once.

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <chrono>

namespace natter::server {

class TypingTracker : public QObject
{
    Q_OBJECT
public:
    explicit TypingTracker(std::chrono::milliseconds expiry, QObject *parent = nullptr);

    // Returns true when the visible state changed (off→on or on→off).
    bool set(qint64 roomId, qint64 userId, bool typing);
    QList<qint64> typingIn(qint64 roomId) const;
    void clearUser(qint64 userId); // emits `changed` for each room the user was typing in

signals:
    void changed(qint64 roomId, qint64 userId, bool typing);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Key
    {
        qint64 roomId;
        qint64 userId;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0) { return qHashMulti(seed, key.roomId, key.userId); }
    };
    void scheduleSweep();

    std::chrono::milliseconds m_expiry;
    QHash<Key, QDeadlineTimer> m_entries;
    QBasicTimer m_sweep;
};

} // namespace natter::server
