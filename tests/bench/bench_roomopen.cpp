// Not a test: how fast does the room view open and scroll over a room with
// 100,000 cached messages? Runs the app's own view path: an Account (ChatSession,
// LocalCache) offline, RoomPage.qml in a QQuickView, MessageDelegate rows.
//
//  1. fills the account's cache file with `messages` messages of one room;
//  2. starts the account (opens the cache) and shows RoomPage with no room;
//  3. "opens the room" (RoomPage.roomKey = the room) and times until the first
//     frame is swapped whose list shows the newest message;
//  4. opens another room and this one again (warm: types compiled, glyphs cached);
//  5. scrolls up `scroll` messages, `step` pixels a frame, as fast as frames
//     come (older pages load from the cache on the way), and reports the
//     frame-to-frame times from frameSwapped.
//
//   bench_roomopen [messages=100000] [scroll=2000] [step=40]
//
// Needs a display: QT_QPA_PLATFORM=offscreen, or xvfb-run for a real GL stack.

#include "account.h"
#include "accountconfig.h"
#include "desktopapp.h"
#include "localcache.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFont>
#include <QGuiApplication>
#include <QMutex>
#include <QMutexLocker>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickView>
#include <QSGRendererInterface>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <algorithm>
#include <ctime>
#include <functional>
#include <vector>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

using namespace Qt::StringLiterals;
using namespace natter;
using namespace natter::client;

namespace {

const QString roomKey = u"42"_s;

// CPU time of the whole process (GUI and render threads): on a busy machine
// the wall clock also counts time spent waiting for a core.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1000.0 + double(ts.tv_nsec) / 1e6;
}

// Frame-swap times in ms since start; written on the render thread.
class FrameClock
{
public:
    explicit FrameClock(QQuickWindow *window)
    {
        m_clock.start();
        QObject::connect(window, &QQuickWindow::frameSwapped, window, [this] {
            QMutexLocker lock(&m_mutex);
            m_swaps.push_back(double(m_clock.nsecsElapsed()) / 1e6);
        }, Qt::DirectConnection);
    }
    double nowMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }
    std::vector<double> swapsSince(double startMs) const
    {
        QMutexLocker lock(&m_mutex);
        std::vector<double> result;
        std::copy_if(m_swaps.begin(), m_swaps.end(), std::back_inserter(result),
                     [startMs](double at) { return at >= startMs; });
        return result;
    }

private:
    QElapsedTimer m_clock;
    mutable QMutex m_mutex;
    std::vector<double> m_swaps;
};

// Runs the event loop until `done` holds (checked after every swapped frame
// and every 5 ms), or `timeoutMs` passes. False on timeout.
bool waitUntil(QQuickWindow *window, const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    const auto check = [&] {
        if (done())
            loop.quit();
    };
    QObject::connect(window, &QQuickWindow::frameSwapped, &loop, check, Qt::QueuedConnection);
    QObject::connect(&poll, &QTimer::timeout, &loop, check);
    poll.start(5);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

ChatMessage benchMessage(int number, const QDateTime &start)
{
    // Runs of a few messages per sender, a new day every 900 messages, now and
    // then a stamp, a location or a longer text, like a busy group.
    static const QString senders[] = {u"bob"_s, u"carol"_s, u"alice"_s, u"dave"_s};
    ChatMessage m;
    m.id = QString::number(number);
    const int run = (number / 3) % 4;
    m.sender.id = senders[run];
    m.sender.displayName = senders[run].at(0).toUpper() + senders[run].mid(1);
    m.outgoing = m.sender.id == u"alice"_s;
    m.createdAt = start.addSecs(qint64(number / 900) * 86400 + (number % 900) * 60LL);
    if (number % 50 == 0) {
        m.kind = MessageKind::Stamp;
        m.stampId = u"thumbs-up"_s;
    } else if (number % 97 == 0) {
        m.kind = MessageKind::Location;
        m.latitude = 48.137 + number * 1e-6;
        m.longitude = 11.575;
    } else if (number % 7 == 0) {
        m.text = u"message %1: a longer one, which wraps over several lines in the bubble because people "
                 "sometimes write a whole paragraph about what they did at the weekend, and the view has "
                 "to lay that out too"_s.arg(number);
    } else {
        m.text = u"message %1 with some ordinary chat text"_s.arg(number);
    }
    m.status = m.outgoing ? DeliveryStatus::Read : DeliveryStatus::Sent;
    return m;
}

bool fillCache(const QString &path, const QString &account, const QString &server, int total, QTextStream &out)
{
    LocalCache cache;
    if (!cache.open(path, account, server)) {
        out << "cannot open the cache: " << cache.lastError() << Qt::endl;
        return false;
    }
    RoomSummary room;
    room.key = roomKey;
    room.id = 42;
    room.kind = RoomKind::Group;
    room.name = u"Weekend plans"_s;
    room.lastActivity = QDateTime::currentDateTimeUtc();
    RoomSummary other = room;
    other.key = u"7"_s;
    other.id = 7;
    other.name = u"Lunch"_s;
    if (!cache.saveRooms({room, other})
        || !cache.saveMessages(other.key, {benchMessage(1, QDateTime::currentDateTimeUtc())})) {
        out << "cannot save the room: " << cache.lastError() << Qt::endl;
        return false;
    }
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-(total / 900) - 1);
    QList<ChatMessage> batch;
    for (int i = 1; i <= total; ++i) {
        batch.append(benchMessage(i, start));
        if (batch.size() == 1000 || i == total) {
            if (!cache.saveMessages(roomKey, batch)) {
                out << "cannot save messages: " << cache.lastError() << Qt::endl;
                return false;
            }
            batch.clear();
        }
    }
    return true;
}

