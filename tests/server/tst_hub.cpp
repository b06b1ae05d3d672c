// The hub on its own: fan-out encodes each event once per dialect whatever
// the number of recipients, reaches only the room's active members, and a
// re-sent client id delivers nothing twice.

#include "hub.h"
#include "store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using namespace natter::server;

namespace {
QString s(const char *text) { return QString::fromUtf8(text); }

// A session of a made-up dialect that counts what it receives and how often
// its dialect had to encode.
class CountingSession : public ClientSession
{
public:
    CountingSession(qint64 userId, QLatin1StringView dialect, int *encodes)
        : m_userId(userId), m_dialect(dialect), m_encodes(encodes) { }

    qint64 userId() const override { return m_userId; }
    bool followsRoom(qint64) const override { return true; }
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override
    {
        frames.frame(m_dialect, [this, &event] {
            ++*m_encodes;
            return event.message.body;
        });
        ++messages;
    }
    void deliverStatus(const StatusEvent &, FrameCache &) override { ++statuses; }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    void closeGoingAway() override { }

    int messages = 0;
    int statuses = 0;

private:
    qint64 m_userId;
    QLatin1StringView m_dialect;
    int *m_encodes;
};
} // namespace

class TestHub : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Hub> m_hub;
    QList<qint64> m_users;
    qint64 m_group = 0;

private slots:
    void init()
    {
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(DatabaseUrl::sqlite(m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128)))));
        m_hub = std::make_unique<Hub>(*m_store, std::chrono::milliseconds(1000));
        m_users.clear();
        for (int i = 0; i < 200; ++i) {
            const auto user = m_store->createUser(s("user%1").arg(i), {}, "x", UserRole::User);
            QVERIFY(user);
            m_users.append(user->id);
        }
        const auto group = m_store->createGroup(s("Everyone"), m_users.first());
        QVERIFY(group);
        m_group = group->id;
        for (qint64 user : std::as_const(m_users).mid(1))
            QVERIFY(m_store->setMembership(m_group, user, MembershipState::Active));
    }
    void cleanup()
    {
        m_hub.reset();
        m_store.reset();
    }

    void eachEventIsEncodedOncePerDialect()
    {
        int encodesA = 0;
        int encodesB = 0;
        std::vector<std::unique_ptr<CountingSession>> sessions;
        for (int i = 0; i < m_users.size(); ++i) {
            const bool a = i % 2 == 0;
            sessions.push_back(std::make_unique<CountingSession>(
                m_users.at(i), a ? QLatin1StringView("a") : QLatin1StringView("b"), a ? &encodesA : &encodesB));
            m_hub->attach(sessions.back().get());
        }
        NewMessage message;
        message.roomId = m_group;
        message.senderId = m_users.first();
        message.body = s("to 200 people");
        QVERIFY(m_hub->postMessage(message).result == PostOutcome::Result::Posted);
        for (const auto &session : sessions)
            QCOMPARE(session->messages, 1);
        QCOMPARE(encodesA, 1); // 100 recipients, one encode
        QCOMPARE(encodesB, 1);
        for (const auto &session : sessions)
            m_hub->detach(session.get());
    }

    void onlyActiveMembersReceive()
    {
        int encodes = 0;
        QVERIFY(m_store->setMembership(m_group, m_users.at(1), MembershipState::Invited));
        const auto outsider = m_store->createUser(s("outsider"), {}, "x", UserRole::User);
        CountingSession invited(m_users.at(1), QLatin1StringView("a"), &encodes);
        CountingSession member(m_users.at(2), QLatin1StringView("a"), &encodes);
        CountingSession stranger(outsider->id, QLatin1StringView("a"), &encodes);
        for (ClientSession *session : {static_cast<ClientSession *>(&invited), static_cast<ClientSession *>(&member),
                                       static_cast<ClientSession *>(&stranger)})
            m_hub->attach(session);
        NewMessage message{m_group, m_users.first(), MessageKind::Text, s("members only"), 0, 0, {}};
        QVERIFY(m_hub->postMessage(message).result == PostOutcome::Result::Posted);
        QCOMPARE(member.messages, 1);
        QCOMPARE(invited.messages, 0);
        QCOMPARE(stranger.messages, 0);
        // Not a member: refused, nothing stored.
        NewMessage intruder{m_group, outsider->id, MessageKind::Text, s("let me in"), 0, 0, {}};
        QVERIFY(m_hub->postMessage(intruder).result == PostOutcome::Result::NotMember);
        QCOMPARE(m_store->messageCount(m_group), 1);
        for (ClientSession *session : {static_cast<ClientSession *>(&invited), static_cast<ClientSession *>(&member),
                                       static_cast<ClientSession *>(&stranger)})
            m_hub->detach(session);
    }

    void resentClientIdDeliversNothingTwice()
    {
        int encodes = 0;
        CountingSession member(m_users.at(2), QLatin1StringView("a"), &encodes);
        m_hub->attach(&member);
        NewMessage message{m_group, m_users.first(), MessageKind::Text, s("once"), 0, 0, s("client-1")};
        const PostOutcome first = m_hub->postMessage(message);
        const PostOutcome again = m_hub->postMessage(message);
        QVERIFY(first.result == PostOutcome::Result::Posted);
        QVERIFY(again.result == PostOutcome::Result::Duplicate);
        QCOMPARE(again.message.id, first.message.id);
        QCOMPARE(member.messages, 1);
        QCOMPARE(m_store->messageCount(m_group), 1);
        m_hub->detach(&member);
    }

    void presenceFollowsSessions()
    {
        int encodes = 0;
        CountingSession first(m_users.at(3), QLatin1StringView("a"), &encodes);
        CountingSession second(m_users.at(3), QLatin1StringView("b"), &encodes);
        QVERIFY(!m_hub->isOnline(m_users.at(3)));
        m_hub->attach(&first);
        m_hub->attach(&second);
        QVERIFY(m_hub->isOnline(m_users.at(3)));
        m_hub->detach(&first);
        QVERIFY(m_hub->isOnline(m_users.at(3))); // still one session open
        m_hub->detach(&second);
        QVERIFY(!m_hub->isOnline(m_users.at(3)));
        QVERIFY(m_store->userById(m_users.at(3))->lastSeen.isValid());
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
