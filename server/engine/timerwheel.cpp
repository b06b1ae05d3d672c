#include "timerwheel.h"

#include <QTimerEvent>

namespace natter::engine {

WheelDeadline::WheelDeadline(std::function<void()> onExpiry)
    : m_onExpiry(std::move(onExpiry))
{
}

WheelDeadline::~WheelDeadline()
{
    stop();
}

void WheelDeadline::start(TimerWheel &wheel, std::chrono::milliseconds interval)
{
    stop();
    wheel.insert(*this, interval);
}

void WheelDeadline::stop()
{
    if (!m_wheel)
        return;
    TimerWheel *wheel = m_wheel;
    unlink();
    m_wheel = nullptr;
    wheel->removed();
}

void WheelDeadline::unlink()
{
    m_prev->m_next = m_next;
    m_next->m_prev = m_prev;
    m_prev = m_next = this;
}

TimerWheel::TimerWheel(std::chrono::milliseconds tick, int slotCount, QObject *parent)
    : QObject(parent)
    , m_tick(std::max(tick, std::chrono::milliseconds(1)))
    , m_slotCount(size_t(std::max(slotCount, 1)))
    , m_slots(new WheelDeadline[m_slotCount])
{
    m_clock.start();
}

TimerWheel::~TimerWheel()
{
    // Deadlines outliving the wheel become inactive rather than dangling.
    for (size_t slot = 0; slot < m_slotCount; ++slot) {
        WheelDeadline &head = m_slots[slot];
        while (head.m_next != &head) {
            WheelDeadline *deadline = head.m_next;
            deadline->unlink();
            deadline->m_wheel = nullptr;
        }
    }
}

quint64 TimerWheel::currentTick() const
{
    return quint64(m_clock.elapsed() / m_tick.count());
}

void TimerWheel::insert(WheelDeadline &deadline, std::chrono::milliseconds interval)
{
    if (m_pending == 0) // the ticks slept through had nothing to fire
        m_processedTick = currentTick();
    // Rounded up, plus the tick in progress (part of it has passed already):
    // never early. A deadline fires once currentTick() reaches its due tick.
    const quint64 ticks = quint64((std::max<qint64>(interval.count(), 0) + m_tick.count() - 1) / m_tick.count());
    deadline.m_dueTick = std::max(currentTick() + 1 + ticks, m_processedTick + 1);
    WheelDeadline &head = m_slots[deadline.m_dueTick % m_slotCount];
    deadline.m_prev = head.m_prev;
    deadline.m_next = &head;
    head.m_prev->m_next = &deadline;
    head.m_prev = &deadline;
    deadline.m_wheel = this;
    if (m_pending++ == 0)
        m_ticker.start(int(m_tick.count()), Qt::PreciseTimer, this);
}

void TimerWheel::removed()
{
    if (--m_pending == 0)
        m_ticker.stop();
}

void TimerWheel::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_ticker.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    advance();
}

void TimerWheel::advance()
{
    const quint64 now = currentTick();
    // After a long stall, one pass over the wheel sees every slot once.
    const quint64 first = std::max(m_processedTick + 1, now >= m_slotCount ? now - m_slotCount + 1 : 0);
    for (quint64 tick = first; tick <= now && m_pending > 0; ++tick) {
        m_processedTick = tick;
        WheelDeadline &head = m_slots[tick % m_slotCount];
        // Detach the slot's list, then fire what is due; the rest (later
        // rounds) goes back. Callbacks may start, stop or destroy any deadline.
        WheelDeadline later;
        WheelDeadline firing;
        if (head.m_next != &head) {
            firing.m_next = head.m_next;
            firing.m_prev = head.m_prev;
            firing.m_next->m_prev = &firing;
            firing.m_prev->m_next = &firing;
            head.m_next = head.m_prev = &head;
        }
        while (firing.m_next != &firing) {
            WheelDeadline *deadline = firing.m_next;
            deadline->unlink();
            if (deadline->m_dueTick > now) {
                deadline->m_prev = later.m_prev;
                deadline->m_next = &later;
                later.m_prev->m_next = deadline;
                later.m_prev = deadline;
                continue;
            }
            deadline->m_wheel = nullptr;
            removed();
            deadline->m_onExpiry(); // may delete the deadline's owner
        }
        if (later.m_next != &later) {
            // Back at the slot's end, after whatever callbacks put there meanwhile.
            later.m_next->m_prev = head.m_prev;
            head.m_prev->m_next = later.m_next;
            later.m_prev->m_next = &head;
            head.m_prev = later.m_prev;
            later.m_next = later.m_prev = &later;
        }
    }
    if (m_pending == 0)
        m_processedTick = now;
}

} // namespace natter::engine
