// Catching up after a night offline: an account in 50 direct rooms that
// missed 5,000 messages (100 a room) reconnects. How long from connect until
// the client has every one of them, over how many sockets and how many bytes
// on the wire (both directions, HTTP and WebSocket), with the `natter` adapter
// (one socket, hello/sync, history pages where `more`) and with the `rooms`
// adapter (a socket per room; on its own it fetches the newest page of each,
// so here each room re-walks its history, 20 a page as spec 003 pages, until
// it has every missed message: what a client must do to have them all).
//
// The server runs in this process (TestServer on SQLite); the client reaches
// it through a byte-counting TCP relay of this program's own, so the figures
// are what crossed the wire. Each dialect: 5 runs, p50 and all runs printed.
//
//   bench_catchup [rooms] [messages-per-room] [runs]

#include "backendfactory.h"
#include "backendtesting.h"
#include "hub.h"
#include "testserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <algorithm>
#include <cstdio>

using namespace natter;
using namespace Qt::StringLiterals;

namespace {

// Forwards every connection to the server and counts what passes.
class CountingRelay : public QTcpServer
{
public:
    explicit CountingRelay(quint16 target) : m_target(target) { }
    qint64 bytes = 0;
    int connections = 0;
    void reset() { bytes = 0; connections = 0; }

protected:
    void incomingConnection(qintptr handle) override
    {
        ++connections;
        auto *client = new QTcpSocket(this);
        client->setSocketDescriptor(handle);
        auto *server = new QTcpSocket(this);
        server->connectToHost(QHostAddress::LocalHost, m_target);
        auto pump = [this](QTcpSocket *from, QTcpSocket *to) {
            const QByteArray data = from->readAll();
            bytes += data.size();
            to->write(data);
        };
        connect(client, &QTcpSocket::readyRead, this, [=] {
            if (server->state() == QAbstractSocket::ConnectedState)
                pump(client, server);
        });
        connect(server, &QTcpSocket::connected, this, [=] { pump(client, server); });
        connect(server, &QTcpSocket::readyRead, this, [=] { pump(server, client); });
        connect(client, &QTcpSocket::disconnected, server, &QTcpSocket::disconnectFromHost);
        connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(server, &QTcpSocket::disconnected, server, &QObject::deleteLater);
    }

private:
    quint16 m_target;
};

struct Run
{
    qint64 ms = 0;
    int sockets = 0;
    qint64 bytes = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int roomCount = args.size() > 1 ? args[1].toInt() : 50;
    const int perRoom = args.size() > 2 ? args[2].toInt() : 100;
    const int runs = args.size() > 3 ? args[3].toInt() : 5;

    server::ServerConfig config = test::TestServer::defaultConfig();
    config.maxConnectionsPerUser = 0;
    config.maxConnectionsPerAddress = 0;
    test::TestServer server(config);
    if (!server.start())
        return 1;
    CountingRelay relay(server.server().port());
    if (!relay.listen(QHostAddress::LocalHost, 0))
        return 1;
    server::Hub &hub = server.server().hub();

    const test::Account alice = server.registerUser(u"alice"_s);
    QList<QPair<qint64, qint64>> rooms; // room id, peer id
    for (int i = 0; i < roomCount; ++i) {
        const test::Account peer = server.registerUser(u"peer%1"_s.arg(i));
        const auto room = hub.openDirectRoom(peer.id, alice.id);
        if (!room)
            return 1;
        rooms.append({room->room.id, peer.id});
    }
    auto post = [&](int round) {
        for (int n = 0; n < perRoom; ++n) {
            for (const auto &[roomId, peerId] : std::as_const(rooms)) {
                server::NewMessage message;
                message.roomId = roomId;
                message.senderId = peerId;
                message.body = u"round %1 message %2: what happened while you were away"_s.arg(round).arg(n);
                if (hub.postMessageNow(message).result != server::PostOutcome::Result::Posted)
                    std::exit(1);
            }
        }
    };

