#include "epolleventdispatcher.h"

#include "threadsanitizer.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/eventfd.h>
#include <unistd.h>

namespace natter::engine {

namespace {
Q_LOGGING_CATEGORY(lcDispatcher, "natter.engine.dispatcher")

constexpr quint32 readEvents = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
constexpr quint32 writeEvents = EPOLLOUT | EPOLLHUP | EPOLLERR;
constexpr quint32 exceptionEvents = EPOLLPRI;
constexpr int maxEventsPerWait = 512;
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_wakeFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
    , m_ready(maxEventsPerWait)
{
    if (!isValid()) {
        qCCritical(lcDispatcher, "epoll/eventfd unavailable: %s", std::strerror(errno));
        return;
    }
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.fd = m_wakeFd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &wake) != 0)
        qCCritical(lcDispatcher, "cannot watch the wake-up descriptor: %s", std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    // Posted before this pass: Qt wakes us for each post, so anything posted
    // after this makes the wait below return at once. (For ThreadSanitizer:
    // the posts, ordered by Qt's uninstrumented lock, happen before this; see wakeUp.)
    tsan::acquire(this);
    QCoreApplication::sendPostedEvents();

    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents)
            && !m_interrupted.load(std::memory_order_relaxed);
    const bool timersWanted = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool socketsWanted = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    int timeout = 0;
    if (wait) {
        timeout = timersWanted ? waitMilliseconds() : -1;
        if (timeout != 0)
            emit aboutToBlock();
    }

    int ready = epoll_wait(m_epoll, m_ready.data(), int(m_ready.size()), timeout);
    if (ready < 0) {
        if (errno != EINTR)
            qCWarning(lcDispatcher, "epoll_wait: %s", std::strerror(errno));
        ready = 0;
    }
    if (timeout != 0)
        emit awake();

    int handled = activateSockets(ready, socketsWanted);
    if (timersWanted && !m_interrupted.load(std::memory_order_relaxed))
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::activateSockets(int readyCount, bool socketsWanted)
{
    // Collect first: delivering one activation may unregister (or delete) the
    // notifiers of the others, which are then looked up again before each send.
    struct Activation
    {
        int fd;
        QSocketNotifier::Type type;
        QSocketNotifier *notifier;
    };
    std::vector<Activation> activations;
    activations.reserve(size_t(readyCount));
    for (int i = 0; i < readyCount; ++i) {
        const epoll_event &event = m_ready[size_t(i)];
        const int fd = event.data.fd;
        if (fd == m_wakeFd) {
            drainWakeUps();
            continue;
        }
        if (!socketsWanted)
            continue;
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend())
            continue;
        if (it->read && (event.events & readEvents))
            activations.push_back({fd, QSocketNotifier::Read, it->read});
        if (it->write && (event.events & writeEvents))
            activations.push_back({fd, QSocketNotifier::Write, it->write});
        if (it->exception && (event.events & exceptionEvents))
            activations.push_back({fd, QSocketNotifier::Exception, it->exception});
    }

