// LAN discovery: the beacon's wire form and what it refuses, an announcer and
// a browser talking over loopback on a port of the test's own, dedup by
// server id, expiry, and manual hosts probed against a real server. The
// model runs under QAbstractItemModelTester throughout.

#include "discoveredservermodel.h"
#include "lanannouncer.h"
#include "lanbeacon.h"
#include "lanserverid.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace natter::discovery;
using Model = DiscoveredServerModel;

namespace {

constexpr std::chrono::milliseconds shortInterval{100};

LanBeacon sampleBeacon(const QString &id = u"3f0c2a4e-9a51-4d57-8d3c-1f1a2b3c4d5e"_s)
{
    LanBeacon beacon;
    beacon.id = id;
    beacon.name = u"Office box"_s;
    beacon.port = 8123;
    beacon.dialects = {u"rooms"_s, u"cable"_s};
    beacon.paths = {{u"rooms"_s, u"/ws/chat"_s}, {u"cable"_s, u"/cable"_s}};
    return beacon;
}

// A browser on a port the OS picks, with a short beacon interval.
struct LoopbackBrowser
{
    LoopbackBrowser()
        : model(DiscoveryChannel{DiscoveryChannel::defaultGroup(), 0, shortInterval})
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    {
    }
    bool start() { return model.start() && model.browser().boundPort() != 0; }
    DiscoveryChannel channel() const
    {
        return {DiscoveryChannel::defaultGroup(), model.browser().boundPort(), shortInterval};
    }
    QVariant at(int row, int role) const { return model.index(row).data(role); }

    Model model;
    QAbstractItemModelTester tester;
};

// `natter --headless` on 127.0.0.1 and a port the OS picks; the port it prints.
quint16 startHeadless(QProcess &process, const QString &dataDir, const QStringList &extra)
{
    process.start(qEnvironmentVariable("NATTER_BINARY"),
                  QStringList{u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, dataDir} + extra);
    if (!process.waitForStarted(5000))
        return 0;
    static const QRegularExpression line(u"^Natter server listening on http://127\\.0\\.0\\.1:(\\d+)\\s*$"_s);
    QDeadlineTimer deadline(20000);
    while (!process.canReadLine() && !deadline.hasExpired())
        process.waitForReadyRead(static_cast<int>(deadline.remainingTime()));
    const auto match = line.match(QString::fromUtf8(process.readLine()));
    return match.hasMatch() ? static_cast<quint16>(match.captured(1).toUInt()) : 0;
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort(); // closed again when `server` goes
}

} // namespace

class tst_LanDiscovery : public QObject
{
    Q_OBJECT
private slots:
    void beaconRoundTrip();
    void beaconWithoutPaths();
    void beaconCarriesTheTlsFingerprint();
    void beaconRejects_data();
    void beaconRejects();
    void serverIdIsKept();

    void announcedServerAppears();
    void oneRowPerServerId();
    void junkDatagramsAreIgnored();
    void serverExpiresWhenItStopsAnnouncing();

    void manualHostIsProbedReachable();
    void manualHostOnClosedPortIsUnreachable();
    void manualHostListProperty();

    void headlessServerIsHeardByModelAndDiscover();
};

void tst_LanDiscovery::beaconRoundTrip()
{
    const LanBeacon beacon = sampleBeacon();
    const QByteArray wire = beacon.encode();
    QVERIFY(wire.startsWith("{"));
    QVERIFY(wire.contains("\"natter\":1"));
    QVERIFY(!wire.contains("host")); // receivers take it from the datagram
    const auto decoded = LanBeacon::decode(wire);
    QVERIFY(decoded);
    QCOMPARE(*decoded, beacon);
}

void tst_LanDiscovery::beaconWithoutPaths()
{
    LanBeacon beacon = sampleBeacon();
    beacon.paths.clear();
    QVERIFY(!beacon.encode().contains("paths"));
    const auto decoded = LanBeacon::decode(beacon.encode());
    QVERIFY(decoded);
    QVERIFY(decoded->paths.isEmpty());
}