// A port nothing listens on: the account stays offline, as with a server that is down.
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 9;
    return probe.serverPort();
}

QQuickItem *delegateAt(QQuickItem *list, int index)
{
    QQuickItem *item = nullptr;
    QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, item), Q_ARG(int, index));
    return item;
}

int indexAt(QQuickItem *list, qreal y)
{
    int index = -1;
    QMetaObject::invokeMethod(list, "indexAt", Q_RETURN_ARG(int, index), Q_ARG(qreal, list->width() / 2),
                              Q_ARG(qreal, y));
    return index;
}

struct FrameStats
{
    double mean = 0;
    double p95 = 0;
    double max = 0;
    int over16 = 0;
    int over33 = 0;
    int frames = 0;
};

FrameStats statsOf(const std::vector<double> &swaps)
{
    std::vector<double> intervals;
    for (size_t i = 1; i < swaps.size(); ++i)
        intervals.push_back(swaps[i] - swaps[i - 1]);
    FrameStats stats;
    if (intervals.empty())
        return stats;
    stats.frames = int(intervals.size());
    double sum = 0;
    for (double interval : intervals) {
        sum += interval;
        stats.over16 += interval > 1000.0 / 60 ? 1 : 0;
        stats.over33 += interval > 1000.0 / 30 ? 1 : 0;
    }
    stats.mean = sum / double(intervals.size());
    std::sort(intervals.begin(), intervals.end());
    stats.p95 = intervals[std::min(intervals.size() - 1, size_t(double(intervals.size()) * 0.95))];
    stats.max = intervals.back();
    return stats;
}

