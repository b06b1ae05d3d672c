#pragma once

// An event dispatcher for the server's threads built on Linux epoll. Qt 6.4's
// own dispatchers (GLib's and the UNIX one) hand every registered socket to
// poll() on every loop pass, so 10,000 idle connections cost every message
// 10,000 descriptors' worth of work; here a pass costs what is ready.
//
// The contract is QAbstractEventDispatcher's:
// - socket notifiers: level-triggered, as with poll(); a notifier fires while
//   its condition holds and it stays enabled. A notifier unregistered (or
//   deleted) while others of the same pass are being delivered is not fired.
// - timers: each fires at most once per pass, never again while its own
//   QTimerEvent is being handled (a nested loop inside it); precise timers keep
//   their phase, coarse ones restart from when they fired. Millisecond
//   resolution, as with Qt's dispatchers.
// - posted events are sent at the start of every pass; wakeUp() and
//   interrupt() may be called from any thread (an eventfd).
// Install it with QCoreApplication::setEventDispatcher() before the
// application object exists, or QThread::setEventDispatcher() before start().

#include <QAbstractEventDispatcher>
#include <sys/epoll.h>
#include <QHash>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace natter::engine {

class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused epoll or eventfd (then nothing works: use Qt's).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // For tests: descriptors and timers registered now.
    qsizetype watchedDescriptorCount() const { return m_watches.size(); }
    qsizetype timerCount() const { return m_timers.size(); }

private:
    using Clock = std::chrono::steady_clock;
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // as given to epoll_ctl
    };
    struct Timer
    {
        qint64 interval = 0; // ms
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        Clock::time_point deadline;
        bool inEvent = false; // its QTimerEvent is being handled
    };

    void updateWatch(int fd, Watch &watch);
    int activateSockets(int readyCount, bool socketsWanted);
    int activateTimers();
    int waitMilliseconds() const;
    void drainWakeUps();
    void schedule(int timerId, Timer &timer);

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};
    QHash<int, Watch> m_watches; // by descriptor
    std::map<int, Timer> m_timers; // by timer id
    std::set<std::pair<Clock::time_point, int>> m_deadlines; // (deadline, timer id)
    std::vector<epoll_event> m_ready;
};

// What a server thread runs on: an EpollEventDispatcher, or null for Qt's own
// (NATTER_EVENT_DISPATCHER=qt, for comparing the two, or a kernel without epoll).
std::unique_ptr<QAbstractEventDispatcher> createServerEventDispatcher();

} // namespace natter::engine
