// The `rooms` client adapter against Natter's server: sign-in, room list,
// send with ack, receipts, typing, presence, history, reconnect and catch-up.

#include "backendtesting.h"
#include "rooms/roomsbackend.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::waitConnected;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
} // namespace

class TestRoomsBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    QString m_room;

    std::unique_ptr<RoomsBackend> signedIn(const QString &user, const QString &password = s("password123"))
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, user, password);
        return std::make_unique<RoomsBackend>(settings);
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"),
                                         QJsonObject{{s("participant"), m_bob.id}}, m_alice.token);
        QCOMPARE(room.status, 201);
        m_room = QString::number(room.json.value(s("id")).toInteger());
    }
    void cleanup() { m_server.reset(); }

    void signsInAndListsRooms()
    {
        auto alice = signedIn(s("alice"));
        QSignalSpy states(alice.get(), &Backend::connectionStateChanged);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QCOMPARE(alice->self().id, QString::number(m_alice.id));
        QVERIFY(alice->can(Backend::Capability::Receipts));
        QVERIFY(!alice->can(Backend::Capability::Stamps));

        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        alice->listRooms();
        QVERIFY(listed.wait());
        const auto rooms = listed.first().first().value<QList<RoomSummary>>();
        QCOMPARE(rooms.size(), 2);
        const auto direct = std::find_if(rooms.cbegin(), rooms.cend(), [this](const RoomSummary &r) { return r.key == m_room; });
        QVERIFY(direct != rooms.cend());
        QVERIFY(direct->kind == RoomKind::Direct);
        QCOMPARE(direct->name, s("Bob"));
        QCOMPARE(direct->other.id, QString::number(m_bob.id));
        QVERIFY(!direct->uuid.isEmpty());
    }

    // A room list that cannot be fetched is an error, never an empty list
    // (which would clear the rooms shown and cached).
    void failedRoomListIsNotAnEmptyList()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        QSignalSpy errors(alice.get(), &Backend::errorOccurred);
        m_server->stop();
        alice->listRooms();
        QTRY_VERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const QList<QVariant> &e) {
            return e.first().toString() == s("Could not load the room list");
        }));
        QCOMPARE(listed.count(), 0);
    }

    void wrongPasswordGivesUp()
    {
        auto alice = signedIn(s("alice"), s("not-the-password"));
        QSignalSpy errors(alice.get(), &Backend::errorOccurred);
        alice->connectToServer();
        QVERIFY(errors.wait());
        QVERIFY(errors.first().first().toString().contains(s("refused")));
        QTRY_VERIFY(alice->connectionState() == Backend::ConnectionState::Disconnected);
    }

    void sendAckReceiptsTypingPresence()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        alice->subscribe(m_room);
        bob->subscribe(m_room);
        QSignalSpy presence(alice.get(), &Backend::presenceChanged);
        QSignalSpy aliceSubscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QSignalSpy bobConnected(bob.get(), &Backend::connected);
        bob->connectToServer();
        QVERIFY(bobConnected.wait());
        QTRY_VERIFY(std::any_of(presence.cbegin(), presence.cend(), [this](const QList<QVariant> &args) {
            const auto who = args.first().value<Person>();
            return who.id == QString::number(m_bob.id) && who.online;
        }));

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QTRY_VERIFY(!aliceSubscribed.isEmpty());
        alice->send({m_room, {}, s("c-1"), MessageKind::Text, s("hi Bob"), {}, 0, 0});
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(0).toString(), s("c-1"));
        const auto stored = acked.first().at(1).value<ChatMessage>();
        QVERIFY(!stored.id.isEmpty());
        QVERIFY(stored.outgoing);
        QVERIFY(received.wait() || !received.isEmpty());
        const auto incoming = received.first().first().value<ChatMessage>();
        QCOMPARE(incoming.id, stored.id);
        QCOMPARE(incoming.text, s("hi Bob"));
        QCOMPARE(incoming.sender.username, s("alice"));
        QVERIFY(!incoming.outgoing);

        QSignalSpy status(alice.get(), &Backend::statusChanged);
        bob->markStatus(m_room, incoming.id, DeliveryStatus::Read);
        QVERIFY(status.wait());
        QCOMPARE(status.first().at(1).toString(), stored.id);
        QVERIFY(status.first().at(2).value<DeliveryStatus>() == DeliveryStatus::Read);

        QSignalSpy typing(bob.get(), &Backend::typingChanged);
        alice->setTyping(m_room, true);
        QVERIFY(typing.wait());
        QCOMPARE(typing.first().at(1).value<Person>().id, QString::number(m_alice.id));
        QCOMPARE(typing.first().at(2).toBool(), true);
    }

    void historyPagesOlderMessages()
    {
        for (int i = 0; i < 25; ++i)
            QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                    QJsonObject{{s("room"), m_room.toLongLong()}, {s("content"), QString::number(i)}},
                                    m_alice.token).status, 201);
        auto bob = signedIn(s("bob"));
        bob->connectToServer();
        QVERIFY(waitConnected(*bob));
        QSignalSpy history(bob.get(), &Backend::historyLoaded);
        bob->loadHistory(m_room, {}, 20);
        QVERIFY(history.wait());
        auto page = history.takeFirst().at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 20);
        QCOMPARE(page.first().text, s("24"));
        bob->loadHistory(m_room, page.last().id, 20);
        QVERIFY(history.wait());
        const auto args = history.takeFirst();
        page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 5);
        QCOMPARE(page.last().text, s("0"));
        QCOMPARE(args.at(2).toBool(), true);
    }

    void reconnectsAndCatchesUp()
    {
        auto alice = signedIn(s("alice"));
        // Slow enough that Bob's message lands before Alice is back: it must come from catch-up.
        alice->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(1500), std::chrono::milliseconds(1500), 1.0, 0.0);
        alice->subscribe(m_room);
        QSignalSpy subscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QTRY_VERIFY(!subscribed.isEmpty());
        QSignalSpy received(alice.get(), &Backend::messageReceived);

        m_server->stop();
        // Bob writes while Alice is away; the server comes back on the same port.
        QVERIFY(m_server->start());
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_room.toLongLong()}, {s("content"), s("while you were out")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(received.cbegin(), received.cend(), [](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == s("while you were out");
        }), 10000);
        // Subscribed again after the reconnect (the catch-up may land before the room link is back).
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.size(), 2, 10000);
    }
};

QTEST_GUILESS_MAIN(TestRoomsBackend)
#include "tst_roomsbackend.moc"