QString ms(double value)
{
    return u"%1 ms"_s.arg(value, 0, 'f', 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int total = args.size() > 1 ? args.at(1).toInt() : 100000;
    const int scrollMessages = args.size() > 2 ? args.at(2).toInt() : 2000;
    const qreal step = args.size() > 3 ? args.at(3).toDouble() : 40;
    QTextStream out(stdout);

    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(u"settings"_s));
    // As the app: its style and font.
    QQuickStyle::setStyle(u"Material"_s);
    QFont font(u"Noto Sans"_s);
    font.setPointSize(10);
    QGuiApplication::setFont(font);

    desktop::DesktopApp desktopApp(dir.filePath(u"data"_s));
    desktop::AccountConfig config;
    config.id = u"bench"_s;
    config.serverUrl = QUrl(u"http://127.0.0.1:%1"_s.arg(closedPort()));
    config.dialect = u"rooms"_s;
    config.username = u"alice"_s;
    config.token = u"bench-token"_s;
    const QString storageDir = dir.filePath(u"accounts"_s);
    if (!QDir().mkpath(storageDir))
        return 1;

    // The cache file as ChatSession names and keys it.
    QElapsedTimer fillTimer;
    fillTimer.start();
    if (!fillCache(QDir(storageDir).filePath(config.id + u".sqlite"_s),
                   config.dialect + u':' + config.username + config.token.left(24), config.serverUrl.toString(),
                   total, out)) {
        return 1;
    }
    out << "fill: " << total << " messages in the cache: " << fillTimer.elapsed() << " ms" << Qt::endl;

    QElapsedTimer startTimer;
    startTimer.start();
    desktop::Account account(config, storageDir);
    if (!account.start()) {
        out << "account: " << account.lastError() << Qt::endl;
        return 1;
    }
    out << "account start (cache open, rooms): " << ms(double(startTimer.nsecsElapsed()) / 1e6) << Qt::endl;

    QQuickView view;
    view.setResizeMode(QQuickView::SizeRootObjectToView);
    view.resize(900, 720);
    view.setInitialProperties({{u"account"_s, QVariant::fromValue(&account)}});
    view.setSource(QUrl(u"qrc:/qt/qml/Natter/Ui/RoomPage.qml"_s));
    if (view.status() != QQuickView::Ready || !view.rootObject()) {
        for (const QQmlError &error : view.errors())
            out << error.toString() << Qt::endl;
        return 1;
    }
    FrameClock clock(&view);
    view.show();
    if (!waitUntil(&view, [&] { return !clock.swapsSince(0).empty(); }, 10000)) {
        out << "no frame was rendered" << Qt::endl;
        return 1;
    }
    QQuickItem *page = view.rootObject();
    auto *list = page->findChild<QQuickItem *>(u"messageList"_s);
    if (!list)
        return 1;
    out << "graphics API " << int(view.rendererInterface()->graphicsApi()) << " (QSGRendererInterface::GraphicsApi) on "
        << QGuiApplication::platformName() << Qt::endl;

    // Open the room: from setting the key to the newest message on screen.
    const auto newestShown = [&] {
        QQuickItem *newest = delegateAt(list, 0);
        return newest && newest->isVisible() && newest->property("messageId").toString() == QString::number(total);
    };
    const auto openRoom = [&](const QString &label) {
        const double openAt = clock.nowMs();
        const double openCpu = processCpuMs();
        page->setProperty("roomKey", roomKey);
        const double setAt = clock.nowMs();
        const double setCpu = processCpuMs() - openCpu;
        double shownAt = -1;
        waitUntil(&view, [&] {
            if (shownAt < 0 && newestShown()) {
                const std::vector<double> swaps = clock.swapsSince(setAt);
                if (!swaps.empty())
                    shownAt = swaps.front();
            }
            return shownAt >= 0;
        }, 10000);
        if (shownAt < 0) {
            out << "the newest message was not shown" << Qt::endl;
            return false;
        }
        const double shownCpu = processCpuMs() - openCpu;
        out << label << " → first frame with the newest page: " << ms(shownAt - openAt) << " wall, "
            << ms(shownCpu) << " CPU (of which bindings, model, delegates: " << ms(setAt - openAt) << " wall, "
            << ms(setCpu) << " CPU), " << list->property("count").toInt() << " rows loaded   (budget 100 ms)"
            << Qt::endl;
        return true;
    };
    if (!openRoom(u"open room (first)"_s))
        return 1;
    // Another room, then this one again: what every later room switch costs.
    page->setProperty("roomKey", u"7"_s);
    const double otherAt = clock.nowMs();
    waitUntil(&view, [&] { return !clock.swapsSince(otherAt).empty(); }, 10000);
    if (!openRoom(u"open room (again)"_s))
        return 1;

    // Scroll up through `scrollMessages` messages, `step` px per frame.
    const auto topIndex = [&] { return indexAt(list, list->property("contentY").toReal() + 1); };
    const double scrollStart = clock.nowMs();
    const double scrollCpu = processCpuMs();
    bool finished = false;
    QMetaObject::Connection driver = QObject::connect(&view, &QQuickWindow::frameSwapped, list, [&] {
        if (finished)
            return;
        if (topIndex() >= scrollMessages) {
            finished = true;
            return;
        }
        const qreal top = list->property("originY").toReal();
        const qreal y = list->property("contentY").toReal();
        list->setProperty("contentY", std::max(top, y - step));
        view.update();
    }, Qt::QueuedConnection);
    view.update();
    const bool reached = waitUntil(&view, [&] { return finished; }, 300000);
    QObject::disconnect(driver);
    const double scrollEnd = clock.nowMs();
    const double cpuPerFrame = (processCpuMs() - scrollCpu) / std::max(1, int(clock.swapsSince(scrollStart).size()));
    const FrameStats stats = statsOf(clock.swapsSince(scrollStart));
    out << "scroll up " << (reached ? scrollMessages : topIndex()) << " messages (" << step << " px a frame, "
        << stats.frames << " frames, " << ms(scrollEnd - scrollStart) << ", "
        << list->property("count").toInt() << " rows loaded): frame time mean " << ms(stats.mean) << ", p95 "
        << ms(stats.p95) << ", max " << ms(stats.max) << "; over 16.7 ms: " << stats.over16 << ", over 33 ms: "
        << stats.over33 << "; CPU per frame " << ms(cpuPerFrame) << Qt::endl;

    // And back down to the newest: "jump to newest".
    const double jumpAt = clock.nowMs();
    QMetaObject::invokeMethod(list, "positionViewAtBeginning");
    double jumpedAt = -1;
    waitUntil(&view, [&] {
        if (jumpedAt < 0 && newestShown()) {
            const std::vector<double> swaps = clock.swapsSince(jumpAt);
            if (!swaps.empty())
                jumpedAt = swaps.front();
        }
        return jumpedAt >= 0;
    }, 10000);
    out << "jump to newest → first frame: " << (jumpedAt < 0 ? u"not shown"_s : ms(jumpedAt - jumpAt)) << Qt::endl;
    return reached ? 0 : 1;
}
