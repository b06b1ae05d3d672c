// Room actions through the Backend interface, for every dialect against the
// real in-process server: people search, direct chats, groups, invitations,
// message requests; and ChatSession's side of them (PeopleModel, roomCreated).

#include "backendfactory.h"
#include "backendtesting.h"
#include "chatsession.h"
#include "hub.h"
#include "gateway/gatewaybackend.h"
#include "social/socialbackend.h"
#include "messagemodel.h"
#include "messagerequestmodel.h"
#include "notificationmodel.h"
#include "peoplemodel.h"
#include "roomlistmodel.h"
#include "store.h"
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

template <typename T> T arg(const QSignalSpy &spy, int call, int index)
{
    return spy.at(call).at(index).value<T>();
}

bool anyText(const QSignalSpy &spy, const QString &text)
{
    for (const QList<QVariant> &call : spy) {
        if (call.first().value<ChatMessage>().text == text)
            return true;
    }
    return false;
}

std::optional<RoomSummary> listed(Backend &backend, const QString &roomKey)
{
    QSignalSpy rooms(&backend, &Backend::roomsListed);
    backend.listRooms();
    if (!rooms.wait())
        return std::nullopt;
    for (const RoomSummary &room : arg<QList<RoomSummary>>(rooms, 0, 0)) {
        if (room.key == roomKey)
            return room;
    }
    return std::nullopt;
}

void addDialects()
{
    QTest::addColumn<QString>("dialect");
    for (const QString &dialect : backendDialects())
        QTest::newRow(qPrintable(dialect)) << dialect;
}

} // namespace

