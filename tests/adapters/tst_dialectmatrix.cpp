// The 6×6 matrix: for every ordered pair of dialects, a message Alice sends
// through the first reaches Bob, connected through the second, once, in his
// dialect (parsed by his adapter), with Alice's name and the right room.

#include "backendtesting.h"
#include "backendfactory.h"
#include "testserver.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::countText;
using natter::test::TestServer;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }
const QStringList dialects{s("rooms"), s("cable"), s("chats"), s("social"), s("gateway"), s("natter")};
} // namespace

class TestDialectMatrix : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    QString m_aliceUuid;
    QString m_bobUuid;
    qint64 m_roomId = 0;
    QString m_roomUuid;

    // How `dialect` addresses the Alice–Bob room, seen from one side.
    QString roomKey(const QString &dialect, const Account &other) const
    {
        return test::DirectRoom{m_roomId, m_roomUuid}.keyFor(dialect, other.id);
    }

    QString recipient(const QString &dialect, const Account &other, const QString &otherUuid) const
    {
        return test::DirectRoom::recipientFor(dialect, other.id, otherUuid);
    }

    std::unique_ptr<Backend> connectAs(const QString &dialect, const QString &user, const QString &key)
    {
        return test::connectAndSubscribe(dialect, test::passwordSignIn(*m_server, user, s("password123")), key);
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice Adams"));
        m_bob = m_server->registerUser(s("bob"), s("Bob Brown"));
        m_aliceUuid = m_server->get(s("/api/auth/me"), m_alice.token).json.value(s("uuid")).toString();
        m_bobUuid = m_server->get(s("/api/auth/me"), m_bob.token).json.value(s("uuid")).toString();
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        m_roomId = room.json.value(s("id")).toInteger();
        m_roomUuid = room.json.value(s("uuid")).toString();
        QCOMPARE(backendDialects().size(), dialects.size());
    }

    void messageCrossesDialects_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        for (const QString &from : dialects) {
            for (const QString &to : dialects)
                QTest::addRow("%s->%s", qPrintable(from), qPrintable(to)) << from << to;
        }
    }

    void messageCrossesDialects()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        auto bob = connectAs(to, s("bob"), roomKey(to, m_alice));
        QVERIFY2(bob, "Bob could not connect");
        auto alice = connectAs(from, s("alice"), roomKey(from, m_bob));
        QVERIFY2(alice, "Alice could not connect");
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);

        const QString text = s("%1 to %2").arg(from, to);
        const QString marker = text + s(" (marker)");
        for (const QString &body : {text, marker}) {
            OutgoingMessage message;
            message.roomKey = roomKey(from, m_bob);
            message.recipientId = recipient(from, m_bob, m_bobUuid);
            message.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
            message.text = body;
            alice->send(message);
        }
        QTRY_VERIFY_WITH_TIMEOUT(countText(received, marker) == 1, 10000);
        QCOMPARE(countText(received, text), 1); // once, not twice
        const auto it = std::find_if(received.cbegin(), received.cend(), [&text](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == text;
        });
        const ChatMessage message = it->first().value<ChatMessage>();
        QVERIFY2(message.sender.username == u"alice" || message.sender.displayName.startsWith(s("Alice"))
                     || message.sender.id == QString::number(m_alice.id) || message.sender.id == m_aliceUuid,
                 qPrintable(message.sender.id + u'/' + message.sender.username));
        QCOMPARE(message.roomKey, roomKey(to, m_alice));
        QVERIFY(!message.outgoing);
        QTRY_VERIFY_WITH_TIMEOUT(acked.size() == 2, 10000);
        QVERIFY(failed.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDialectMatrix)
#include "tst_dialectmatrix.moc"