    int sent = 0;
    for (const Activation &activation : activations) {
        const auto it = m_watches.constFind(activation.fd);
        if (it == m_watches.cend())
            continue;
        QSocketNotifier *current = activation.type == QSocketNotifier::Read ? it->read
                : activation.type == QSocketNotifier::Write                 ? it->write
                                                                             : it->exception;
        if (current != activation.notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(current, &event);
        ++sent;
    }
    return sent;
}

void EpollEventDispatcher::drainWakeUps()
{
    // Read first, then clear the flag: a post that lands in between found the
    // flag set and wrote nothing, but its event is sent at the next pass's start.
    eventfd_t count = 0;
    while (eventfd_read(m_wakeFd, &count) == 0) { }
    m_wakeUpPending.store(false, std::memory_order_release);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    QSocketNotifier **slot = notifier->type() == QSocketNotifier::Read ? &watch.read
            : notifier->type() == QSocketNotifier::Write               ? &watch.write
                                                                       : &watch.exception;
    if (*slot && *slot != notifier)
        qCWarning(lcDispatcher, "descriptor %d already has a notifier of this type; replacing it", fd);
    *slot = notifier;
    updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    for (QSocketNotifier **slot : {&it->read, &it->write, &it->exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    updateWatch(fd, *it);
    if (!it->read && !it->write && !it->exception)
        m_watches.erase(it);
}

void EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
    quint32 events = 0;
    if (watch.read)
        events |= EPOLLIN | EPOLLRDHUP;
    if (watch.write)
        events |= EPOLLOUT;
    if (watch.exception)
        events |= EPOLLPRI;
    if (events == watch.events)
        return;
    epoll_event change{};
    change.events = events;
    change.data.fd = fd;
    int result = 0;
    if (events == 0)
        result = epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &change);
    else if (watch.events == 0)
        result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &change);
    else
        result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &change);
    // A descriptor closed before its notifier went away has already left the set.
    if (result != 0 && !(events == 0 && (errno == EBADF || errno == ENOENT)))
        qCWarning(lcDispatcher, "epoll_ctl on descriptor %d: %s", fd, std::strerror(errno));
    watch.events = result == 0 ? events : (events == 0 ? 0 : watch.events);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    Timer timer;
    timer.interval = qMax<qint64>(0, interval);
    timer.type = timerType;
    timer.object = object;
    timer.deadline = Clock::now() + std::chrono::milliseconds(timer.interval);
    unregisterTimer(timerId); // an id Qt hands out again replaces what it named
    m_timers.emplace(timerId, timer);
    m_deadlines.emplace(timer.deadline, timerId);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->second.deadline, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase({it->second.deadline, it->first});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            timers.append(TimerInfo(id, int(timer.interval), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(it->second.deadline - Clock::now());
    return int(qMax<qint64>(0, left.count()));
}

int EpollEventDispatcher::waitMilliseconds() const
{
    if (m_deadlines.empty())
        return -1;
    // Rounded up: waking a little early would only spin until the deadline.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(m_deadlines.begin()->first - Clock::now());
    return int(std::clamp<qint64>(left.count(), 0, std::numeric_limits<int>::max()));
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer)
{
    const auto now = Clock::now();
    const auto interval = std::chrono::milliseconds(timer.interval);
    if (timer.type == Qt::PreciseTimer) {
        timer.deadline += interval;
        if (timer.deadline <= now) // fell behind: skip, don't fire a burst
            timer.deadline = now + interval;
    } else {
        timer.deadline = now + interval;
    }
    m_deadlines.emplace(timer.deadline, timerId);
}

int EpollEventDispatcher::activateTimers()
{
    // Only what is due now, each once: a zero-interval timer re-armed while
    // this runs waits for the next pass.
    const auto now = Clock::now();
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now;)
        due.push_back((it++)->second);

    int sent = 0;
    for (const int timerId : due) {
        auto it = m_timers.find(timerId);
        if (it == m_timers.end() || it->second.deadline > now)
            continue; // unregistered (or registered again) meanwhile
        Timer &timer = it->second;
        m_deadlines.erase({timer.deadline, timerId});
        schedule(timerId, timer);
        if (timer.inEvent)
            continue;
        timer.inEvent = true;
        QObject *object = timer.object;
        QTimerEvent event(timerId);
        QCoreApplication::sendEvent(object, &event);
        ++sent;
        // The handler may have killed the timer, or killed it and got the id again.
        it = m_timers.find(timerId);
        if (it != m_timers.end() && it->second.object == object)
            it->second.inEvent = false;
    }
    return sent;
}

void EpollEventDispatcher::wakeUp()
{
    // Qt calls this after queueing an event for our thread (postEvent): what the
    // sender wrote before posting happens before the pass that delivers it.
    tsan::release(this);
    if (m_wakeUpPending.exchange(true, std::memory_order_acq_rel))
        return;
    eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

std::unique_ptr<QAbstractEventDispatcher> createServerEventDispatcher()
{
    if (qEnvironmentVariable("NATTER_EVENT_DISPATCHER") == u"qt")
        return nullptr;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (!dispatcher->isValid())
        return nullptr;
    return dispatcher;
}

} // namespace natter::engine