class TestRoomActions : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_dir;
    Account m_alice;
    Account m_bob;
    QString m_bobUuid;

    std::unique_ptr<Backend> connected(const QString &dialect, const QString &user)
    {
        auto backend = makeBackend(dialect, test::passwordSignIn(*m_server, user));
        backend->connectToServer();
        if (!test::waitConnected(*backend))
            return nullptr;
        return backend;
    }

    // Bob, as alice's backend finds him.
    std::optional<Person> findBob(Backend &alice)
    {
        QSignalSpy found(&alice, &Backend::peopleFound);
        alice.searchPeople(s("BO"));
        if (!found.wait())
            return std::nullopt;
        const auto people = arg<QList<Person>>(found, 0, 1);
        if (people.size() != 1)
            return std::nullopt;
        return people.first();
    }

    static QString bobId(const QString &dialect, const Account &bob, const QString &bobUuid)
    {
        if (dialect == u"chats")
            return bob.username;
        if (dialect == u"gateway")
            return bobUuid;
        return QString::number(bob.id);
    }

    static bool subscribe(Backend &backend, const QString &roomKey)
    {
        QSignalSpy subscribed(&backend, &Backend::subscribed);
        backend.subscribe(roomKey);
        return QTest::qWaitFor([&] {
            for (const QList<QVariant> &call : subscribed) {
                if (call.first().toString() == roomKey)
                    return backend.canSendTo(roomKey);
            }
            return false;
        }, 5000);
    }

    static OutgoingMessage text(const QString &roomKey, const QString &clientId, const QString &body)
    {
        OutgoingMessage message;
        message.roomKey = roomKey;
        message.clientId = clientId;
        message.text = body;
        return message;
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob Builder"));
        QVERIFY(m_server->registerUser(s("carol"), s("Carol")).id);
        m_bobUuid = m_server->server().store().userById(m_bob.id)->uuid.toString(QUuid::WithoutBraces);
    }
    void cleanup() { m_server.reset(); }

    void searchFindsPeople_data() { addDialects(); }
    void searchFindsPeople()
    {
        QFETCH(QString, dialect);
        auto alice = connected(dialect, s("alice"));
        QVERIFY(alice);
        QVERIFY(alice->can(Backend::Capability::PeopleSearch));
        const auto bob = findBob(*alice);
        QVERIFY(bob);
        QCOMPARE(bob->id, bobId(dialect, m_bob, m_bobUuid));
        QCOMPARE(bob->natterId, m_bob.id);
        QCOMPARE(bob->username, s("bob"));
        QCOMPARE(bob->displayName, s("Bob Builder"));

        // Not ourselves; a query with a space and an ampersand goes as it is.
        QSignalSpy found(alice.get(), &Backend::peopleFound);
        alice->searchPeople(s("b B"));
        QVERIFY(found.wait());
        QCOMPARE(arg<QList<Person>>(found, 0, 1).size(), 1);
        found.clear();
        alice->searchPeople(s("b&B"));
        QVERIFY(found.wait());
        QVERIFY(arg<QList<Person>>(found, 0, 1).isEmpty());
        found.clear();
        alice->searchPeople(s("alice"));
        QVERIFY(found.wait());
        QCOMPARE(arg<QString>(found, 0, 0), s("alice"));
        QVERIFY(arg<QList<Person>>(found, 0, 1).isEmpty());
    }

    void directChatReachesTheOther_data() { addDialects(); }
    void directChatReachesTheOther()
    {
        QFETCH(QString, dialect);
        auto alice = connected(dialect, s("alice"));
        auto bob = connected(dialect, s("bob"));
        QVERIFY(alice && bob);
        QVERIFY(alice->can(Backend::Capability::CreateRooms));
        const auto bobPerson = findBob(*alice);
        QVERIFY(bobPerson);

        QSignalSpy created(alice.get(), &Backend::roomCreated);
        alice->startDirectChat(*bobPerson);
        QVERIFY(created.wait());
        const RoomSummary room = arg<RoomSummary>(created, 0, 0);
        QVERIFY(!room.key.isEmpty());
        QVERIFY(room.kind == RoomKind::Direct);
        QCOMPARE(room.other.id, bobPerson->id);

        if (dialect == u"gateway") {
            // No thread before the first message: a draft addressed to bob.
            QCOMPARE(room.key, GatewayBackend::draftKey(m_bobUuid));
            QSignalSpy requests(bob.get(), &Backend::messageRequestReceived);
            QSignalSpy acked(alice.get(), &Backend::messageAcked);
            QVERIFY(subscribe(*alice, room.key));
            alice->send(text(room.key, s("d-1"), s("Hello from a new chat")));
            QVERIFY(acked.wait());
            const QString thread = arg<ChatMessage>(acked, 0, 1).roomKey;
            QVERIFY(!thread.isEmpty() && thread != room.key);
            QTRY_COMPARE(requests.size(), 1);
            QCOMPARE(requests.first().first().value<MessageRequest>().text, s("Hello from a new chat"));
            // The thread replaces the draft, and the thread list has it.
            QTRY_COMPARE(created.size(), 2);
            QCOMPARE(arg<RoomSummary>(created, 1, 0).key, thread);
            QCOMPARE(arg<RoomSummary>(created, 1, 0).other.id, m_bobUuid);
            QVERIFY(listed(*alice, thread));
            // Asking again gives the thread.
            alice->startDirectChat(*bobPerson);
            QTRY_COMPARE(created.size(), 3);
            QCOMPARE(arg<RoomSummary>(created, 2, 0).key, thread);
            return;
        }

        // Both room lists show it (social names it by the other person); the message reaches bob.
        QVERIFY(listed(*alice, room.key));
        const QString bobsKey = dialect == u"social" ? SocialBackend::userKey(QString::number(m_alice.id)) : room.key;
        const auto bobsRoom = listed(*bob, bobsKey);
        QVERIFY(bobsRoom);
        QVERIFY(bobsRoom->kind == RoomKind::Direct);
        QVERIFY(subscribe(*alice, room.key));
        QVERIFY(subscribe(*bob, bobsKey));
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(text(room.key, s("d-1"), s("Hello from a new chat")));
        QTRY_VERIFY(anyText(received, s("Hello from a new chat")));
        QCOMPARE(received.last().first().value<ChatMessage>().roomKey, bobsKey);

        // Starting it again gives the same room.
        alice->startDirectChat(*bobPerson);
        QTRY_COMPARE(created.size(), 2);
        QCOMPARE(arg<RoomSummary>(created, 1, 0).key, room.key);
    }

    void groupWithMember_data() { addDialects(); }
    void groupWithMember()
    {
        QFETCH(QString, dialect);
        auto alice = connected(dialect, s("alice"));
        auto bob = connected(dialect, s("bob"));
        QVERIFY(alice && bob);
        const auto bobPerson = findBob(*alice);
        QVERIFY(bobPerson);

        QSignalSpy created(alice.get(), &Backend::roomCreated);
        QSignalSpy finished(alice.get(), &Backend::actionFinished);
        QSignalSpy failed(alice.get(), &Backend::actionFailed);
        alice->createGroup(s("Book club"), {*bobPerson});
        if (dialect == u"gateway") {
            // Groups are not threads.
            QCOMPARE(failed.size(), 1);
            QCOMPARE(arg<QString>(failed, 0, 0), s("group"));
            QCOMPARE(arg<QString>(failed, 0, 2), s("Creating a group is not supported by this server"));
            QVERIFY(created.isEmpty());
            return;
        }
        QVERIFY(alice->can(Backend::Capability::Groups));
        QVERIFY(created.wait());
        const RoomSummary group = arg<RoomSummary>(created, 0, 0);
        QVERIFY(group.kind == RoomKind::Group);
        QCOMPARE(group.name, s("Book club"));
        QVERIFY(group.id > 0);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(arg<QString>(finished, 0, 0), s("invite"));
        QCOMPARE(arg<QString>(finished, 0, 1), group.key);
        QVERIFY2(arg<bool>(finished, 0, 2), qPrintable(arg<QString>(finished, 0, 3)));
        QVERIFY(failed.isEmpty());
        QVERIFY(listed(*alice, group.key));

        // Bob accepts (by the group's id: he is not in it yet) and has it too.
        QSignalSpy bobCreated(bob.get(), &Backend::roomCreated);
        QSignalSpy bobFinished(bob.get(), &Backend::actionFinished);
        bob->answerInvitation(QString::number(group.id), true);
        QVERIFY(bobFinished.wait());
        QCOMPARE(arg<QString>(bobFinished, 0, 0), s("accept"));
        QVERIFY2(arg<bool>(bobFinished, 0, 2), qPrintable(arg<QString>(bobFinished, 0, 3)));
        QTRY_COMPARE(bobCreated.size(), 1);
        QCOMPARE(arg<RoomSummary>(bobCreated, 0, 0).key, group.key);
        QVERIFY(listed(*bob, group.key));

        // Inviting again: the server says why not.
        alice->inviteToGroup(group.key, *bobPerson);
        QTRY_COMPARE(finished.size(), 2);
        QVERIFY(!arg<bool>(finished, 1, 2));
        QCOMPARE(arg<QString>(finished, 1, 3), s("The user is already a member or invited"));
        QCOMPARE(failed.size(), 1);
    }

    void socialInvitationAcceptedAndDeclined()
    {
        auto alice = connected(s("social"), s("alice"));
        auto bob = connected(s("social"), s("bob"));
        QVERIFY(alice && bob);
        const auto bobPerson = findBob(*alice);
        QVERIFY(bobPerson);

        QSignalSpy created(alice.get(), &Backend::roomCreated);
        alice->createGroup(s("Chess"), {});
        alice->createGroup(s("Darts"), {});
        QTRY_COMPARE(created.size(), 2);
        RoomSummary chess = arg<RoomSummary>(created, 0, 0);
        RoomSummary darts = arg<RoomSummary>(created, 1, 0);
        if (chess.name != s("Chess"))
            std::swap(chess, darts);

        QSignalSpy notified(bob.get(), &Backend::notificationReceived);
        QSignalSpy finished(alice.get(), &Backend::actionFinished);
        alice->inviteToGroup(chess.key, *bobPerson);
        alice->inviteToGroup(darts.key, *bobPerson);
        QTRY_COMPARE(finished.size(), 2);
        QVERIFY(arg<bool>(finished, 0, 2) && arg<bool>(finished, 1, 2));
        QTRY_COMPARE(notified.size(), 2);
        QStringList invitedTo;
        for (const QList<QVariant> &call : std::as_const(notified)) {
            const auto notification = call.first().value<Notification>();
            QCOMPARE(notification.type, s("group_invite"));
            invitedTo.append(notification.roomKey);
        }
        invitedTo.sort();
        QStringList expected{chess.key, darts.key};
        expected.sort();
        QCOMPARE(invitedTo, expected);

        // Accept one: bob is a member and has the room; decline the other: not.
        QSignalSpy bobFinished(bob.get(), &Backend::actionFinished);
        QSignalSpy bobCreated(bob.get(), &Backend::roomCreated);
        bob->answerInvitation(chess.key, true);
        bob->answerInvitation(darts.key, false);
        QTRY_COMPARE(bobFinished.size(), 2);
        QVERIFY(arg<bool>(bobFinished, 0, 2) && arg<bool>(bobFinished, 1, 2));
        QTRY_COMPARE(bobCreated.size(), 1);
        QCOMPARE(arg<RoomSummary>(bobCreated, 0, 0).key, chess.key);
        QCOMPARE(arg<RoomSummary>(bobCreated, 0, 0).name, s("Chess"));
        server::Store &store = m_server->server().store();
        QVERIFY(store.membership(chess.id, m_bob.id)->state == MembershipState::Active);
        QVERIFY(!store.membership(darts.id, m_bob.id));
        QVERIFY(listed(*bob, chess.key));
        QVERIFY(!listed(*bob, darts.key));

        // Answering again: nothing pending any more.
        QSignalSpy failed(bob.get(), &Backend::actionFailed);
        bob->answerInvitation(darts.key, true);
        QVERIFY(failed.wait());
        QCOMPARE(arg<QString>(failed, 0, 0), s("accept"));
        QVERIFY(!arg<QString>(failed, 0, 2).isEmpty());
    }

    void gatewayMessageRequestAnsweredByTutorOnly()
    {
        server::Store &store = m_server->server().store();
        QVERIFY(store.setUserRole(m_bob.id, UserRole::Tutor));
        auto alice = connected(s("gateway"), s("alice"));
        auto bob = connected(s("gateway"), s("bob"));
        auto carol = connected(s("gateway"), s("carol"));
        QVERIFY(alice && bob && carol);

        // Alice writes first to bob (a tutor) and to carol (not one).
        QSignalSpy bobRequests(bob.get(), &Backend::messageRequestReceived);
        QSignalSpy carolRequests(carol.get(), &Backend::messageRequestReceived);
        const QString carolUuid = store.userByName(s("carol"))->uuid.toString(QUuid::WithoutBraces);
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(text(GatewayBackend::draftKey(m_bobUuid), s("r-1"), s("A question, Bob")));
        alice->send(text(GatewayBackend::draftKey(carolUuid), s("r-2"), s("A question, Carol")));
        QTRY_COMPARE(bobRequests.size(), 1);
        QTRY_COMPARE(carolRequests.size(), 1);
        const QString bobThread = bobRequests.first().first().value<MessageRequest>().threadKey;
        const QString carolThread = carolRequests.first().first().value<MessageRequest>().threadKey;

        QSignalSpy bobFinished(bob.get(), &Backend::actionFinished);
        bob->answerMessageRequest(bobThread, true);
        QVERIFY(bobFinished.wait());
        QCOMPARE(arg<QString>(bobFinished, 0, 0), s("approve"));
        QCOMPARE(arg<QString>(bobFinished, 0, 1), bobThread);
        QVERIFY(arg<bool>(bobFinished, 0, 2));
        QVERIFY(store.membership(store.roomByUuid(QUuid::fromString(bobThread))->id, m_bob.id)->state
                == MembershipState::Active);

        QSignalSpy carolFailed(carol.get(), &Backend::actionFailed);
        carol->answerMessageRequest(carolThread, false);
        QVERIFY(carolFailed.wait());
        QCOMPARE(arg<QString>(carolFailed, 0, 0), s("block"));
        QCOMPARE(arg<QString>(carolFailed, 0, 1), carolThread);
        QCOMPARE(arg<QString>(carolFailed, 0, 2), s("Only tutors can approve or block threads"));

        // Other dialects have no message requests.
        auto rooms = connected(s("rooms"), s("bob"));
        QVERIFY(rooms);
        QSignalSpy unsupported(rooms.get(), &Backend::actionFailed);
        rooms->answerMessageRequest(bobThread, true);
        QCOMPARE(unsupported.size(), 1);
        QCOMPARE(arg<QString>(unsupported, 0, 2), s("Answering a message request is not supported by this server"));
    }

    // ---- ChatSession ------------------------------------------------------------

    void sessionPeopleModelAndRoomCreated()
    {
        auto session = std::make_unique<ChatSession>(makeBackend(s("rooms"), test::passwordSignIn(*m_server, s("alice"))),
                                                      m_dir.filePath(s("alice-people.db")));
        QAbstractItemModelTester peopleTester(session->people(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester roomsTester(session->rooms(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(session->start());
        QVERIFY(test::waitConnected(session->backend()));
        QTRY_COMPARE(session->rooms()->count(), 1); // the lobby
        QVERIFY(session->canSearchPeople());
        QVERIFY(session->canCreateGroups());
        QVERIFY(!session->hasMessageRequests());

        // Only the latest query's answer shows.
        session->searchPeople(s("o"));
        session->searchPeople(s("bob"));
        QTRY_COMPARE(session->people()->count(), 1);
        PeopleModel &people = *session->people();
        const QModelIndex bob = people.index(0);
        QCOMPARE(people.data(bob, PeopleModel::PersonIdRole).toString(), QString::number(m_bob.id));
        QCOMPARE(people.data(bob, PeopleModel::UsernameRole).toString(), s("bob"));
        QCOMPARE(people.data(bob, PeopleModel::DisplayNameRole).toString(), s("Bob Builder"));
        QCOMPARE(people.data(bob, Qt::DisplayRole).toString(), s("Bob Builder"));
        QCOMPARE(people.data(bob, PeopleModel::OnlineRole).toBool(), false);
        QCOMPARE(people.roleNames().value(PeopleModel::PersonIdRole), QByteArray("personId"));
        session->searchPeople(s("o"));
        QTRY_COMPARE(people.count(), 2); // bob and carol

        QSignalSpy created(session.get(), &ChatSession::roomCreated);
        session->startDirectChat(QString::number(m_bob.id));
        QVERIFY(created.wait());
        const QString direct = created.first().first().toString();
        const int row = session->rooms()->roomIndex(direct);
        QVERIFY(row >= 0);
        QCOMPARE(session->rooms()->data(session->rooms()->index(row), RoomListModel::NameRole).toString(),
                 s("Bob Builder"));

        session->createGroup(s("Team"), {QString::number(m_bob.id)});
        QTRY_COMPARE(created.size(), 2);
        QVERIFY(session->rooms()->roomIndex(created.last().first().toString()) >= 0);
        QCOMPARE(session->rooms()->count(), 3);

        QSignalSpy failed(session.get(), &ChatSession::actionFailed);
        session->createGroup(s("  "));
        QCOMPARE(failed.size(), 1);
        session->answerMessageRequest(s("x"), true);
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed.last().first().toString(), s("Answering a message request is not supported by this server"));
    }

    // rooms, cable and chats have no notification channel: a Natter server's
    // invitations come over its REST, are answered from the list, and do not
    // come back on the next fetch.
    void invitationWithoutANotificationChannel_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::newRow("rooms") << s("rooms");
        QTest::newRow("cable") << s("cable");
        QTest::newRow("chats") << s("chats");
    }
    void invitationWithoutANotificationChannel()
    {
        QFETCH(QString, dialect);
        auto alice = connected(s("rooms"), s("alice"));
        QVERIFY(alice);
        QSignalSpy created(alice.get(), &Backend::roomCreated);
        alice->createGroup(s("Book club ") + dialect, {Person{QString::number(m_bob.id), {}, {}, false, {}, 0}});
        QVERIFY(created.wait());
        const qint64 groupId = arg<RoomSummary>(created, 0, 0).id;
        QVERIFY(groupId > 0);

        ChatSession bob(makeBackend(dialect, test::passwordSignIn(*m_server, s("bob"))),
                        m_dir.filePath(s("bob-invite-") + dialect + s(".db")));
        QAbstractItemModelTester tester(bob.notifications(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(bob.start());
        QTRY_COMPARE(bob.notifications()->count(), 1);
        QVERIFY(bob.hasNotifications());
        const QModelIndex invite = bob.notifications()->index(0);
        QCOMPARE(invite.data(NotificationModel::TypeRole).toString(), s("group_invite"));
        const QString key = invite.data(NotificationModel::RoomKeyRole).toString();
        QCOMPARE(key, QString::number(groupId));

        QSignalSpy bobCreated(&bob, &ChatSession::roomCreated);
        bob.answerInvitation(key, true);
        QVERIFY(bobCreated.wait());
        QTRY_COMPARE(bob.notifications()->count(), 0);
        QTRY_VERIFY(bob.rooms()->roomIndex(bobCreated.first().first().toString()) >= 0);

        // Answered, the invitation is read on the server: a fresh session (after a
        // restart) lists only what is new — here a second invitation.
        QSignalSpy createdAgain(alice.get(), &Backend::roomCreated);
        alice->createGroup(s("Chess club ") + dialect, {Person{QString::number(m_bob.id), {}, {}, false, {}, 0}});
        QVERIFY(createdAgain.wait());
        const qint64 secondGroup = arg<RoomSummary>(createdAgain, 0, 0).id;
        ChatSession restarted(makeBackend(dialect, test::passwordSignIn(*m_server, s("bob"))),
                              m_dir.filePath(s("bob-invite-again-") + dialect + s(".db")));
        QVERIFY(restarted.start());
        QTRY_COMPARE(restarted.notifications()->count(), 1);
        QCOMPARE(restarted.notifications()->index(0).data(NotificationModel::RoomKeyRole).toString(),
                 QString::number(secondGroup));
    }

    // Where the server pushes room changes (Natter's social, gateway and cable
    // doors) a room someone opens with us shows at once, and nothing polls;
    // rooms and chats push nothing about rooms and keep the 15 s poll.
    void roomsOpenedByOthersShowWithoutPolling_data()
    {
        QTest::addColumn<QString>("dialect");
        QTest::addColumn<bool>("pushes");
        QTest::newRow("cable") << s("cable") << true;
        QTest::newRow("social") << s("social") << true;
        QTest::newRow("gateway") << s("gateway") << true;
        QTest::newRow("natter") << s("natter") << true;
        QTest::newRow("rooms") << s("rooms") << false;
        QTest::newRow("chats") << s("chats") << false;
    }
    void roomsOpenedByOthersShowWithoutPolling()
    {
        QFETCH(QString, dialect);
        QFETCH(bool, pushes);
        ChatSession bob(makeBackend(dialect, test::passwordSignIn(*m_server, s("bob"))),
                        m_dir.filePath(s("bob-pushed-") + dialect + s(".db")));
        QAbstractItemModelTester tester(bob.rooms(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy listed(&bob.backend(), &Backend::roomsListed);
        QVERIFY(bob.start());
        QTRY_VERIFY(listed.size() > 0); // the first room list: the server is known to be Natter's
        QVERIFY(bob.backend().connectionState() == Backend::ConnectionState::Connected);
        QCOMPARE(bob.pollsRoomList(), !pushes);
        if (!pushes)
            return;
        const int before = bob.rooms()->rowCount();
        const auto direct = m_server->server().hub().openDirectRoom(m_alice.id, m_bob.id);
        QVERIFY(direct && direct->created);
        // Well inside the poll's 15 s: only a push can bring it this soon.
        QTRY_VERIFY_WITH_TIMEOUT(bob.rooms()->rowCount() > before, 5000);
        QVERIFY(!bob.pollsRoomList());
    }

    void sessionAnswersRemoveNotificationsAndRequests()
    {
        server::Store &store = m_server->server().store();
        QVERIFY(store.setUserRole(m_bob.id, UserRole::Tutor));
        // Social: an invitation's notification goes once accepted.
        {
            auto alice = connected(s("social"), s("alice"));
            QVERIFY(alice);
            QSignalSpy created(alice.get(), &Backend::roomCreated);
            alice->createGroup(s("Quiz"), {Person{QString::number(m_bob.id), {}, {}, false, {}, 0}});
            QVERIFY(created.wait());
            const QString group = arg<RoomSummary>(created, 0, 0).key;

            ChatSession bob(makeBackend(s("social"), test::passwordSignIn(*m_server, s("bob"))),
                            m_dir.filePath(s("bob-social.db")));
            QVERIFY(bob.start());
            QTRY_COMPARE(bob.notifications()->count(), 1);
            QVERIFY(bob.hasNotifications());
            QSignalSpy bobCreated(&bob, &ChatSession::roomCreated);
            bob.answerInvitation(group, true);
            QVERIFY(bobCreated.wait());
            QCOMPARE(bobCreated.first().first().toString(), group);
            QTRY_COMPARE(bob.notifications()->count(), 0);
            QVERIFY(bob.rooms()->roomIndex(group) >= 0);
        }
        // Gateway: an approved request leaves the model; the draft gives way to the thread.
        ChatSession alice(makeBackend(s("gateway"), test::passwordSignIn(*m_server, s("alice"))),
                          m_dir.filePath(s("alice-gateway.db")));
        ChatSession bob(makeBackend(s("gateway"), test::passwordSignIn(*m_server, s("bob"))),
                        m_dir.filePath(s("bob-gateway.db")));
        QVERIFY(alice.start());
        QVERIFY(bob.start());
        QVERIFY(test::waitConnected(alice.backend()));
        QVERIFY(test::waitConnected(bob.backend()));
        QVERIFY(bob.hasMessageRequests());
        QVERIFY(!alice.canCreateGroups());
        alice.searchPeople(s("bob"));
        QTRY_COMPARE(alice.people()->count(), 1);
        QSignalSpy created(&alice, &ChatSession::roomCreated);
        alice.startDirectChat(m_bobUuid);
        QVERIFY(created.wait());
        const QString draft = created.first().first().toString();
        QCOMPARE(draft, GatewayBackend::draftKey(m_bobUuid));
        QVERIFY(alice.rooms()->roomIndex(draft) >= 0);
        auto *draftModel = alice.openRoom(draft);
        const QString clientId = alice.sendText(draft, s("Hi Bob"));
        QTRY_COMPARE(created.size(), 2);
        const QString thread = created.last().first().toString();
        QVERIFY(alice.rooms()->roomIndex(thread) >= 0);
        QCOMPARE(alice.rooms()->roomIndex(draft), -1);
        // The echo in the draft's model is acknowledged all the same.
        QTRY_COMPARE(draftModel->data(draftModel->index(draftModel->rowOfClientId(clientId)), MessageModel::StatusRole)
                         .toInt(),
                     int(DeliveryStatus::Sent));

        QTRY_COMPARE(bob.messageRequests()->count(), 1);
        bob.answerMessageRequest(thread, true);
        QTRY_COMPARE(bob.messageRequests()->count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRoomActions)
#include "tst_roomactions.moc"
