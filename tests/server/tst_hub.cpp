// The hub on its own: fan-out encodes each event once per dialect whatever
// the number of recipients, reaches only the room's active members, and a
// re-sent client id delivers nothing twice. Group commit: posts queued in one
// window commit together and are acknowledged only after COMMIT; a failed
// commit (a real one: a trigger aborts it) acknowledges none. Receipts move
// marks, coalesce, and reach the author and the reader only. A post costs the
// same statements and encodes in a room of 2 as in a room of 1000.

#include "servertestmain.h"
#include "hub.h"
#include "store.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

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
    void deliverStatus(const StatusEvent &event, FrameCache &) override
    {
        ++statuses;
        lastStatus = event;
    }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverRoomEvent(const RoomEvent &event, FrameCache &) override
    {
        ++roomEvents;
        lastRoomEvent = event;
    }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    void closeGoingAway() override { }

    int messages = 0;
    int statuses = 0;
    StatusEvent lastStatus;
    int roomEvents = 0;
    RoomEvent lastRoomEvent;

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
    QString m_databasePath;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Hub> m_hub;
    QList<qint64> m_users;
    qint64 m_group = 0;

    // Attached, following every room the user is an active member of.
    void join(ClientSession *session)
    {
        m_hub->attach(session);
        m_hub->followMemberRooms(session);
    }

