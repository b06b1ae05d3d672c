// The epoll event dispatcher keeps QAbstractEventDispatcher's contract:
// timers, posted events, cross-thread wake-ups and socket notifiers, with the
// reentrancy Qt's own dispatchers allow. Runs on it (the suite's main thread).

#include "epolleventdispatcher.h"
#include "servertestmain.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <vector>

using natter::engine::EpollEventDispatcher;

namespace {

EpollEventDispatcher *mainDispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// Counts its timer events; can run a nested loop inside one.
class TimerCounter : public QObject
{
public:
    int fired = 0;
    bool nestInFirst = false;
    bool killInEvent = false;
    int lastId = 0;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        ++fired;
        lastId = event->timerId();
        if (killInEvent)
            killTimer(event->timerId());
        if (nestInFirst && fired == 1) {
            QEventLoop nested;
            QTimer::singleShot(50, &nested, &QEventLoop::quit);
            nested.exec();
        }
    }
};

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(mainDispatcher(), "the suite's main thread should run on EpollEventDispatcher");
        QVERIFY(mainDispatcher()->isValid());
    }

    void singleShotsFireInDeadlineOrder()
    {
        QList<int> order;
        QTimer::singleShot(30, this, [&] { order << 30; });
        QTimer::singleShot(10, this, [&] { order << 10; });
        QTimer::singleShot(0, this, [&] { order << 0; });
        QTimer::singleShot(20, Qt::PreciseTimer, this, [&] { order << 20; });
        QTRY_COMPARE(order.size(), 4);
        QCOMPARE(order, (QList<int>{0, 10, 20, 30}));
    }

    void repeatingTimerKeepsFiringAndStops()
    {
        QTimer timer;
        timer.setInterval(5);
        int ticks = 0;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++ticks == 5)
                timer.stop();
        });
        timer.start();
        QTRY_VERIFY(!timer.isActive());
        QCOMPARE(ticks, 5);
        QTest::qWait(30); // a stopped timer fires no more
        QCOMPARE(ticks, 5);
    }

    void remainingTimeAndRegisteredTimers()
    {
        QTimer timer;
        timer.start(10'000);
        const int left = timer.remainingTime();
        QVERIFY2(left > 9'000 && left <= 10'000, qPrintable(QString::number(left)));
        const auto timers = mainDispatcher()->registeredTimers(&timer);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().interval, 10'000);
        timer.stop();
        QCOMPARE(mainDispatcher()->registeredTimers(&timer).size(), 0);
        QCOMPARE(mainDispatcher()->remainingTime(timers.first().timerId), -1);
    }

    void timerKilledInItsOwnEventFiresNoMore()
    {
        TimerCounter counter;
        counter.killInEvent = true;
        counter.startTimer(1);
        QTRY_COMPARE(counter.fired, 1);
        QTest::qWait(20);
        QCOMPARE(counter.fired, 1);
    }

    void timerIsNotReenteredFromANestedLoop()
    {
        TimerCounter counter;
        counter.nestInFirst = true;
        const int id = counter.startTimer(1);
        QTRY_VERIFY(counter.fired >= 2);
        counter.killTimer(id);
        // The nested loop ran 50 ms of 1 ms ticks; none of them was delivered inside it.
        QVERIFY2(counter.fired < 10, qPrintable(QString::number(counter.fired)));
    }

    void zeroTimersDoNotStarveSockets()
    {
        // A zero timer that restarts itself forever still lets socket events through.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QTimer busy;
        busy.setInterval(0);
        int spins = 0;
        connect(&busy, &QTimer::timeout, this, [&] { ++spins; });
        busy.start();
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(server.waitForNewConnection(5000) || server.hasPendingConnections());
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        busy.stop();
        QVERIFY(spins > 0);
    }

    void postedEventsAndWakeUpsFromAnotherThread()
    {
        QThread poster;
        QObject posterSide;
        posterSide.moveToThread(&poster);
        poster.start();
        int received = 0;
        QObject context;
        for (int i = 0; i < 1000; ++i) {
            QMetaObject::invokeMethod(&posterSide, [&context, &received] {
                QMetaObject::invokeMethod(&context, [&received] { ++received; }, Qt::QueuedConnection);
            });
        }
        QTRY_COMPARE(received, 1000);
        poster.quit();
        QVERIFY(poster.wait(5000));
    }

    void interruptFromAnotherThreadEndsABlockingPass()
    {
        EpollEventDispatcher *dispatcher = mainDispatcher();
        QThread interrupter;
        QObject interrupterSide;
        interrupterSide.moveToThread(&interrupter);
        interrupter.start();
        std::atomic<bool> interrupted{false};
        QTimer::singleShot(20, &interrupterSide, [dispatcher, &interrupted] {
            interrupted = true;
            dispatcher->interrupt();
        });
        QElapsedTimer clock;
        clock.start();
        // Nothing else is due for a minute; the interrupt ends the wait. A pass
        // may also end sooner (an event posted before), so wait for the
        // interrupt itself: quitting the thread before the single shot fired
        // left its timer behind (LeakSanitizer).
        QTimer far;
        far.start(60'000);
        while (!interrupted && clock.elapsed() < 30'000)
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
        QVERIFY2(clock.elapsed() < 30'000, "the pass waited for the far timer");
        interrupter.quit();
        QVERIFY(interrupter.wait(5000));
    }

    void manySocketsEchoAndLeaveNoWatches()
    {
        const qsizetype watchedBefore = mainDispatcher()->watchedDescriptorCount();
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        std::vector<std::unique_ptr<QTcpSocket>> served;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->write(socket->readAll()); });
                served.emplace_back(socket);
            }
        });
        constexpr int clientCount = 300;
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        int echoed = 0;
        for (int i = 0; i < clientCount; ++i) {
            auto client = std::make_unique<QTcpSocket>();
            QTcpSocket *raw = client.get();
            const QByteArray word = QByteArray::number(i) + '\n';
            connect(raw, &QTcpSocket::connected, raw, [raw, word] { raw->write(word); });
            connect(raw, &QTcpSocket::readyRead, raw, [raw, word, &echoed] {
                if (raw->canReadLine() && raw->readLine() == word)
                    ++echoed;
            });
            raw->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(client));
        }
        QTRY_COMPARE_WITH_TIMEOUT(echoed, clientCount, 20'000);
        QVERIFY(mainDispatcher()->watchedDescriptorCount() > watchedBefore + clientCount);
        clients.clear();
        served.clear();
        server.close();
        QTRY_COMPARE(mainDispatcher()->watchedDescriptorCount(), watchedBefore);
    }

    void notifierUnregisteredByAnotherOfTheSamePassIsNotFired()
    {
        // Two readable descriptors; whichever fires first deletes the other's notifier.
        int pipeA[2];
        int pipeB[2];
        QCOMPARE(::pipe(pipeA), 0);
        QCOMPARE(::pipe(pipeB), 0);
        QPointer<QSocketNotifier> a = new QSocketNotifier(pipeA[0], QSocketNotifier::Read);
        QPointer<QSocketNotifier> b = new QSocketNotifier(pipeB[0], QSocketNotifier::Read);
        int fired = 0;
        connect(a, &QSocketNotifier::activated, this, [&] { ++fired; delete b.data(); a->setEnabled(false); });
        connect(b, &QSocketNotifier::activated, this, [&] { ++fired; delete a.data(); b->setEnabled(false); });
        QCOMPARE(::write(pipeA[1], "x", 1), 1);
        QCOMPARE(::write(pipeB[1], "x", 1), 1);
        QTRY_COMPARE(fired, 1);
        QTest::qWait(20);
        QCOMPARE(fired, 1);
        delete a.data();
        delete b.data();
        for (int fd : {pipeA[0], pipeA[1], pipeB[0], pipeB[1]})
            ::close(fd);
    }

    void excludeSocketNotifiersHoldsSocketEventsBack()
    {
        int pipeFds[2];
        QCOMPARE(::pipe(pipeFds), 0);
        QSocketNotifier notifier(pipeFds[0], QSocketNotifier::Read);
        int fired = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            ++fired;
            notifier.setEnabled(false);
        });
        QCOMPARE(::write(pipeFds[1], "x", 1), 1);
        QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers);
        QCOMPARE(fired, 0);
        QTRY_COMPARE(fired, 1);
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
    }

    void aThreadOfItsOwnServesSockets()
    {
        // As the hosted server's thread: a QThread started on the dispatcher.
        QThread thread;
        auto *dispatcher = new EpollEventDispatcher;
        thread.setEventDispatcher(dispatcher);
        thread.start();
        QTcpServer *server = nullptr;
        quint16 port = 0;
        QMetaObject::invokeMethod(dispatcher, [&] {
            server = new QTcpServer;
            if (!server->listen(QHostAddress::LocalHost, 0))
                return;
            port = server->serverPort();
            QObject::connect(server, &QTcpServer::newConnection, server, [server] {
                QTcpSocket *socket = server->nextPendingConnection();
                QObject::connect(socket, &QTcpSocket::readyRead, socket,
                                 [socket] { socket->write(socket->readAll().toUpper()); });
            });
        }, Qt::BlockingQueuedConnection);
        QVERIFY(port != 0);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(5000));
        client.write("hello");
        QTRY_COMPARE(client.bytesAvailable(), 5);
        QCOMPARE(client.readAll(), QByteArray("HELLO"));
        QMetaObject::invokeMethod(dispatcher, [&] { delete server; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

NATTER_SERVER_TEST_MAIN(TestEpollDispatcher)

#include "tst_epolldispatcher.moc"
