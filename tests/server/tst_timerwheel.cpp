// The timer wheel: deadlines fire once, never early, in order; stop and
// restart work from anywhere, callbacks included; rounds beyond the wheel's
// span wait their turn; the wheel holds no Qt timer while nothing is pending.

#include "servertestmain.h"
#include "timerwheel.h"

#include <QElapsedTimer>
#include <QTest>
#include <memory>
#include <vector>

using natter::engine::TimerWheel;
using natter::engine::WheelDeadline;
using namespace std::chrono_literals;

class TestTimerWheel : public QObject
{
    Q_OBJECT

private slots:
    void firesOnceAndNeverEarly()
    {
        TimerWheel wheel;
        QElapsedTimer clock;
        qint64 firedAfter = -1;
        int fired = 0;
        WheelDeadline deadline([&] {
            ++fired;
            firedAfter = clock.elapsed();
        });
        clock.start();
        deadline.start(wheel, 50ms);
        QVERIFY(deadline.isActive());
        QTRY_COMPARE(fired, 1);
        QVERIFY2(firedAfter >= 50, qPrintable(QString::number(firedAfter)));
        QVERIFY(!deadline.isActive());
        QTest::qWait(60);
        QCOMPARE(fired, 1);
    }

    void deadlinesFireInOrder()
    {
        TimerWheel wheel;
        QList<int> order;
        WheelDeadline late([&] { order << 80; });
        WheelDeadline early([&] { order << 20; });
        WheelDeadline middle([&] { order << 50; });
        late.start(wheel, 80ms);
        early.start(wheel, 20ms);
        middle.start(wheel, 50ms);
        QTRY_COMPARE(order.size(), 3);
        QCOMPARE(order, (QList<int>{20, 50, 80}));
    }

    void stopAndRestart()
    {
        TimerWheel wheel;
        int stoppedFired = 0;
        int restartedFired = 0;
        QElapsedTimer clock;
        qint64 restartedAfter = -1;
        WheelDeadline stopped([&] { ++stoppedFired; });
        WheelDeadline restarted([&] {
            ++restartedFired;
            restartedAfter = clock.elapsed();
        });
        stopped.start(wheel, 20ms);
        restarted.start(wheel, 20ms);
        stopped.stop();
        QVERIFY(!stopped.isActive());
        clock.start();
        restarted.start(wheel, 60ms); // postponed, not doubled
        QCOMPARE(wheel.pendingCount(), 1);
        QTRY_COMPARE(restartedFired, 1);
        QVERIFY(restartedAfter >= 60);
        QTest::qWait(40);
        QCOMPARE(stoppedFired, 0);
        QCOMPARE(restartedFired, 1);
    }

    void callbacksMayRestartStopAndDestroy()
    {
        TimerWheel wheel(5ms);
        // A heartbeat: restarts itself from its own callback.
        int beats = 0;
        std::unique_ptr<WheelDeadline> heartbeat;
        heartbeat = std::make_unique<WheelDeadline>([&] {
            if (++beats < 5)
                heartbeat->start(wheel, 5ms);
        });
        heartbeat->start(wheel, 5ms);
        // Two due in the same tick: whichever fires first destroys the other.
        int pairFired = 0;
        std::unique_ptr<WheelDeadline> first;
        std::unique_ptr<WheelDeadline> second;
        first = std::make_unique<WheelDeadline>([&] { ++pairFired; second.reset(); });
        second = std::make_unique<WheelDeadline>([&] { ++pairFired; first.reset(); });
        first->start(wheel, 10ms);
        second->start(wheel, 10ms);
        // One destroys itself (its owner goes away from inside its own callback).
        int selfFired = 0;
        auto *self = new std::unique_ptr<WheelDeadline>;
        *self = std::make_unique<WheelDeadline>([&selfFired, self] { ++selfFired; delete self; });
        (*self)->start(wheel, 10ms);

        QTRY_COMPARE(beats, 5);
        QTRY_COMPARE(pairFired, 1);
        QTRY_COMPARE(selfFired, 1);
        QTRY_COMPARE(wheel.pendingCount(), 0);
    }

    void intervalsBeyondOneRoundWaitTheirRound()
    {
        TimerWheel wheel(5ms, 8); // one round = 40 ms
        QElapsedTimer clock;
        qint64 firedAfter = -1;
        WheelDeadline deadline([&] { firedAfter = clock.elapsed(); });
        clock.start();
        deadline.start(wheel, 130ms);
        QTRY_VERIFY(firedAfter >= 0);
        QVERIFY2(firedAfter >= 130, qPrintable(QString::number(firedAfter)));
    }

    void thousandsFireAndTheWheelGoesQuiet()
    {
        TimerWheel wheel;
        constexpr int count = 10'000;
        int fired = 0;
        std::vector<std::unique_ptr<WheelDeadline>> deadlines;
        deadlines.reserve(count);
        for (int i = 0; i < count; ++i) {
            deadlines.push_back(std::make_unique<WheelDeadline>([&fired] { ++fired; }));
            deadlines.back()->start(wheel, std::chrono::milliseconds(1 + i % 200));
        }
        QCOMPARE(wheel.pendingCount(), count);
        // One Qt timer for all of them.
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&wheel).size(), 1);
        QTRY_COMPARE(fired, count);
        QCOMPARE(wheel.pendingCount(), 0);
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&wheel).size(), 0);
    }

    void deadlinesOutlivingTheWheelAreInactive()
    {
        auto wheel = std::make_unique<TimerWheel>();
        int fired = 0;
        WheelDeadline deadline([&] { ++fired; });
        deadline.start(*wheel, 10ms);
        wheel.reset();
        QVERIFY(!deadline.isActive());
        deadline.stop(); // harmless
        QTest::qWait(30);
        QCOMPARE(fired, 0);
    }
};

NATTER_SERVER_TEST_MAIN(TestTimerWheel)

#include "tst_timerwheel.moc"