    std::printf("%d rooms, %d missed messages each (%d in all), %d runs per dialect\n", roomCount, perRoom,
                roomCount * perRoom, runs);
    const QStringList dialects{u"natter"_s, u"rooms"_s};
    for (const QString &dialect : dialects) {
        client::Backend::Settings settings = test::passwordSignIn(server, u"alice"_s);
        QUrl relayed = settings.serverUrl;
        relayed.setPort(relay.serverPort());
        settings.serverUrl = relayed;
        std::unique_ptr<client::Backend> backend = client::makeBackend(dialect, settings);
        QSet<QString> seen;
        QObject::connect(backend.get(), &client::Backend::messageReceived,
                         [&seen](const client::ChatMessage &message) { seen.insert(message.id); });
        QObject::connect(backend.get(), &client::Backend::historyLoaded,
                         [&seen](const QString &, const QList<client::ChatMessage> &messages, bool) {
            for (const client::ChatMessage &message : messages)
                seen.insert(message.id);
        });
        // rooms: every room walks its pages once it is subscribed again.
        bool walking = false;
        QHash<QString, int> pages;
        const int pagesNeeded = (perRoom + 19) / 20;
        if (dialect == u"rooms") {
            QObject::connect(backend.get(), &client::Backend::subscribed, [&](const QString &room) {
                if (!walking)
                    return;
                pages[room] = 0;
                backend->loadHistory(room, QString(), 20);
            });
            QObject::connect(backend.get(), &client::Backend::historyLoaded,
                             [&](const QString &room, const QList<client::ChatMessage> &, bool complete) {
                if (walking && !complete && ++pages[room] < pagesNeeded)
                    backend->loadHistory(room, u"999999999"_s, 20); // the next page back
            });
        }
        // As the app does after every (re)connect: follow every room.
        QObject::connect(backend.get(), &client::Backend::connected, [&] {
            if (!walking)
                return;
            for (const auto &[roomId, peerId] : std::as_const(rooms))
                backend->subscribe(QString::number(roomId));
        });
        // First connection: follow every room, take what is there.
        backend->connectToServer();
        if (!test::waitConnected(*backend, 15000))
            return 1;
        for (const auto &[roomId, peerId] : std::as_const(rooms))
            backend->subscribe(QString::number(roomId));
        QSignalSpy subscribed(backend.get(), &client::Backend::subscribed);
        if (!QTest::qWaitFor([&] { return subscribed.size() >= roomCount; }, 30000))
            return 1;
        QList<Run> results;
        for (int run = 0; run < runs; ++run) {
            backend->disconnectFromServer();
            QTest::qWait(100); // let the server see the sockets go
            post(run);
            seen.clear();
            relay.reset();
            QElapsedTimer clock;
            clock.start();
            walking = true;
            backend->connectToServer();
            const int wanted = roomCount * perRoom;
            if (!QTest::qWaitFor([&] { return seen.size() >= wanted; }, 120000)) {
                std::printf("%s: run %d got %lld of %d (%lld rooms walking)\n", qPrintable(dialect), run,
                            qlonglong(seen.size()), wanted, qlonglong(pages.size()));
                return 1;
            }
            results.append({clock.elapsed(), relay.connections, relay.bytes});
            walking = false;
            QTest::qWait(200); // what is still on its way counts for nothing
        }
        backend->disconnectFromServer();
        std::vector<qint64> times;
        for (const Run &r : std::as_const(results)) {
            times.push_back(r.ms);
            std::printf("  %-6s %6lld ms  %3d sockets  %9lld bytes\n", qPrintable(dialect), qlonglong(r.ms),
                        r.sockets, qlonglong(r.bytes));
        }
        std::sort(times.begin(), times.end());
        const Run &last = results.last();
        std::printf("%-6s p50 %lld ms, %d sockets, %.1f KiB on the wire\n", qPrintable(dialect),
                    qlonglong(times[times.size() / 2]), last.sockets, double(last.bytes) / 1024.0);
    }
    return 0;
}
