#pragma once

// Deadlines by the thousand for one thread: heartbeats, pong deadlines, idle
// and handshake timeouts. A per-connection QTimer costs a registration in the
// event dispatcher and a timer id each; here a deadline is a few pointers
// inside its owner, started and stopped in O(1), and the whole wheel is one
// Qt timer that runs only while some deadline is pending.
//
// Resolution is the wheel's tick (10 ms by default): a deadline fires after at
// least its interval and at most one tick later, on the wheel's thread. A
// deadline can be started, stopped and destroyed from inside any callback,
// its own included. Deadlines and wheel belong to one thread.

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QObject>
#include <chrono>
#include <functional>
#include <memory>

namespace natter::engine {

class TimerWheel;

// A one-shot deadline, a member of the object it serves (like QBasicTimer).
class WheelDeadline
{
public:
    explicit WheelDeadline(std::function<void()> onExpiry);
    ~WheelDeadline();
    WheelDeadline(const WheelDeadline &) = delete;
    WheelDeadline &operator=(const WheelDeadline &) = delete;

    // (Re)starts: fires once `interval` from now, unless stopped or restarted first.
    void start(TimerWheel &wheel, std::chrono::milliseconds interval);
    void stop();
    bool isActive() const { return m_wheel != nullptr; }

private:
    friend class TimerWheel;
    WheelDeadline() = default; // a slot's list head
    void unlink();

    WheelDeadline *m_prev = this;
    WheelDeadline *m_next = this;
    TimerWheel *m_wheel = nullptr;
    quint64 m_dueTick = 0;
    std::function<void()> m_onExpiry;
};

class TimerWheel : public QObject
{
    Q_OBJECT
public:
    explicit TimerWheel(std::chrono::milliseconds tick = std::chrono::milliseconds(10), int slotCount = 4096,
                        QObject *parent = nullptr);
    ~TimerWheel() override;

    std::chrono::milliseconds tick() const { return m_tick; }
    // Deadlines pending now.
    qsizetype pendingCount() const { return m_pending; }

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    friend class WheelDeadline;
    void insert(WheelDeadline &deadline, std::chrono::milliseconds interval);
    void removed();
    quint64 currentTick() const;
    void advance();

    std::chrono::milliseconds m_tick;
    size_t m_slotCount;
    std::unique_ptr<WheelDeadline[]> m_slots; // list heads
    QElapsedTimer m_clock;
    quint64 m_processedTick = 0; // every tick up to this one has fired
    qsizetype m_pending = 0;
    QBasicTimer m_ticker;
};

} // namespace natter::engine
