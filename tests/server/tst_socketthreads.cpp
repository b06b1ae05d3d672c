// Socket threads (ServerConfig::threads = 3: the server's thread and two
// socket threads): connections are spread round robin; a busy room reaches
// every member once each, in the room's order, whichever thread serves them;
// a connection that closes frees its thread; stopping the server with
// connections open says 1001 to each and leaves nothing behind.

#include "servertestmain.h"
#include "store.h"
#include "testserver.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QTest>

using namespace natter;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::WsClient;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

bool isIncoming(const QJsonObject &frame) { return frame.contains(s("from")); }
} // namespace

class TestSocketThreads : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QList<Account> m_members;
    QString m_chatId;

    std::unique_ptr<WsClient> connectAndSubscribe(const Account &account)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->open(m_server->wsUrl(s("/chats/ws?token=") + account.token)))
            return nullptr;
        client->sendJson({{s("action"), s("subscribe")}, {s("chat_ids"), QJsonArray{m_chatId}}});
        const auto response = client->waitFor(
            [](const QJsonObject &frame) { return frame.value(s("action")).toString() == s("subscribe_response"); });
        if (!response)
            return nullptr;
        return client;
    }

private slots:
    void init()
    {
        auto config = TestServer::defaultConfig();
        config.threads = 3;
        m_server = std::make_unique<TestServer>(config);
        QVERIFY(m_server->start());
        m_members.clear();
        for (int i = 0; i < 6; ++i)
            m_members.append(m_server->registerUser(s("member%1").arg(i)));
        server::Store &store = m_server->server().store();
        const auto group = store.createGroup(s("Busy"), m_members.first().id);
        QVERIFY(group);
        for (const Account &member : std::as_const(m_members).mid(1))
            QVERIFY(store.setMembership(group->id, member.id, MembershipState::Active));
        m_chatId = group->uuid.toString(QUuid::WithoutBraces);
    }

    void cleanup() { m_server.reset(); }

    void connectionsAreSpreadRoundRobin()
    {
        QCOMPARE(m_server->server().socketThreadConnections(), (QList<int>{0, 0}));
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(connectAndSubscribe(m_members.at(i)));
            QVERIFY(clients.back());
        }
        QTRY_COMPARE(m_server->server().socketThreadConnections(), (QList<int>{2, 2}));
        clients.front()->socket().close();
        QTRY_COMPARE(m_server->server().socketThreadConnections(), (QList<int>{1, 2}));
    }

    void aBusyRoomReachesEveryoneOnceInOrder()
    {
        std::vector<std::unique_ptr<WsClient>> clients;
        for (const Account &member : std::as_const(m_members)) {
            clients.push_back(connectAndSubscribe(member));
            QVERIFY(clients.back());
        }
        constexpr int perSender = 100;
        // Two senders on different threads, interleaved.
        for (int i = 0; i < perSender; ++i) {
            for (int sender : {0, 1})
                clients[sender]->sendJson({{s("action"), s("message")},
                                           {s("chat_id"), m_chatId},
                                           {s("text"), s("m%1-%2").arg(sender).arg(i)}});
        }
        // The chats dialect does not echo a sender's own messages back to it.
        auto expectedFor = [](size_t client) { return client < 2 ? perSender : 2 * perSender; };
        QList<QStringList> seen(int(clients.size()));
        for (size_t c = 0; c < clients.size(); ++c) {
            WsClient &client = *clients[c];
            QTRY_COMPARE_WITH_TIMEOUT(client.countPending(isIncoming), expectedFor(c), 20000);
            for (const QJsonObject &frame : client.pending()) {
                if (isIncoming(frame))
                    seen[int(c)].append(frame.value(s("message")).toString());
            }
            QCOMPARE(seen[int(c)].size(), expectedFor(c)); // none twice
        }
        // One order for the room, whichever thread served the member: the
        // room's order (as a non-sender saw it) with one's own left out.
        const QStringList roomOrder = seen.last();
        for (int sender : {0, 1}) {
            int next = 0; // each sender's messages in the order sent
            for (const QString &text : roomOrder) {
                if (text.startsWith(s("m%1-").arg(sender)))
                    QCOMPARE(text, s("m%1-%2").arg(sender).arg(next++));
            }
            QCOMPARE(next, perSender);
        }
        for (int c = 0; c < int(seen.size()); ++c) {
            QStringList expected = roomOrder;
            if (c < 2)
                expected.removeIf([c](const QString &text) { return text.startsWith(s("m%1-").arg(c)); });
            QCOMPARE(seen[c], expected);
        }
        QCOMPARE(m_server->server().store().messageCount(m_server->server().store().roomByUuid(QUuid(m_chatId))->id),
                 2 * perSender);
    }

    void stoppingClosesEveryConnectionWithGoingAway()
    {
        std::vector<std::unique_ptr<WsClient>> clients;
        for (const Account &member : std::as_const(m_members)) {
            clients.push_back(connectAndSubscribe(member));
            QVERIFY(clients.back());
        }
        QTRY_COMPARE(m_server->server().socketThreadConnections(), (QList<int>{3, 3}));
        m_server->server().stop();
        for (const auto &client : clients) {
            QVERIFY(client->waitForDisconnect());
            QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
        }
    }
};

NATTER_SERVER_TEST_MAIN(TestSocketThreads)

#include "tst_socketthreads.moc"