void tst_LanDiscovery::beaconCarriesTheTlsFingerprint()
{
    LanBeacon beacon = sampleBeacon();
    QVERIFY(!beacon.encode().contains("tls")); // plain HTTP: nothing said
    beacon.tlsFingerprint = QCryptographicHash::hash("certificate", QCryptographicHash::Sha256);
    QVERIFY(beacon.encode().contains(QByteArray("\"tls\":\"" + beacon.tlsFingerprint.toHex() + '"')));
    const auto decoded = LanBeacon::decode(beacon.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->tlsFingerprint, beacon.tlsFingerprint);
}

void tst_LanDiscovery::beaconRejects_data()
{
    QTest::addColumn<QByteArray>("datagram");
    const QByteArray good = sampleBeacon().encode();
    const auto with = [&good](const char *key, const QJsonValue &value) {
        QJsonObject object = QJsonDocument::fromJson(good).object();
        if (value.isUndefined())
            object.remove(QString::fromLatin1(key));
        else
            object.insert(QString::fromLatin1(key), value);
        return QJsonDocument(object).toJson(QJsonDocument::Compact);
    };
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("hello natter");
    QTest::newRow("truncated JSON") << good.left(good.size() - 3);
    QTest::newRow("array") << QByteArray("[1,2,3]");
    QTest::newRow("other service's JSON") << QByteArray(R"({"service":"printer","port":631})");
    QTest::newRow("version 2") << with("natter", 2);
    QTest::newRow("version as text") << with("natter", u"1"_s);
    QTest::newRow("no version") << with("natter", QJsonValue::Undefined);
    QTest::newRow("no port") << with("port", QJsonValue::Undefined);
    QTest::newRow("port 0") << with("port", 0);
    QTest::newRow("port too big") << with("port", 70000);
    QTest::newRow("port fraction") << with("port", 80.5);
    QTest::newRow("port as text") << with("port", u"8000"_s);
    QTest::newRow("no id") << with("id", QJsonValue::Undefined);
    QTest::newRow("empty name") << with("name", u"  "_s);
    QTest::newRow("long name") << with("name", QString(101, u'n'));
    QTest::newRow("no dialects") << with("dialects", QJsonArray());
    QTest::newRow("dialect not text") << with("dialects", QJsonArray{1});
    QTest::newRow("dialect with spaces") << with("dialects", QJsonArray{u"rooms and more"_s});
    QTest::newRow("paths not object") << with("paths", u"/ws"_s);
    QTest::newRow("relative path") << with("paths", QJsonObject{{u"rooms"_s, u"ws/chat"_s}});
    QTest::newRow("tls not text") << with("tls", true);
    QTest::newRow("tls short") << with("tls", u"abcd"_s);
    QTest::newRow("tls not hex") << with("tls", QString(64, u'z'));
    // Valid JSON, but larger than any beacon may be.
    QTest::newRow("oversize") << with("padding", QString(LanBeacon::maxDatagramBytes, u'x'));
}

void tst_LanDiscovery::beaconRejects()
{
    QFETCH(QByteArray, datagram);
    QVERIFY(!LanBeacon::decode(datagram));
}

void tst_LanDiscovery::serverIdIsKept()
{
    QTemporaryDir dir;
    const QString first = LanServerId::loadOrCreate(dir.path());
    QVERIFY(!QUuid::fromString(first).isNull());
    QCOMPARE(LanServerId::loadOrCreate(dir.path()), first);
    QTemporaryDir other;
    QVERIFY(LanServerId::loadOrCreate(other.path()) != first);
}

