// One desktop app per user: the SingleInstance handshake in one process, a
// socket left behind by a crash, and the real `natter` launched twice.

#include "singleinstance.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocalSocket>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using natter::desktop::SingleInstance;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

// What a crashed instance leaves: a bound socket file nobody listens on.
bool leaveStaleSocket(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (native.size() >= qsizetype(sizeof(address.sun_path)))
        return false;
    memcpy(address.sun_path, native.constData(), size_t(native.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0;
    ::close(fd);
    return bound && QFile::exists(path);
}

bool someoneListens(const QString &name)
{
    QLocalSocket probe;
    probe.connectToServer(name);
    const bool connected = probe.waitForConnected(500);
    probe.abort();
    return connected;
}

// `natter` (the desktop app) in its own XDG dirs, on the offscreen platform.
class DesktopProcess
{
public:
    explicit DesktopProcess(const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
        // Its warnings show up in the test log; no pipe can fill up.
        m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    }
    ~DesktopProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool start()
    {
        m_process.start(qEnvironmentVariable("NATTER_BINARY"), QStringList{});
        return m_process.waitForStarted(5000);
    }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
};
} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void firstListensAndSecondRaisesIt()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString name = dir.filePath(s("instance.socket"));

        SingleInstance first(name);
        QVERIFY2(first.listen(), qPrintable(first.errorString()));
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);

        SingleInstance second(name);
        const QStringList arguments{s("--hidden"), s("ünïcode argument")};
        QVERIFY(second.notifyRunningInstance(arguments));
        QVERIFY(raised.wait(5000));
        QCOMPARE(raised.size(), 1);
        QCOMPARE(raised.at(0).at(0).toStringList(), arguments);

        // A live instance is never taken over.
        QVERIFY(!second.listen());
        QVERIFY(!second.errorString().isEmpty());

        // And it keeps answering.
        QVERIFY(SingleInstance(name).notifyRunningInstance({}));
        QVERIFY(raised.wait(5000));
        QCOMPARE(raised.at(1).at(0).toStringList(), QStringList());
    }

    void nobodyToNotifyWhenAlone()
    {
        QTemporaryDir dir;
        SingleInstance lone(dir.filePath(s("instance.socket")));
        QVERIFY(!lone.notifyRunningInstance({s("--hidden")}, 500));
    }

    void silentOrGarbledClientsAreIgnored()
    {
        QTemporaryDir dir;
        const QString name = dir.filePath(s("instance.socket"));
        SingleInstance first(name);
        QVERIFY(first.listen());
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);

        QLocalSocket garbled;
        garbled.connectToServer(name);
        QVERIFY(garbled.waitForConnected(2000));
        garbled.write(QByteArray(64, '\xff') + '\n');
        QVERIFY(garbled.waitForBytesWritten(2000));
        QTRY_COMPARE(garbled.state(), QLocalSocket::UnconnectedState); // dropped by the first

        // A proper request after that still works.
        QVERIFY(SingleInstance(name).notifyRunningInstance({s("x")}));
        QVERIFY(raised.wait(5000));
        QCOMPARE(raised.size(), 1);
    }

    void staleSocketIsRecovered()
    {
        QTemporaryDir dir;
        const QString name = dir.filePath(s("instance.socket"));
        QVERIFY(leaveStaleSocket(name));
        QVERIFY(!someoneListens(name));

        SingleInstance next(name);
        QVERIFY(!next.notifyRunningInstance({}, 500));
        QVERIFY2(next.listen(), qPrintable(next.errorString()));
        QSignalSpy raised(&next, &SingleInstance::raiseRequested);
        QVERIFY(SingleInstance(name).notifyRunningInstance({}));
        QVERIFY(raised.wait(5000));
    }

    void claimMakesOneFirstAndHandsOverAfterwards()
    {
        QTemporaryDir dir;
        const QString name = dir.filePath(s("instance.socket"));
        SingleInstance first(name);
        QCOMPARE(first.claim({}), SingleInstance::Claim::First);
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);

        SingleInstance second(name);
        QCOMPARE(second.claim({s("--hidden")}), SingleInstance::Claim::HandedOver);
        QVERIFY(raised.wait(5000));
        QCOMPARE(raised.at(0).at(0).toStringList(), QStringList{s("--hidden")});
        // The lock is released after each claim.
        QVERIFY(!QFile::exists(name + s(".lock")));
    }

    void defaultNameIsInTheRuntimeDir()
    {
        QTemporaryDir runtime;
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
        const QString name = SingleInstance::defaultServerName();
        qunsetenv("XDG_RUNTIME_DIR");
        QCOMPARE(QFileInfo(name).absolutePath(), QFileInfo(runtime.path()).absoluteFilePath());
    }

    // The real app: a second launch exits 0 at once and the first stays; after
    // the first is killed (socket left behind) the next launch takes over.
    void secondLaunchHandsOverToTheFirst()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("NATTER_BINARY")), "NATTER_BINARY must name the built natter");
        QTemporaryDir runtime, config, data;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(s("QT_QPA_PLATFORM"), s("offscreen"));
        environment.insert(s("XDG_RUNTIME_DIR"), runtime.path());
        environment.insert(s("XDG_CONFIG_HOME"), config.path());
        environment.insert(s("XDG_DATA_HOME"), data.path());
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(runtime.path()));
        const QString socketName = SingleInstance::defaultServerName();
        qunsetenv("XDG_RUNTIME_DIR");

        DesktopProcess first(environment);
        QVERIFY(first.start());
        QTRY_VERIFY_WITH_TIMEOUT(someoneListens(socketName), 30000);

        auto launchAgain = [&environment] {
            DesktopProcess again(environment);
            QVERIFY(again.start());
            QElapsedTimer clock;
            clock.start();
            QVERIFY2(again.process().waitForFinished(15000), "the second launch kept running");
            QCOMPARE(again.process().exitStatus(), QProcess::NormalExit);
            QCOMPARE(again.process().exitCode(), 0);
            qInfo("second launch ended after %lld ms", clock.elapsed());
        };
        launchAgain();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(first.process().state(), QProcess::Running);

        // Crash: SIGKILL leaves the socket file behind.
        first.process().kill();
        QVERIFY(first.process().waitForFinished(5000));
        QVERIFY(QFile::exists(socketName));
        QVERIFY(!someoneListens(socketName));

        DesktopProcess next(environment);
        QVERIFY(next.start());
        QTRY_VERIFY_WITH_TIMEOUT(someoneListens(socketName), 30000);
        launchAgain();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(next.process().state(), QProcess::Running);
    }
};

QTEST_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
