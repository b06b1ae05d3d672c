// The durable outbox end to end (MessageSender + Outbox + a real adapter and
// server): server down while sending, client restarted with queued messages,
// duplicate acks — every message arrives exactly once, in order.

#include "backendtesting.h"
#include "messagesender.h"
#include "outbox.h"
#include "rooms/roomsbackend.h"
#include "store.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
} // namespace

class TestOutboxDelivery : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    Account m_alice;
    Account m_bob;
    QString m_room;

    // One client: adapter, outbox file and sender, as the app and the cli build them.
    struct Client
    {
        std::unique_ptr<RoomsBackend> backend;
        std::unique_ptr<Outbox> outbox;
        std::unique_ptr<MessageSender> sender;
    };

    Client makeClient(const QString &outboxPath)
    {
        const Backend::Settings settings = test::passwordSignIn(*m_server, s("alice"), s("password123"));
        Client client;
        client.backend = std::make_unique<RoomsBackend>(settings);
        client.backend->reconnectPolicy() =
            ReconnectPolicy(std::chrono::milliseconds(100), std::chrono::milliseconds(300));
        client.outbox = std::make_unique<Outbox>();
        if (!client.outbox->open(outboxPath, s("alice"), settings.serverUrl.toString()))
            qWarning() << client.outbox->lastError();
        client.sender = std::make_unique<MessageSender>(*client.backend, *client.outbox);
        client.backend->subscribe(m_room);
        return client;
    }

    QStringList storedTexts()
    {
        QStringList texts;
        const auto messages = m_server->server().store().messages(m_room.toLongLong(), 100);
        for (auto it = messages.crbegin(); it != messages.crend(); ++it) // oldest first
            texts.append(it->body);
        return texts;
    }

    static OutgoingMessage text(const QString &room, const QString &body)
    {
        OutgoingMessage message;
        message.roomKey = room;
        message.text = body;
        return message;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"));
        m_bob = m_server->registerUser(s("bob"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        m_room = QString::number(room.json.value(s("id")).toInteger());
    }
    void cleanup() { m_server.reset(); }

    void serverDownWhileSending()
    {
        Client alice = makeClient(m_dir.filePath(s("down.db")));
        QSignalSpy subscribed(alice.backend.get(), &Backend::subscribed);
        alice.backend->connectToServer();
        QTRY_VERIFY(!subscribed.isEmpty());

        QSignalSpy acked(alice.sender.get(), &MessageSender::acknowledged);
        m_server->stop();
        QTRY_VERIFY(!alice.backend->canSendTo(m_room));
        for (int i = 1; i <= 3; ++i)
            QVERIFY(!alice.sender->send(text(m_room, QString::number(i))).isEmpty());
        QCOMPARE(alice.outbox->pendingCount(), 3); // durable before anything went out

        QVERIFY(m_server->start());
        QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 3, 10000);
        QCOMPARE(alice.outbox->pendingCount(), 0);
        QCOMPARE(storedTexts(), (QStringList{s("1"), s("2"), s("3")}));
    }

    void restartedClientSendsWhatWasQueued()
    {
        const QString path = m_dir.filePath(s("restart.db"));
        QStringList clientIds;
        {
            // Queued while the server is unreachable; then the client "dies".
            m_server->stop();
            Client alice = makeClient(path);
            alice.backend->connectToServer();
            clientIds << alice.sender->send(text(m_room, s("first")))
                      << alice.sender->send(text(m_room, s("second")));
            QCOMPARE(alice.outbox->pendingCount(), 2);
        }
        QVERIFY(m_server->start());
        Client alice = makeClient(path);
        QCOMPARE(alice.outbox->pendingCount(), 2); // survived the restart
        QSignalSpy acked(alice.sender.get(), &MessageSender::acknowledged);
        alice.backend->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(acked.size(), 2, 10000);
        QCOMPARE(acked.at(0).at(0).toString(), clientIds.at(0)); // same client ids, same order
        QCOMPARE(acked.at(1).at(0).toString(), clientIds.at(1));
        QCOMPARE(storedTexts(), (QStringList{s("first"), s("second")}));
    }

    void duplicateAcksAreReportedOnce()
    {
        Client alice = makeClient(m_dir.filePath(s("dup.db")));
        QSignalSpy subscribed(alice.backend.get(), &Backend::subscribed);
        alice.backend->connectToServer();
        QTRY_VERIFY(!subscribed.isEmpty());
        QSignalSpy acked(alice.sender.get(), &MessageSender::acknowledged);
        QSignalSpy raw(alice.backend.get(), &Backend::messageAcked);

        const QString clientId = alice.sender->send(text(m_room, s("only once")));
        QVERIFY(acked.wait());
        // The same client id again, as after a lost ack: the adapter does not write an
        // acknowledged client id again (a spec server would store a second copy), and the
        // sender reports nothing new. A later message is the barrier: its ack comes after.
        alice.backend->send({m_room, {}, clientId, MessageKind::Text, s("only once"), {}, 0, 0});
        alice.sender->send(text(m_room, s("after")));
        QTRY_COMPARE(acked.size(), 2);
        QCOMPARE(raw.size(), 2);
        QCOMPARE(storedTexts(), (QStringList{s("only once"), s("after")}));
    }

    void failsAfterMaxAttemptsAndRetries()
    {
        Client alice = makeClient(m_dir.filePath(s("fail.db")));
        alice.outbox->setMaxAttempts(2);
        QSignalSpy subscribed(alice.backend.get(), &Backend::subscribed);
        alice.backend->connectToServer();
        QTRY_VERIFY(!subscribed.isEmpty());
        QSignalSpy failed(alice.sender.get(), &MessageSender::failed);
        // The rooms dialect refuses stamps: every attempt fails.
        OutgoingMessage stamp = text(m_room, {});
        stamp.kind = MessageKind::Stamp;
        stamp.stampId = s("wave");
        const QString clientId = alice.sender->send(stamp);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.first().first().toString(), clientId);
        QCOMPARE(alice.outbox->failedCount(), 1);
        QVERIFY(alice.sender->retry(clientId));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 10000);
        QVERIFY(storedTexts().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOutboxDelivery)
#include "tst_outboxdelivery.moc"