void tst_LanDiscovery::announcedServerAppears()
{
    LoopbackBrowser browser;
    QVERIFY2(browser.start(), qPrintable(browser.model.errorString()));
    QVERIFY(browser.model.isListening());

    LanAnnouncer announcer(sampleBeacon(), browser.channel());
    announcer.setServerAddress(QHostAddress::LocalHost); // heard only on this machine
    QSignalSpy rounds(&announcer, &LanAnnouncer::announced);
    QVERIFY2(announcer.start(), qPrintable(announcer.errorString()));
    QCOMPARE(rounds.size(), 1); // once at once, not after the first interval
    QVERIFY(rounds.at(0).at(0).toInt() >= 1);

    QTRY_COMPARE(browser.model.rowCount(), 1);
    QCOMPARE(browser.at(0, Model::NameRole).toString(), u"Office box"_s);
    QCOMPARE(browser.at(0, Model::HostRole).toString(), u"127.0.0.1"_s);
    QCOMPARE(browser.at(0, Model::PortRole).toInt(), 8123);
    QCOMPARE(browser.at(0, Model::DialectsRole).toStringList(), (QStringList{u"rooms"_s, u"cable"_s}));
    QCOMPARE(browser.at(0, Model::UrlRole).toUrl(), QUrl(u"http://127.0.0.1:8123"_s));
    QCOMPARE(browser.at(0, Model::ManualRole).toBool(), false);
    QCOMPARE(browser.at(0, Model::ReachableRole).toBool(), true);
    QCOMPARE(browser.at(0, Model::PathsRole).toMap().value(u"rooms"_s).toString(), u"/ws/chat"_s);
    QVERIFY(browser.at(0, Model::LastSeenRole).toDateTime().isValid());
    QCOMPARE(browser.model.roleNames().value(Model::ReachableRole), QByteArrayLiteral("reachable"));

    // It keeps announcing every interval; the row is refreshed, not repeated.
    const QDateTime firstSeen = browser.at(0, Model::LastSeenRole).toDateTime();
    QTRY_VERIFY(browser.at(0, Model::LastSeenRole).toDateTime() > firstSeen);
    QVERIFY(rounds.size() >= 2);
    QCOMPARE(browser.model.rowCount(), 1);
}

void tst_LanDiscovery::oneRowPerServerId()
{
    LoopbackBrowser browser;
    QVERIFY(browser.start());
    // The same server heard on every interface at once (multicast and
    // broadcast, loopback and LAN) and a second one.
    LanAnnouncer everywhere(sampleBeacon(), browser.channel());
    LanAnnouncer loopbackOnly(sampleBeacon(), browser.channel());
    loopbackOnly.setServerAddress(QHostAddress::LocalHost);
    LanBeacon otherServer = sampleBeacon(u"another-server"_s);
    otherServer.name = u"Lab"_s;
    LanAnnouncer other(otherServer, browser.channel());
    other.setServerAddress(QHostAddress::LocalHost);
    QVERIFY(everywhere.start());
    QVERIFY(loopbackOnly.start());
    QVERIFY(other.start());

    QTRY_COMPARE(browser.model.rowCount(), 2);
    QSignalSpy rounds(&everywhere, &LanAnnouncer::announced);
    QVERIFY(rounds.wait());
    QVERIFY(rounds.wait());
    QCOMPARE(browser.model.rowCount(), 2);
    QStringList names{browser.at(0, Model::NameRole).toString(), browser.at(1, Model::NameRole).toString()};
    names.sort();
    QCOMPARE(names, (QStringList{u"Lab"_s, u"Office box"_s}));

    // Heard on a second address: still one row, at the address heard first.
    const int office = browser.at(0, Model::NameRole) == u"Office box"_s ? 0 : 1;
    const QString host = browser.at(office, Model::HostRole).toString();
    QSignalSpy changed(&browser.model, &Model::dataChanged);
    browser.model.addBeacon(sampleBeacon(), QHostAddress(u"192.0.2.77"_s));
    QCOMPARE(browser.model.rowCount(), 2);
    QCOMPARE(browser.at(office, Model::HostRole).toString(), host);
    QVERIFY(!changed.isEmpty());
}

void tst_LanDiscovery::junkDatagramsAreIgnored()
{
    LoopbackBrowser browser;
    QVERIFY(browser.start());
    QUdpSocket sender;
    const quint16 port = browser.model.browser().boundPort();
    for (const QByteArray &junk : {QByteArray("junk"), QByteArray(R"({"natter":9})"),
                                   QByteArray(LanBeacon::maxDatagramBytes + 500, '{')})
        QCOMPARE(sender.writeDatagram(junk, QHostAddress::LocalHost, port), junk.size());
    // A good beacon sent after the junk arrives after it: by then the junk was read and dropped.
    const QByteArray good = sampleBeacon().encode();
    QCOMPARE(sender.writeDatagram(good, QHostAddress::LocalHost, port), good.size());
    QTRY_COMPARE(browser.model.rowCount(), 1);
    QCOMPARE(browser.at(0, Model::NameRole).toString(), u"Office box"_s);
}

