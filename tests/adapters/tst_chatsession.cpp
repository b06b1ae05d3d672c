// ChatSession: the models the UI sits on, fed by a real adapter and server,
// with the cache showing the last state offline.

#include "backendtesting.h"
#include "chatsession.h"
#include "messagemodel.h"
#include "rooms/roomsbackend.h"
#include "store.h"
#include "roomlistmodel.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

int statusAt(const MessageModel &model, int row)
{
    return model.data(model.index(row), MessageModel::StatusRole).toInt();
}
QString textAt(const MessageModel &model, int row)
{
    return model.data(model.index(row), MessageModel::TextRole).toString();
}
} // namespace

class TestChatSession : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    Account m_alice;
    Account m_bob;
    QString m_room;

    std::unique_ptr<ChatSession> session(const QString &user, const QString &file)
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, user, s("password123"));
        return std::make_unique<ChatSession>(std::make_unique<RoomsBackend>(settings), m_dir.filePath(file));
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        m_room = QString::number(room.json.value(s("id")).toInteger());
    }
    void cleanup() { m_server.reset(); }

    void echoAckReceiptsAndIncoming()
    {
        auto alice = session(s("alice"), s("alice.db"));
        auto bob = session(s("bob"), s("bob.db"));
        QAbstractItemModelTester roomsTester(alice->rooms(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(alice->start());
        QVERIFY(bob->start());
        QTRY_COMPARE(alice->rooms()->count(), 2); // the direct room and the lobby
        QVERIFY(alice->rooms()->roomIndex(m_room) >= 0);

        MessageModel *aliceRoom = alice->openRoom(m_room);
        QAbstractItemModelTester aliceTester(aliceRoom, QAbstractItemModelTester::FailureReportingMode::QtTest);
        MessageModel *bobRoom = bob->openRoom(m_room);
        const QString clientId = alice->sendText(m_room, s("Hello Bob"));
        QVERIFY(!clientId.isEmpty());
        QCOMPARE(aliceRoom->count(), 1); // the local echo, at once
        QCOMPARE(textAt(*aliceRoom, 0), s("Hello Bob"));
        QVERIFY(statusAt(*aliceRoom, 0) == int(DeliveryStatus::Sending));

        // Bob's open room receives it and sends delivered + read; Alice's echo
        // becomes the server's message and its ticks advance to read.
        QTRY_COMPARE(bobRoom->count(), 1);
        QCOMPARE(bobRoom->data(bobRoom->index(0), MessageModel::SenderNameRole).toString(), s("Alice"));
        QTRY_COMPARE_WITH_TIMEOUT(statusAt(*aliceRoom, 0), int(DeliveryStatus::Read), 10000);
        QCOMPARE(aliceRoom->count(), 1); // merged, never duplicated
        QVERIFY(!aliceRoom->data(aliceRoom->index(0), MessageModel::MessageIdRole).toString().isEmpty());

        bob->sendText(m_room, s("Hi Alice"));
        QTRY_COMPARE(aliceRoom->count(), 2);
        QCOMPARE(textAt(*aliceRoom, 0), s("Hi Alice")); // newest first
        const int row = alice->rooms()->roomIndex(m_room);
        QCOMPARE(alice->rooms()->data(alice->rooms()->index(row), RoomListModel::LastMessageTextRole).toString(),
                 s("Hi Alice"));
    }

    // After a reconnect the adapter catches up from the room's newest page,
    // which holds what was seen before: that is not news again (the adapter
    // drops a message it delivered lately; the session would not count it twice
    // either), and what is new since comes once.
    void replayedMessagesAreNotNewsAgain()
    {
        auto alice = session(s("alice"), s("replay.db"));
        QVERIFY(alice->start());
        QTRY_VERIFY(alice->rooms()->roomIndex(m_room) >= 0);
        QSignalSpy arrived(alice.get(), &ChatSession::messageArrived);
        QSignalSpy received(&alice->backend(), &Backend::messageReceived);
        QTRY_VERIFY(alice->backend().canSendTo(m_room));

        auto bob = session(s("bob"), s("bob-replay.db"));
        QVERIFY(bob->start());
        QTRY_VERIFY(bob->backend().canSendTo(m_room));
        bob->sendText(m_room, s("only once"));
        QTRY_COMPARE(arrived.count(), 1);
        const auto unread = [&] {
            return alice->rooms()->data(alice->rooms()->index(alice->rooms()->roomIndex(m_room)),
                                        RoomListModel::UnreadCountRole).toInt();
        };
        QCOMPARE(unread(), 1);

        // The server goes away and comes back: the room link catches up.
        QSignalSpy subscribed(&alice->backend(), &Backend::subscribed);
        QVERIFY(m_server->restart());
        QTRY_VERIFY_WITH_TIMEOUT(!subscribed.isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(bob->backend().canSendTo(m_room), 20000);
        bob->sendText(m_room, s("after the restart"));
        QTRY_COMPARE_WITH_TIMEOUT(arrived.count(), 2, 20000);
        QCOMPARE(unread(), 2);
        const auto copiesOf = [&received](const QString &text) {
            return std::count_if(received.cbegin(), received.cend(), [&text](const QList<QVariant> &args) {
                return args.first().value<ChatMessage>().text == text;
            });
        };
        QCOMPARE(copiesOf(s("only once")), 1);
        QCOMPARE(copiesOf(s("after the restart")), 1);
    }

    void cachedStateShowsOffline()
    {
        {
            auto alice = session(s("alice"), s("cache.db"));
            QVERIFY(alice->start());
            MessageModel *room = alice->openRoom(m_room);
            alice->sendText(m_room, s("kept for later"));
            QTRY_VERIFY_WITH_TIMEOUT(statusAt(*room, 0) == int(DeliveryStatus::Sent), 10000);
            QTRY_COMPARE(alice->rooms()->count(), 2);
        }
        m_server->stop(); // offline from here on
        auto alice = session(s("alice"), s("cache.db"));
        QVERIFY(alice->start());
        QCOMPARE(alice->rooms()->count(), 2); // instantly, from the cache
        MessageModel *room = alice->openRoom(m_room);
        QCOMPARE(room->count(), 1);
        QCOMPARE(textAt(*room, 0), s("kept for later"));

        // A message written offline is a pending row, and stays one across a restart.
        alice->sendText(m_room, s("queued offline"));
        QCOMPARE(room->count(), 2);
        QVERIFY(statusAt(*room, 0) == int(DeliveryStatus::Sending));
        alice.reset();
        auto again = session(s("alice"), s("cache.db"));
        QVERIFY(again->start());
        MessageModel *reopened = again->openRoom(m_room);
        QCOMPARE(reopened->count(), 2);
        QCOMPARE(textAt(*reopened, 0), s("queued offline"));
        QVERIFY(statusAt(*reopened, 0) == int(DeliveryStatus::Sending));

        // Back online: it goes out and is acknowledged, once.
        QVERIFY(m_server->start());
        QTRY_VERIFY_WITH_TIMEOUT(statusAt(*reopened, 0) == int(DeliveryStatus::Sent), 15000);
        QCOMPARE(reopened->count(), 2);
        QCOMPARE(m_server->server().store().messageCount(m_room.toLongLong()), 2);
    }
};

QTEST_GUILESS_MAIN(TestChatSession)
#include "tst_chatsession.moc"
