// The `natter` client adapter against Natter's embedded server: the sync on
// connect, catch-up after a reconnect (only what was missed, each message
// once, paged where the sync stopped), sends acked once (a re-send of the
// same client id is no second copy), stamps and locations, receipts turning
// our own messages read, typing and presence, and every request failing with
// a reason when the link goes.

#include "backendfactory.h"
#include "backendtesting.h"
#include "hub.h"
#include "natter/natterbackend.h"
#include "store.h"
#include "testserver.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::waitConnected;
using namespace Qt::StringLiterals;

class TestNatterBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    qint64 m_room = 0;

    std::unique_ptr<NatterBackend> connectAs(const QString &user)
    {
        auto backend = std::make_unique<NatterBackend>(test::passwordSignIn(*m_server, user));
        backend->connectToServer();
        if (!waitConnected(*backend, 10000))
            return nullptr;
        return backend;
    }
    void postFromBob(const QString &text)
    {
        server::NewMessage message;
        message.roomId = m_room;
        message.senderId = m_bob.id;
        message.body = text;
        QCOMPARE(m_server->server().hub().postMessageNow(message).result, server::PostOutcome::Result::Posted);
    }
    static OutgoingMessage text(qint64 room, const QString &clientId, const QString &body)
    {
        OutgoingMessage message;
        message.roomKey = QString::number(room);
        message.clientId = clientId;
        message.text = body;
        return message;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(u"alice"_s, u"Alice"_s);
        m_bob = m_server->registerUser(u"bob"_s, u"Bob"_s);
        const auto room = m_server->server().hub().openDirectRoom(m_alice.id, m_bob.id);
        QVERIFY(room);
        m_room = room->room.id;
    }
    void cleanup() { m_server.reset(); }

    void syncListsRoomsAndCatchesUpOnlyWhatWasMissed()
    {
        for (int i = 0; i < 3; ++i)
            postFromBob(u"before %1"_s.arg(i));
        auto alice = std::make_unique<NatterBackend>(test::passwordSignIn(*m_server, u"alice"_s));
        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        QSignalSpy received(alice.get(), &Backend::messageReceived);
        QSignalSpy caughtUp(alice.get(), &NatterBackend::caughtUp);
        alice->connectToServer();
        QVERIFY(caughtUp.wait(10000));
        QVERIFY(alice->can(Backend::Capability::RoomEvents));
        const QList<RoomSummary> rooms = listed.first().first().value<QList<RoomSummary>>();
        const auto direct = std::find_if(rooms.cbegin(), rooms.cend(),
                                         [this](const RoomSummary &r) { return r.id == m_room; });
        QVERIFY(direct != rooms.cend());
        QVERIFY(direct->kind == RoomKind::Direct);
        QCOMPARE(direct->other.username, u"bob"_s); // named after the other one
        QCOMPARE(direct->name, u"Bob"_s);
        QCOMPARE(received.size(), 3);
        QCOMPARE(received.first().first().value<ChatMessage>().roomKey, QString::number(m_room));
        QCOMPARE(received.first().first().value<ChatMessage>().sender.username, u"bob"_s);

        // Away: 250 more (more than a sync gives a room); back: exactly those, in order, once.
        alice->disconnectFromServer();
        for (int i = 0; i < 250; ++i)
            postFromBob(u"while away %1"_s.arg(i));
        received.clear();
        caughtUp.clear();
        alice->connectToServer();
        QVERIFY(caughtUp.wait(10000));
        QCOMPARE(received.size(), 250);
        for (int i = 0; i < 250; ++i)
            QCOMPARE(received.at(i).first().value<ChatMessage>().text, u"while away %1"_s.arg(i));
        QCOMPARE(alice->syncPagesFetched(), 2); // 100 in the sync, then 100 + 50 with history
    }

    void sendIsAckedOnceAndReceiptsTurnItRead()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice && bob);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy statuses(alice.get(), &Backend::statusChanged);
        QSignalSpy atBob(bob.get(), &Backend::messageReceived);
        alice->send(text(m_room, u"c-1"_s, u"hello"_s));
        QVERIFY(acked.wait());
        const ChatMessage stored = acked.first().at(1).value<ChatMessage>();
        QVERIFY(!stored.id.isEmpty());
        QVERIFY(stored.outgoing);
        // The same client id again (a retry after a lost ack): the same message, no second copy.
        alice->send(text(m_room, u"c-1"_s, u"hello"_s));
        QTRY_COMPARE(acked.size(), 2);
        QCOMPARE(acked.last().at(1).value<ChatMessage>().id, stored.id);
        QTRY_COMPARE(atBob.size(), 1);
        QCOMPARE(m_server->server().store().messageCount(m_room), 1);

        // Stamps and locations travel too.
        QSignalSpy stamps(bob.get(), &Backend::stampsLoaded);
        bob->loadStamps();
        QVERIFY(stamps.wait());
        const QList<Stamp> catalogue = stamps.first().first().value<QList<Stamp>>();
        QVERIFY(!catalogue.isEmpty());
        OutgoingMessage stamp = text(m_room, u"c-2"_s, {});
        stamp.kind = MessageKind::Stamp;
        stamp.stampId = catalogue.first().id;
        alice->send(stamp);
        OutgoingMessage here = text(m_room, u"c-3"_s, {});
        here.kind = MessageKind::Location;
        here.latitude = 52.5;
        here.longitude = 13.4;
        alice->send(here);
        QTRY_COMPARE(atBob.size(), 3);
        QCOMPARE(atBob.at(1).first().value<ChatMessage>().stampId, catalogue.first().id);
        QCOMPARE(atBob.at(2).first().value<ChatMessage>().latitude, 52.5);

        // Bob reads up to the location: all three of alice's turn read at her side.
        const ChatMessage last = atBob.at(2).first().value<ChatMessage>();
        bob->markStatus(last.roomKey, last.id, DeliveryStatus::Read);
        QTRY_COMPARE(statuses.size(), 3);
        for (const auto &args : std::as_const(statuses))
            QVERIFY(args.at(2).value<DeliveryStatus>() == DeliveryStatus::Read);
    }

    void typingAndPresence()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice);
        QSignalSpy presence(alice.get(), &Backend::presenceChanged);
        QSignalSpy typing(alice.get(), &Backend::typingChanged);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(bob);
        QTRY_VERIFY(std::any_of(presence.cbegin(), presence.cend(), [](const QList<QVariant> &args) {
            const Person who = args.first().value<Person>();
            return who.username == u"bob" && who.online;
        }));
        bob->setTyping(QString::number(m_room), true);
        QVERIFY(typing.wait());
        QCOMPARE(typing.first().at(0).toString(), QString::number(m_room));
        QCOMPARE(typing.first().at(1).value<Person>().username, u"bob"_s);
        QCOMPARE(typing.first().at(2).toBool(), true);
    }

    void requestsFailWhenTheLinkGoes()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(alice);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        alice->send(text(m_room, u"c-9"_s, u"into the void"_s));
        m_server->stop(); // before the ack can come
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().toString(), u"c-9"_s);
    }
};

QTEST_GUILESS_MAIN(TestNatterBackend)
#include "tst_natterbackend.moc"