void tst_LanDiscovery::serverExpiresWhenItStopsAnnouncing()
{
    LoopbackBrowser browser;
    QVERIFY(browser.start());
    QVERIFY(browser.model.addManualHost(u"127.0.0.1:%1"_s.arg(closedPort())));
    LanAnnouncer announcer(sampleBeacon(), browser.channel());
    announcer.setServerAddress(QHostAddress::LocalHost);
    QVERIFY(announcer.start());
    QTRY_COMPARE(browser.model.rowCount(), 2);

    QElapsedTimer sinceStop;
    announcer.stop();
    sinceStop.start();
    QSignalSpy removed(&browser.model, &Model::rowsRemoved);
    QTRY_COMPARE(browser.model.rowCount(), 1);
    // Dropped after about three missed beacons: not at once, not much later.
    QVERIFY2(sinceStop.elapsed() >= 2 * shortInterval.count(), qPrintable(QString::number(sinceStop.elapsed())));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(browser.at(0, Model::ManualRole).toBool(), true); // manual rows never expire

    // Announcing again brings it back.
    QVERIFY(announcer.start());
    QTRY_COMPARE(browser.model.rowCount(), 2);
}

void tst_LanDiscovery::manualHostIsProbedReachable()
{
    natter::test::TestServer server;
    QVERIFY(server.start());
    LoopbackBrowser browser; // not listening: manual hosts work without it
    const QString host = u"127.0.0.1:%1"_s.arg(server.server().port());
    QSignalSpy listChanged(&browser.model, &Model::manualHostsChanged);
    QVERIFY(browser.model.addManualHost(host));
    QCOMPARE(listChanged.size(), 1);
    QCOMPARE(browser.model.manualHosts(), QStringList{host});
    QCOMPARE(browser.model.rowCount(), 1);
    QCOMPARE(browser.at(0, Model::ManualRole).toBool(), true);
    QCOMPARE(browser.at(0, Model::CheckingRole).toBool(), true);
    QCOMPARE(browser.at(0, Model::HostRole).toString(), u"127.0.0.1"_s);
    QCOMPARE(browser.at(0, Model::PortRole).toInt(), server.server().port());
    QCOMPARE(browser.at(0, Model::UrlRole).toUrl(), server.server().baseUrl());

    QTRY_COMPARE(browser.at(0, Model::CheckingRole).toBool(), false);
    QCOMPARE(browser.at(0, Model::ReachableRole).toBool(), true);
    QVERIFY(browser.at(0, Model::LastSeenRole).toDateTime().isValid());

    // The same host again is not a second row.
    QVERIFY(browser.model.addManualHost(u" 127.0.0.1:%1 "_s.arg(server.server().port())));
    QCOMPARE(browser.model.rowCount(), 1);

    // The server goes away; asking again says so.
    server.server().stop();
    browser.model.probeManualHosts();
    QTRY_COMPARE(browser.at(0, Model::CheckingRole).toBool(), false);
    QCOMPARE(browser.at(0, Model::ReachableRole).toBool(), false);
}

void tst_LanDiscovery::manualHostOnClosedPortIsUnreachable()
{
    LoopbackBrowser browser;
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    QVERIFY(browser.model.addManualHost(u"127.0.0.1:%1"_s.arg(port)));
    QSignalSpy changed(&browser.model, &Model::dataChanged);
    QTRY_COMPARE(browser.at(0, Model::CheckingRole).toBool(), false);
    QCOMPARE(browser.at(0, Model::ReachableRole).toBool(), false);
    QVERIFY(!browser.at(0, Model::LastSeenRole).toDateTime().isValid());
    QVERIFY(!changed.isEmpty());
}