private slots:
    void init()
    {
        m_store = std::make_unique<Store>();
        m_databasePath = m_dir.filePath(QUuid::createUuid().toString(QUuid::Id128));
        QVERIFY(m_store->open(DatabaseUrl::sqlite(m_databasePath)));
        m_hub = std::make_unique<Hub>(*m_store, std::chrono::milliseconds(1000), std::chrono::milliseconds(5));
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
            join(sessions.back().get());
        }
        NewMessage message;
        message.roomId = m_group;
        message.senderId = m_users.first();
        message.body = s("to 200 people");
        QVERIFY(m_hub->postMessageNow(message).result == PostOutcome::Result::Posted);
        for (const auto &session : sessions)
            QCOMPARE(session->messages, 1);
        QCOMPARE(encodesA, 1); // 100 recipients, one encode
        QCOMPARE(encodesB, 1);
        for (const auto &session : sessions)
            m_hub->detach(session.get());
    }

    void theDirectoryFollowsMembershipsInUserOrder()
    {
        RoomDirectory &directory = m_hub->directory();
        QCOMPARE(directory.members(m_group).size(), m_users.size()); // warmed from the store
        const qint64 leaver = m_users.at(5);
        QVERIFY(m_store->removeMembership(m_group, leaver));
        QVERIFY(!directory.membership(m_group, leaver));
        QVERIFY(m_store->setMembership(m_group, leaver, MembershipState::Invited));
        const auto back = directory.membership(m_group, leaver);
        QVERIFY(back);
        QVERIFY(back->state == MembershipState::Invited);
        const auto later = m_store->createUser(s("latecomer"), {}, "x", UserRole::User);
        QVERIFY(later);
        QVERIFY(m_store->setMembership(m_group, later->id, MembershipState::Active));
        QVERIFY(directory.membership(m_group, later->id));
        QVERIFY(!directory.membership(m_group, later->id + 1));
        const QList<MembershipRecord> &members = directory.members(m_group);
        QCOMPARE(members.size(), m_users.size() + 1);
        QVERIFY(std::is_sorted(members.cbegin(), members.cend(),
                               [](const MembershipRecord &a, const MembershipRecord &b) { return a.userId < b.userId; }));
        for (qint64 user : std::as_const(m_users))
            QVERIFY(directory.membership(m_group, user));
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
            join(session);
        NewMessage message{m_group, m_users.first(), MessageKind::Text, s("members only"), 0, 0, {}};
        QVERIFY(m_hub->postMessageNow(message).result == PostOutcome::Result::Posted);
        QCOMPARE(member.messages, 1);
        QCOMPARE(invited.messages, 0);
        QCOMPARE(stranger.messages, 0);
        // Not a member: refused, nothing stored.
        NewMessage intruder{m_group, outsider->id, MessageKind::Text, s("let me in"), 0, 0, {}};
        QVERIFY(m_hub->postMessageNow(intruder).result == PostOutcome::Result::NotMember);
        QCOMPARE(m_store->messageCount(m_group), 1);
        for (ClientSession *session : {static_cast<ClientSession *>(&invited), static_cast<ClientSession *>(&member),
                                       static_cast<ClientSession *>(&stranger)})
            m_hub->detach(session);
    }

    void resentClientIdDeliversNothingTwice()
    {
        int encodes = 0;
        CountingSession member(m_users.at(2), QLatin1StringView("a"), &encodes);
        join(&member);
        NewMessage message{m_group, m_users.first(), MessageKind::Text, s("once"), 0, 0, s("client-1")};
        const PostOutcome first = m_hub->postMessageNow(message);
        const PostOutcome again = m_hub->postMessageNow(message);
        QVERIFY(first.result == PostOutcome::Result::Posted);
        QVERIFY(again.result == PostOutcome::Result::Duplicate);
        QCOMPARE(again.message.id, first.message.id);
        QCOMPARE(member.messages, 1);
        QCOMPARE(m_store->messageCount(m_group), 1);
        m_hub->detach(&member);
    }

    void postsOfOneWindowCommitTogether()
    {
        int encodes = 0;
        CountingSession member(m_users.at(2), QLatin1StringView("a"), &encodes);
        join(&member);
        const qint64 commitsBefore = m_hub->commitCount();
        QList<PostOutcome> outcomes;
        for (int i = 0; i < 10; ++i) {
            NewMessage message{m_group, m_users.at(i % 3), MessageKind::Text, s("batch %1").arg(i), 0, 0, {}};
            m_hub->postMessage(message, nullptr, this, [&outcomes](const PostOutcome &outcome) { outcomes.append(outcome); });
        }
        // Nothing is acknowledged, delivered or stored before the commit.
        QCOMPARE(outcomes.size(), 0);
        QCOMPARE(member.messages, 0);
        QCOMPARE(m_store->messageCount(m_group), 0);
        QTRY_COMPARE(outcomes.size(), 10);
        QCOMPARE(m_hub->commitCount(), commitsBefore + 1);
        for (int i = 0; i < 10; ++i) {
            QVERIFY(outcomes.at(i).result == PostOutcome::Result::Posted);
            QCOMPARE(outcomes.at(i).message.seq, qint64(i + 1)); // in posting order, gap-free
        }
        QCOMPARE(member.messages, 10); // its own too: a dialect decides what an echo is
        m_hub->detach(&member);
    }

    void aFailedCommitAcknowledgesNone()
    {
        {
            // A second, raw connection makes the database refuse one message for real.
            QSqlDatabase raw = QSqlDatabase::addDatabase(s("QSQLITE"), s("tst_hub_raw"));
            raw.setDatabaseName(m_databasePath);
            QVERIFY(raw.open());
            QSqlQuery trigger(raw);
            QVERIFY2(trigger.exec(s("CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.body = 'boom' "
                                    "BEGIN SELECT RAISE(ABORT, 'boom refused'); END")),
                     qPrintable(trigger.lastError().text()));
            raw.close();
        }
        QSqlDatabase::removeDatabase(s("tst_hub_raw"));

        int encodes = 0;
        CountingSession member(m_users.at(2), QLatin1StringView("a"), &encodes);
        join(&member);
        QList<PostOutcome> outcomes;
        for (const char *body : {"before", "boom", "after"}) {
            NewMessage message{m_group, m_users.first(), MessageKind::Text, s(body), 0, 0, s("id-") + s(body)};
            m_hub->postMessage(message, nullptr, this, [&outcomes](const PostOutcome &outcome) { outcomes.append(outcome); });
        }
        QTRY_COMPARE(outcomes.size(), 3);
        for (const PostOutcome &outcome : std::as_const(outcomes))
            QVERIFY(outcome.result == PostOutcome::Result::Failed);
        QCOMPARE(member.messages, 0);
        QCOMPARE(m_store->messageCount(m_group), 0);
        // The store goes on; nothing of the failed batch took a seq.
        NewMessage next{m_group, m_users.first(), MessageKind::Text, s("before"), 0, 0, s("id-before")};
        const PostOutcome retried = m_hub->postMessageNow(next);
        QVERIFY(retried.result == PostOutcome::Result::Posted);
        QCOMPARE(retried.message.seq, qint64(1));
        QCOMPARE(member.messages, 1);
        m_hub->detach(&member);
    }

    void receiptsReachTheAuthorAndTheReaderOnly()
    {
        int encodes = 0;
        const qint64 alice = m_users.at(0);
        const qint64 bob = m_users.at(1);
        const qint64 carol = m_users.at(2);
        CountingSession aliceSession(alice, QLatin1StringView("a"), &encodes);
        CountingSession bobSession(bob, QLatin1StringView("a"), &encodes);
        CountingSession carolSession(carol, QLatin1StringView("a"), &encodes);
        for (CountingSession *session : {&aliceSession, &bobSession, &carolSession})
            join(session);
        const PostOutcome posted =
            m_hub->postMessageNow({m_group, alice, MessageKind::Text, s("read me"), 0, 0, {}});
        QVERIFY(posted.result == PostOutcome::Result::Posted);

        QVERIFY(m_hub->updateReceipt(bob, posted.message.id, DeliveryStatus::Read) == ReceiptOutcome::Updated);
        QVERIFY(m_hub->updateReceipt(bob, posted.message.id, DeliveryStatus::Read) == ReceiptOutcome::Unchanged);
        QVERIFY(m_hub->updateReceipt(bob, posted.message.id, DeliveryStatus::Delivered) == ReceiptOutcome::Unchanged);
        QVERIFY(m_hub->updateReceipt(alice, posted.message.id, DeliveryStatus::Read) == ReceiptOutcome::Forbidden);
        QTRY_COMPARE(aliceSession.statuses, 1);
        QCOMPARE(bobSession.statuses, 1);
        QCOMPARE(carolSession.statuses, 0);
        QCOMPARE(aliceSession.lastStatus.messageId, posted.message.id);
        QCOMPARE(aliceSession.lastStatus.updatedBy, bob);
        QVERIFY(aliceSession.lastStatus.status == DeliveryStatus::Read);
        // Bob sees it read; for Alice the group has not read it all (199 others).
        QVERIFY(m_hub->statusFor(posted.message, bob).status == DeliveryStatus::Read);
        QVERIFY(m_hub->statusFor(posted.message, alice).status == DeliveryStatus::Sent);
        QVERIFY(m_hub->statusFor(posted.message, carol).status == DeliveryStatus::Sent);
        const auto mark = m_store->mark(m_group, bob);
        QVERIFY(mark);
        QCOMPARE(mark->readUpTo, posted.message.seq);
        for (CountingSession *session : {&aliceSession, &bobSession, &carolSession})
            m_hub->detach(session);
    }

    void receiptsOfOnePassCoalesceIntoOneWrite()
    {
        QList<qint64> ids;
        for (int i = 0; i < 50; ++i)
            ids.append(m_hub->postMessageNow({m_group, m_users.first(), MessageKind::Text, s("m%1").arg(i), 0, 0, {}})
                           .message.id);
        const qint64 before = m_store->statementCount();
        for (qint64 id : std::as_const(ids))
            QVERIFY(m_hub->updateReceipt(m_users.at(1), id, DeliveryStatus::Read) == ReceiptOutcome::Updated);
        // Recent messages are known from memory: no receipt reads SQL (the
        // room's marks are read once, on the first).
        const qint64 reads = m_store->statementCount() - before;
        QCOMPARE(reads, qint64(1));
        m_hub->flush();
        const qint64 written = m_store->statementCount() - before - reads;
        QCOMPARE(written, qint64(3)); // BEGIN, one mark upsert, COMMIT
        QCOMPARE(m_store->mark(m_group, m_users.at(1))->readUpTo, qint64(50));
        QCOMPARE(m_store->unreadCount(m_group, m_users.at(1)), 0);
        QCOMPARE(m_store->unreadCount(m_group, m_users.at(2)), 50);
    }

    // The measure: a post into a room of 1000 costs no more statements
    // (and no more encodes per dialect) than a post into a room of 2.
    void aPostCostsTheSameInARoomOf2AndOf1000()
    {
        QList<qint64> crowd = m_users;
        for (int i = 0; i < 800; ++i) {
            const auto user = m_store->createUser(s("extra%1").arg(i), {}, "x", UserRole::User);
            QVERIFY(user);
            crowd.append(user->id);
        }
        const auto big = m_store->createGroup(s("Thousand"), crowd.first());
        const auto small = m_store->createGroup(s("Pair"), crowd.first());
        QVERIFY(big && small);
        for (qint64 user : std::as_const(crowd).mid(1))
            QVERIFY(m_store->setMembership(big->id, user, MembershipState::Active));
        QVERIFY(m_store->setMembership(small->id, crowd.at(1), MembershipState::Active));

        int encodes = 0;
        std::vector<std::unique_ptr<CountingSession>> sessions;
        for (qint64 user : std::as_const(crowd)) {
            sessions.push_back(std::make_unique<CountingSession>(user, QLatin1StringView("a"), &encodes));
            join(sessions.back().get());
        }
        auto cost = [&](qint64 roomId) {
            // Warm first (the room's members are read once), then measure one post.
            m_hub->postMessageNow({roomId, crowd.first(), MessageKind::Text, s("warm"), 0, 0, {}});
            const qint64 statements = m_store->statementCount();
            encodes = 0;
            m_hub->postMessageNow({roomId, crowd.first(), MessageKind::Text, s("measured"), 0, 0, {}});
            return std::pair{m_store->statementCount() - statements, encodes};
        };
        const auto [pairStatements, pairEncodes] = cost(small->id);
        const auto [crowdStatements, crowdEncodes] = cost(big->id);
        qInfo("statements per post: room of 2: %lld, room of 1000: %lld", pairStatements, crowdStatements);
        QCOMPARE(crowdStatements, pairStatements);
        QVERIFY(pairStatements <= 3); // BEGIN, the insert, COMMIT
        QCOMPARE(pairEncodes, 1);
        QCOMPARE(crowdEncodes, 1);
        for (const auto &session : sessions)
            m_hub->detach(session.get());
    }

    // Writes others see go through the hub and reach whom they concern.
    void roomChangesReachTheMemberAndTheRoom()
    {
        int encodes = 0;
        CountingSession owner(m_users.at(0), QLatin1StringView("a"), &encodes);
        CountingSession guest(m_users.at(1), QLatin1StringView("a"), &encodes);
        CountingSession bystander(m_users.at(2), QLatin1StringView("a"), &encodes);
        for (CountingSession *session : {&owner, &guest, &bystander})
            join(session);

        const auto group = m_hub->createGroup(s("Book club"), m_users.at(0));
        QVERIFY(group);
        QCOMPARE(owner.roomEvents, 1);
        QVERIFY(owner.lastRoomEvent.change == RoomEvent::Change::Created);
        QCOMPARE(owner.lastRoomEvent.room.id, group->id);
        QCOMPARE(guest.roomEvents, 0);

        QVERIFY(m_hub->inviteToGroup(m_users.at(0), group->id, m_users.at(1)) == MembershipOutcome::Done);
        QCOMPARE(guest.roomEvents, 1);
        QCOMPARE(guest.lastRoomEvent.userId, m_users.at(1));
        QVERIFY(guest.lastRoomEvent.state == MembershipState::Invited);
        QCOMPARE(owner.roomEvents, 2); // an active member hears of it
        QVERIFY(m_hub->answerInvitation(m_users.at(1), group->id, true) == MembershipOutcome::Done);
        QCOMPARE(guest.roomEvents, 2);
        QVERIFY(guest.lastRoomEvent.state == MembershipState::Active);
        QCOMPARE(owner.roomEvents, 3);
        QCOMPARE(bystander.roomEvents, 0);
        // The directory saw it: the new member may post at once.
        QVERIFY(m_hub->postMessageNow({group->id, m_users.at(1), MessageKind::Text, s("hi all"), 0, 0, {}}).result
                == PostOutcome::Result::Posted);

        const auto direct = m_hub->openDirectRoom(m_users.at(2), m_users.at(1));
        QVERIFY(direct && direct->created);
        QCOMPARE(bystander.roomEvents, 1);
        QCOMPARE(guest.roomEvents, 3);
        const auto again = m_hub->openDirectRoom(m_users.at(1), m_users.at(2));
        QVERIFY(again && !again->created);
        QCOMPARE(again->room.id, direct->room.id);
        QCOMPARE(guest.roomEvents, 3); // nothing changed
        for (CountingSession *session : {&owner, &guest, &bystander})
            m_hub->detach(session);
    }

    // Room events walk the sessions that follow the room, not its members: a
    // room of 200 with three followers costs three deliveries, and a session
    // following its member rooms follows a group it joins (and stops on leaving).
    void roomEventsReachFollowersOnly()
    {
        int encodes = 0;
        CountingSession a(m_users.at(1), QLatin1StringView("a"), &encodes);
        CountingSession b(m_users.at(2), QLatin1StringView("a"), &encodes);
        CountingSession explicitOnly(m_users.at(3), QLatin1StringView("a"), &encodes);
        CountingSession attachedOnly(m_users.at(4), QLatin1StringView("a"), &encodes);
        join(&a);
        join(&b);
        m_hub->attach(&explicitOnly);
        m_hub->follow(&explicitOnly, m_group);
        m_hub->attach(&attachedOnly); // follows nothing
        QCOMPARE(m_hub->followerCount(m_group), 3);

        QVERIFY(m_hub->postMessageNow({m_group, m_users.first(), MessageKind::Text, s("hello"), 0, 0, {}}).result
                == PostOutcome::Result::Posted);
        QCOMPARE(a.messages, 1);
        QCOMPARE(b.messages, 1);
        QCOMPARE(explicitOnly.messages, 1);
        QCOMPARE(attachedOnly.messages, 0);

        m_hub->unfollow(&explicitOnly, m_group);
        QCOMPARE(m_hub->followerCount(m_group), 2);

        // A group b is invited to: followed once accepted, not before; a following
        // session of someone who declines never follows it.
        const auto group = m_hub->createGroup(s("Later"), m_users.at(5));
        QVERIFY(group);
        QVERIFY(m_hub->inviteToGroup(m_users.at(5), group->id, m_users.at(2)) == MembershipOutcome::Done);
        QVERIFY(m_hub->inviteToGroup(m_users.at(5), group->id, m_users.at(1)) == MembershipOutcome::Done);
        QCOMPARE(m_hub->followerCount(group->id), 0);
        QVERIFY(m_hub->answerInvitation(m_users.at(2), group->id, true) == MembershipOutcome::Done);
        QVERIFY(m_hub->answerInvitation(m_users.at(1), group->id, false) == MembershipOutcome::Done);
        QCOMPARE(m_hub->followerCount(group->id), 1);
        QVERIFY(m_hub->postMessageNow({group->id, m_users.at(5), MessageKind::Text, s("welcome"), 0, 0, {}}).result
                == PostOutcome::Result::Posted);
        QCOMPARE(b.messages, 2);
        QCOMPARE(a.messages, 1);

        // Detaching ends every follow.
        for (CountingSession *session : {&a, &b, &explicitOnly, &attachedOnly})
            m_hub->detach(session);
        QCOMPARE(m_hub->followerCount(m_group), 0);
        QCOMPARE(m_hub->followerCount(group->id), 0);
    }

    // A receipt for a message older than the hub remembers is still found (in SQL).
    void receiptsForOldMessagesAreFound()
    {
        const PostOutcome old = m_hub->postMessageNow({m_group, m_users.first(), MessageKind::Text, s("old"), 0, 0, {}});
        QVERIFY(old.result == PostOutcome::Result::Posted);
        Hub fresh(*m_store, std::chrono::milliseconds(1000)); // remembers nothing yet
        const qint64 before = m_store->statementCount();
        QVERIFY(fresh.updateReceipt(m_users.at(1), old.message.id, DeliveryStatus::Read) == ReceiptOutcome::Updated);
        QVERIFY(m_store->statementCount() > before);
        QVERIFY(fresh.updateReceipt(m_users.at(1), old.message.id, DeliveryStatus::Read, m_group + 1000)
                == ReceiptOutcome::NotFound); // not in that room
        QVERIFY(fresh.updateReceipt(m_users.at(1), 999999, DeliveryStatus::Read) == ReceiptOutcome::NotFound);
    }

    void presenceFollowsSessions()
    {
        int encodes = 0;
        CountingSession first(m_users.at(3), QLatin1StringView("a"), &encodes);
        CountingSession second(m_users.at(3), QLatin1StringView("b"), &encodes);
        QVERIFY(!m_hub->isOnline(m_users.at(3)));
        join(&first);
        join(&second);
        QVERIFY(m_hub->isOnline(m_users.at(3)));
        m_hub->detach(&first);
        QVERIFY(m_hub->isOnline(m_users.at(3))); // still one session open
        m_hub->detach(&second);
        QVERIFY(!m_hub->isOnline(m_users.at(3)));
        QVERIFY(m_store->userById(m_users.at(3))->lastSeen.isValid());
    }
};

NATTER_SERVER_TEST_MAIN(TestHub)
#include "tst_hub.moc"