void tst_LanDiscovery::manualHostListProperty()
{
    LoopbackBrowser browser;
    browser.model.probe().setTimeout(std::chrono::milliseconds(200));
    QVERIFY(!browser.model.addManualHost(u""_s));
    QVERIFY(!browser.model.addManualHost(u"host:0"_s));
    QVERIFY(!browser.model.addManualHost(u"host:99999"_s));
    QVERIFY(!browser.model.addManualHost(u"two words:80"_s));
    QVERIFY(!browser.model.addManualHost(u"[::1:80"_s));
    QCOMPARE(browser.model.rowCount(), 0);

    QSignalSpy listChanged(&browser.model, &Model::manualHostsChanged);
    const QVariant asProperty = QVariant(QStringList{u"Office.local"_s, u"[::1]:9000"_s, u"not a host"_s,
                                                     u"10.0.0.5:8080"_s});
    QVERIFY(browser.model.setProperty("manualHosts", asProperty));
    QCOMPARE(listChanged.size(), 1);
    // Canonical spelling: lower case, the default port filled in.
    const QStringList expected{u"office.local:8000"_s, u"[::1]:9000"_s, u"10.0.0.5:8080"_s};
    QCOMPARE(browser.model.property("manualHosts").toStringList(), expected);
    QCOMPARE(browser.model.rowCount(), 3);
    QCOMPARE(browser.at(1, Model::UrlRole).toUrl(), QUrl(u"http://[::1]:9000"_s));

    browser.model.setManualHosts({u"10.0.0.5:8080"_s});
    QCOMPARE(listChanged.size(), 2);
    QCOMPARE(browser.model.manualHosts(), QStringList{u"10.0.0.5:8080"_s});
    browser.model.setManualHosts({u"10.0.0.5:8080"_s});
    QCOMPARE(listChanged.size(), 2); // nothing changed, nothing said

    browser.model.removeManualHost(u"10.0.0.5:8080"_s);
    QCOMPARE(browser.model.rowCount(), 0);
    QCOMPARE(listChanged.size(), 3);
}

void tst_LanDiscovery::headlessServerIsHeardByModelAndDiscover()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("NATTER_BINARY")), "NATTER_BINARY must name the built natter");
    LoopbackBrowser browser;
    QVERIFY(browser.start());
    const QString discoveryPort = QString::number(browser.model.browser().boundPort());

    // `natter discover` shares the test's UDP port (every listener does).
    QProcess discover;
    discover.start(qEnvironmentVariable("NATTER_BINARY"),
                   {u"discover"_s, u"--json"_s, u"--timeout"_s, u"8"_s, u"--discovery-port"_s, discoveryPort});
    QVERIFY(discover.waitForStarted(5000));

    // A silent server first: had it announced, its beacon would come before the other's.
    QTemporaryDir silentDir;
    QProcess silent;
    QVERIFY(startHeadless(silent, silentDir.path(),
                          {u"--no-announce"_s, u"--name"_s, u"silent"_s, u"--discovery-port"_s, discoveryPort}));
    QTemporaryDir dataDir;
    QProcess announced;
    const quint16 port = startHeadless(announced, dataDir.path(),
                                       {u"--name"_s, u"headless test"_s, u"--discovery-port"_s, discoveryPort});
    QVERIFY(port != 0);

    QTRY_COMPARE_WITH_TIMEOUT(browser.model.rowCount(), 1, 10000);
    QCOMPARE(browser.at(0, Model::NameRole).toString(), u"headless test"_s);
    QCOMPARE(browser.at(0, Model::HostRole).toString(), u"127.0.0.1"_s);
    QCOMPARE(browser.at(0, Model::PortRole).toInt(), port);
    QStringList dialects = browser.at(0, Model::DialectsRole).toStringList();
    dialects.sort();
    QCOMPARE(dialects, (QStringList{u"cable"_s, u"chats"_s, u"gateway"_s, u"natter"_s, u"rooms"_s, u"social"_s}));
    const QVariantMap paths = browser.at(0, Model::PathsRole).toMap();
    QCOMPARE(paths.value(u"rooms"_s).toString(), u"/ws/chat"_s);
    QCOMPARE(paths.value(u"gateway"_s).toString(), u"/gateway"_s);
    QVERIFY(QFile::exists(dataDir.filePath(u"lan-server-id"_s)));

    QVERIFY(discover.waitForFinished(20000));
    QCOMPARE(discover.exitCode(), 0);
    const QList<QByteArray> lines = discover.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 1);
    const QJsonObject heard = QJsonDocument::fromJson(lines.constFirst()).object();
    QCOMPARE(heard.value(u"name"_s).toString(), u"headless test"_s);
    QCOMPARE(heard.value(u"host"_s).toString(), u"127.0.0.1"_s);
    QCOMPARE(heard.value(u"port"_s).toInt(), port);
    QCOMPARE(heard.value(u"url"_s).toString(), u"http://127.0.0.1:%1"_s.arg(port));
    QCOMPARE(heard.value(u"dialects"_s).toArray().size(), 6);

    stopProcess(announced);
    stopProcess(silent);
}

QTEST_GUILESS_MAIN(tst_LanDiscovery)
#include "tst_landiscovery.moc"
