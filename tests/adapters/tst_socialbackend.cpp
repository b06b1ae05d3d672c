// The `social` client adapter (spec 002): against Natter's server in-process
// (cookie sign-in, private and group messages confirmed from the history,
// invitations and notifications, history paging, room list, catch-up, the
// durable outbox without duplicates, and a direct room shared with the `rooms`
// adapter), and against a wire-level fake of the spec (the handshake's Cookie
// and Origin, notification / broadcast / private frames, the exact client
// frame, and a send nobody confirms).

#include "backendtesting.h"
#include "messagesender.h"
#include "outbox.h"
#include "rooms/roomsbackend.h"
#include "social/socialbackend.h"
#include "store.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

using namespace natter;
using namespace natter::client;
using natter::test::Account;
using natter::test::TestServer;
using natter::test::waitConnected;

namespace {

QString s(const char *text) { return QString::fromUtf8(text); }

// A spec 002 server in a few lines: accepts any upgrade, records what the
// client sent and in which handshake, and lets the test speak for the server.
class FakeSocialServer : public QObject
{
public:
    FakeSocialServer()
        : m_server(s("fake social"), QWebSocketServer::NonSecureMode)
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                sockets.append(socket);
                handshakes.append(socket->request());
                origins.append(socket->origin());
                connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                    frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    void refuseOrigins()
    {
        connect(&m_server, &QWebSocketServer::originAuthenticationRequired, this,
                [](QWebSocketCorsAuthenticator *authenticator) { authenticator->setAllowed(false); });
    }
    QUrl url() const
    {
        QUrl url(s("http://127.0.0.1"));
        url.setPort(m_server.serverPort());
        return url;
    }
    void send(const QJsonObject &frame)
    {
        sockets.last()->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
    }

    QList<QWebSocket *> sockets;
    QList<QNetworkRequest> handshakes;
    QStringList origins;
    QList<QJsonObject> frames;

private:
    QWebSocketServer m_server;
};

} // namespace

class TestSocialBackend : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    Account m_alice;
    Account m_bob;
    QString m_directRoom; // Natter's id of alice and bob's direct room
    QTemporaryDir m_dir;

    Backend::Settings settingsFor(const QString &user) const { return test::passwordSignIn(*m_server, user); }
    std::unique_ptr<SocialBackend> signedIn(const QString &user) const
    {
        return std::make_unique<SocialBackend>(settingsFor(user));
    }

    static OutgoingMessage text(const QString &roomKey, const QString &clientId, const QString &body)
    {
        OutgoingMessage message;
        message.roomKey = roomKey;
        message.clientId = clientId;
        message.text = body;
        return message;
    }

    static bool anyText(const QSignalSpy &spy, const QString &text, int argument = 0)
    {
        return std::any_of(spy.cbegin(), spy.cend(), [&](const QList<QVariant> &args) {
            return args.at(argument).value<ChatMessage>().text == text;
        });
    }

    QStringList storedTexts(const QString &roomId)
    {
        QStringList texts;
        const auto messages = m_server->server().store().messages(roomId.toLongLong(), 200);
        for (auto it = messages.crbegin(); it != messages.crend(); ++it)
            texts.append(it->body);
        return texts;
    }

    QString bobKey() const { return SocialBackend::userKey(QString::number(m_bob.id)); }
    QString aliceKey() const { return SocialBackend::userKey(QString::number(m_alice.id)); }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->start());
        m_alice = m_server->registerUser(s("alice"), s("Alice"));
        m_bob = m_server->registerUser(s("bob"), s("Bob"));
        const auto room = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_bob.id}},
                                         m_alice.token);
        QCOMPARE(room.status, 201);
        m_directRoom = QString::number(room.json.value(s("id")).toInteger());
    }
    void cleanup() { m_server.reset(); }

    // ---- against Natter's server --------------------------------------------

    void privateMessageIsConfirmedFromHistory()
    {
        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        alice->connectToServer();
        bob->connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(*bob));
        QCOMPARE(alice->self().id, QString::number(m_alice.id));
        QVERIFY(alice->can(Backend::Capability::Notifications));
        QVERIFY(alice->can(Backend::Capability::DirectByPerson));
        QVERIFY(!alice->can(Backend::Capability::Receipts));

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy failed(alice.get(), &Backend::sendFailed);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        alice->send(text(bobKey(), s("c-1"), s("hi Bob")));
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(0).toString(), s("c-1"));
        const auto stored = acked.first().at(1).value<ChatMessage>();
        QVERIFY(!stored.id.isEmpty());
        QCOMPARE(stored.roomKey, bobKey());
        QCOMPARE(stored.clientId, s("c-1"));
        QVERIFY(stored.outgoing);
        QCOMPARE(stored.text, s("hi Bob"));

        QTRY_VERIFY(!received.isEmpty());
        const auto incoming = received.first().first().value<ChatMessage>();
        QCOMPARE(incoming.roomKey, aliceKey()); // bob sees the conversation with alice
        QCOMPARE(incoming.id, stored.id);
        QCOMPARE(incoming.text, s("hi Bob"));
        QCOMPARE(incoming.sender.id, QString::number(m_alice.id));
        QVERIFY(!incoming.outgoing);

        // Two identical texts: each send is confirmed by its own stored message.
        alice->send(text(bobKey(), s("c-2"), s("same")));
        alice->send(text(bobKey(), s("c-3"), s("same")));
        QTRY_COMPARE(acked.size(), 3);
        const auto second = acked.at(1).at(1).value<ChatMessage>();
        const auto third = acked.at(2).at(1).value<ChatMessage>();
        QCOMPARE(acked.at(1).at(0).toString(), s("c-2"));
        QCOMPARE(acked.at(2).at(0).toString(), s("c-3"));
        QVERIFY(second.id != third.id);
        QVERIFY(second.id.toLongLong() < third.id.toLongLong());
        QVERIFY(failed.isEmpty());
        QCOMPARE(storedTexts(m_directRoom), (QStringList{s("hi Bob"), s("same"), s("same")}));
    }

    // Many messages arrived after ours before the check: it pages back to find it.
    void confirmationPagesBackInABusyRoom()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        alice->setConfirmationSchedule({60'000}); // hold the check back
        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        alice->send(text(bobKey(), s("needle"), s("needle")));
        QTRY_COMPARE(storedTexts(m_directRoom), QStringList{s("needle")});
        for (int i = 0; i < 120; ++i)
            QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                    QJsonObject{{s("room"), m_directRoom.toLongLong()}, {s("content"), QString::number(i)}},
                                    m_bob.token).status, 201);
        QVERIFY(acked.isEmpty());
        alice->setConfirmationSchedule({0}); // check now
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(0).toString(), s("needle"));
        const auto stored = acked.first().at(1).value<ChatMessage>();
        QCOMPARE(stored.text, s("needle"));
        QCOMPARE(stored.id, QString::number(m_server->server().store().messages(m_directRoom.toLongLong(), 200).constLast().id));
    }

    void cookieSignInWithOrigin()
    {
        const auto login = m_server->post(s("/api/auth/login"),
                                          QJsonObject{{s("username"), s("alice")}, {s("password"), s("password123")}});
        QCOMPARE(login.status, 200);
        QString cookie;
        for (const QByteArray &line : login.setCookies) {
            if (line.startsWith("natter_session="))
                cookie = QString::fromUtf8(line.split(';').first());
        }
        QVERIFY(!cookie.isEmpty());

        Backend::Settings settings;
        settings.serverUrl = m_server->url(QString());
        settings.signIn.cookie = cookie; // no password, no token: the cookie alone
        SocialBackend alice(settings);
        alice.connectToServer();
        QVERIFY(waitConnected(alice));
        QTRY_COMPARE(alice.self().id, QString::number(m_alice.id)); // from /api/auth/me

        QSignalSpy acked(&alice, &Backend::messageAcked);
        alice.send(text(bobKey(), s("k-1"), s("by cookie")));
        QVERIFY(acked.wait());
        QCOMPARE(storedTexts(m_directRoom), QStringList{s("by cookie")});
    }

    void invalidCookieGivesUp()
    {
        Backend::Settings settings;
        settings.serverUrl = m_server->url(QString());
        settings.signIn.cookie = s("natter_session=not-a-session");
        SocialBackend alice(settings);
        alice.reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(50), std::chrono::milliseconds(100));
        QSignalSpy errors(&alice, &Backend::errorOccurred);
        alice.connectToServer();
        QTRY_VERIFY(std::any_of(errors.cbegin(), errors.cend(), [](const QList<QVariant> &args) {
            return args.first().toString().contains(s("401"));
        }));
        QTRY_VERIFY(alice.connectionState() == Backend::ConnectionState::Disconnected);
    }

    void groupInvitationNotificationAndMessage()
    {
        const auto group = m_server->post(s("/api/groups"), QJsonObject{{s("name"), s("Developers")}}, m_alice.token);
        QCOMPARE(group.status, 201);
        const QString groupId = QString::number(group.json.value(s("id")).toInteger());

        auto alice = signedIn(s("alice"));
        auto bob = signedIn(s("bob"));
        alice->connectToServer();
        bob->connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(*bob));

        // Not a member yet: Natter's error frame fails the one unconfirmed send.
        QSignalSpy bobFailed(bob.get(), &Backend::sendFailed);
        bob->send(text(groupId, s("g-0"), s("let me in")));
        QVERIFY(bobFailed.wait());
        QCOMPARE(bobFailed.first().at(0).toString(), s("g-0"));
        QCOMPARE(bobFailed.first().at(1).toString(), s("You are not a member of this group"));

        QSignalSpy notified(bob.get(), &Backend::notificationReceived);
        QSignalSpy invited(alice.get(), &SocialBackend::groupRequestFinished);
        alice->inviteToGroup(groupId, QString::number(m_bob.id), s("Developers"));
        QVERIFY(invited.wait());
        QCOMPARE(invited.first().at(2).toBool(), true);
        QTRY_VERIFY(!notified.isEmpty());
        const auto notification = notified.first().first().value<Notification>();
        QCOMPARE(notification.type, s("group_invite"));
        QCOMPARE(notification.roomKey, groupId);
        QVERIFY(!notification.id.isEmpty());
        QVERIFY(!notification.message.isEmpty());

        QSignalSpy listed(bob.get(), &SocialBackend::notificationsListed);
        bob->listNotifications();
        QVERIFY(listed.wait());
        const auto stored = listed.first().first().value<QList<Notification>>();
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().id, notification.id);
        QCOMPARE(stored.first().type, s("group_invite"));
        QVERIFY(!stored.first().read);
        QSignalSpy markedRead(bob.get(), &SocialBackend::notificationsMarkedRead);
        bob->markNotificationsRead();
        QVERIFY(markedRead.wait());
        QCOMPARE(markedRead.first().first().toBool(), true);

        QSignalSpy accepted(bob.get(), &SocialBackend::groupRequestFinished);
        bob->answerInvitation(groupId, true);
        QVERIFY(accepted.wait());
        QCOMPARE(accepted.first().at(0).toString(), s("accept"));
        QCOMPARE(accepted.first().at(2).toBool(), true);

        QSignalSpy acked(alice.get(), &Backend::messageAcked);
        QSignalSpy received(bob.get(), &Backend::messageReceived);
        alice->send(text(s("group:") + groupId, s("g-1"), s("hello developers"))); // the alias works too
        QVERIFY(acked.wait());
        QCOMPARE(acked.first().at(1).value<ChatMessage>().roomKey, groupId);
        QTRY_VERIFY(anyText(received, s("hello developers")));
        const auto incoming = received.last().first().value<ChatMessage>();
        QCOMPARE(incoming.roomKey, groupId);
        QCOMPARE(incoming.id, acked.first().at(1).value<ChatMessage>().id);
        QCOMPARE(incoming.sender.username, s("alice"));

        QSignalSpy rooms(bob.get(), &Backend::roomsListed);
        bob->listRooms();
        QVERIFY(rooms.wait());
        const auto list = rooms.first().first().value<QList<RoomSummary>>();
        const auto findKey = [&list](const QString &key) {
            return std::find_if(list.cbegin(), list.cend(), [&key](const RoomSummary &r) { return r.key == key; });
        };
        const auto groupRoom = findKey(groupId);
        QVERIFY(groupRoom != list.cend());
        QVERIFY(groupRoom->kind == RoomKind::Group);
        QCOMPARE(groupRoom->name, s("Developers"));
        const auto direct = findKey(aliceKey());
        QVERIFY(direct != list.cend());
        QVERIFY(direct->kind == RoomKind::Direct);
        QCOMPARE(direct->id, m_directRoom.toLongLong());
        QCOMPARE(direct->other.id, QString::number(m_alice.id));
    }

    // Natter pushes room changes (notification subtype room_update): the room
    // list follows without polling, and nothing shows as a notification.
    void roomListFollowsRoomUpdates()
    {
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QSignalSpy listed(alice.get(), &Backend::roomsListed);
        QSignalSpy notified(alice.get(), &Backend::notificationReceived);
        auto hasRoom = [&listed](const QString &key) {
            return std::any_of(listed.cbegin(), listed.cend(), [&key](const QList<QVariant> &args) {
                const auto rooms = args.first().value<QList<RoomSummary>>();
                return std::any_of(rooms.cbegin(), rooms.cend(), [&key](const RoomSummary &room) { return room.key == key; });
            });
        };

        const auto carol = m_server->registerUser(s("carol"), s("Carol"));
        const auto direct = m_server->post(s("/api/v1.0/chat/rooms/"), QJsonObject{{s("participant"), m_alice.id}},
                                           carol.token);
        QCOMPARE(direct.status, 201);
        QTRY_VERIFY(hasRoom(SocialBackend::userKey(QString::number(carol.id))));

        const auto group = m_server->post(s("/api/groups"), QJsonObject{{s("name"), s("Readers")}}, m_alice.token);
        QCOMPARE(group.status, 201);
        QTRY_VERIFY(hasRoom(QString::number(group.json.value(s("id")).toInteger())));
        QCOMPARE(notified.size(), 0);
    }

    void historyPagesByOffset()
    {
        for (int i = 0; i < 25; ++i)
            QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                    QJsonObject{{s("room"), m_directRoom.toLongLong()}, {s("content"), QString::number(i)}},
                                    i % 2 ? m_bob.token : m_alice.token).status, 201);
        auto alice = signedIn(s("alice"));
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QSignalSpy history(alice.get(), &Backend::historyLoaded);
        alice->loadHistory(bobKey(), {}, 20);
        QVERIFY(history.wait());
        auto args = history.takeFirst();
        auto page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 20);
        QCOMPARE(args.at(2).toBool(), false);
        QCOMPARE(page.first().text, s("24"));
        QCOMPARE(page.first().roomKey, bobKey());
        QVERIFY(page.first().outgoing); // even: alice's own
        QCOMPARE(page.at(1).text, s("23"));
        QVERIFY(!page.at(1).outgoing); // odd: bob's
        QCOMPARE(page.at(1).sender.id, QString::number(m_bob.id));

        // A message arriving in between does not shift the next page.
        QSignalSpy received(alice.get(), &Backend::messageReceived);
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_directRoom.toLongLong()}, {s("content"), s("new")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY(anyText(received, s("new")));
        alice->loadHistory(bobKey(), page.last().id, 20);
        QVERIFY(history.wait());
        args = history.takeFirst();
        page = args.at(1).value<QList<ChatMessage>>();
        QCOMPARE(page.size(), 5);
        QCOMPARE(page.first().text, s("4"));
        QCOMPARE(page.last().text, s("0"));
        QCOMPARE(args.at(2).toBool(), true);
    }

    void reconnectsAndCatchesUp()
    {
        auto alice = signedIn(s("alice"));
        alice->reconnectPolicy() =
            ReconnectPolicy(std::chrono::milliseconds(1500), std::chrono::milliseconds(1500), 1.0, 0.0);
        alice->subscribe(bobKey());
        QSignalSpy subscribed(alice.get(), &Backend::subscribed);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));
        QTRY_VERIFY(!subscribed.isEmpty());
        QSignalSpy received(alice.get(), &Backend::messageReceived);

        m_server->stop();
        QVERIFY(m_server->start());
        QCOMPARE(m_server->post(s("/api/v1.0/chat/messages/"),
                                QJsonObject{{s("room"), m_directRoom.toLongLong()}, {s("content"), s("while you were out")}},
                                m_bob.token).status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(anyText(received, s("while you were out")), 10000);
        const auto missed = std::find_if(received.cbegin(), received.cend(), [](const QList<QVariant> &args) {
            return args.first().value<ChatMessage>().text == s("while you were out");
        })->first().value<ChatMessage>();
        QCOMPARE(missed.roomKey, bobKey());
        QVERIFY(!missed.id.isEmpty());
        QVERIFY2(subscribed.size() >= 2, qPrintable(QString::number(subscribed.size()))); // again after the reconnect
    }

    // Written, stored, then the link dies before the confirmation: the outbox
    // sends it again after the reconnect, and the adapter finds it in the
    // history instead of writing a duplicate (the wire has no client id).
    void outboxResendAfterLostConfirmationIsNotDuplicated()
    {
        auto alice = signedIn(s("alice"));
        alice->reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(100), std::chrono::milliseconds(300));
        alice->setConfirmationSchedule({60'000}); // no confirmation before the server goes away
        Outbox outbox;
        QVERIFY2(outbox.open(m_dir.filePath(s("social-outbox.db")), s("alice"), m_server->url(QString()).toString()),
                 qPrintable(outbox.lastError()));
        MessageSender sender(*alice, outbox);
        QSignalSpy acknowledged(&sender, &MessageSender::acknowledged);
        alice->connectToServer();
        QVERIFY(waitConnected(*alice));

        const QString clientId = sender.send(text(bobKey(), {}, s("exactly once")));
        QVERIFY(!clientId.isEmpty());
        QTRY_COMPARE(storedTexts(m_directRoom), QStringList{s("exactly once")});
        QVERIFY(acknowledged.isEmpty());

        m_server->stop();
        QTRY_VERIFY(alice->connectionState() != Backend::ConnectionState::Connected);
        QVERIFY(m_server->start());
        QTRY_COMPARE_WITH_TIMEOUT(acknowledged.size(), 1, 10000);
        QCOMPARE(acknowledged.first().at(0).toString(), clientId);
        QVERIFY(!acknowledged.first().at(1).value<ChatMessage>().id.isEmpty());
        QCOMPARE(outbox.pendingCount(), 0);
        QCOMPARE(storedTexts(m_directRoom), QStringList{s("exactly once")});
    }

    // Alice speaks `social`, Bob speaks `rooms`: one direct room, one conversation.
    void crossDialectWithRooms()
    {
        auto alice = signedIn(s("alice"));
        Backend::Settings bobSettings = settingsFor(s("bob"));
        RoomsBackend bob(bobSettings);
        bob.subscribe(m_directRoom);
        QSignalSpy bobSubscribed(&bob, &Backend::subscribed);
        alice->connectToServer();
        bob.connectToServer();
        QVERIFY(waitConnected(*alice));
        QVERIFY(waitConnected(bob));
        QTRY_VERIFY(!bobSubscribed.isEmpty());

        QSignalSpy bobReceived(&bob, &Backend::messageReceived);
        QSignalSpy aliceAcked(alice.get(), &Backend::messageAcked);
        alice->send(text(bobKey(), s("x-1"), s("from social")));
        QVERIFY(aliceAcked.wait());
        const auto stored = aliceAcked.first().at(1).value<ChatMessage>();
        QTRY_VERIFY(anyText(bobReceived, s("from social")));
        const auto atBob = bobReceived.last().first().value<ChatMessage>();
        QCOMPARE(atBob.roomKey, m_directRoom);
        QCOMPARE(atBob.id, stored.id);
        QCOMPARE(atBob.sender.id, QString::number(m_alice.id));

        QSignalSpy aliceReceived(alice.get(), &Backend::messageReceived);
        QSignalSpy bobAcked(&bob, &Backend::messageAcked);
        bob.send({m_directRoom, {}, s("r-1"), MessageKind::Text, s("from rooms"), {}, 0, 0});
        QVERIFY(bobAcked.wait());
        QTRY_VERIFY(anyText(aliceReceived, s("from rooms")));
        const auto atAlice = aliceReceived.last().first().value<ChatMessage>();
        QCOMPARE(atAlice.roomKey, bobKey());
        QCOMPARE(atAlice.id, bobAcked.first().at(1).value<ChatMessage>().id);
        QCOMPARE(atAlice.sender.id, QString::number(m_bob.id));
        QVERIFY(!atAlice.outgoing);
    }

    // ---- against a wire-level fake of spec 002 --------------------------------

    void fakeHandshakeCarriesCookieAndOrigin()
    {
        FakeSocialServer fake;
        QVERIFY(fake.listen());
        Backend::Settings settings;
        settings.serverUrl = fake.url();
        settings.signIn.cookie = s("abc123"); // a bare value is natter_session's
        SocialBackend client(settings);
        client.connectToServer();
        QVERIFY(waitConnected(client));
        QCOMPARE(fake.handshakes.size(), 1);
        const QNetworkRequest handshake = fake.handshakes.first();
        QCOMPARE(handshake.url().path(), s("/ws"));
        QVERIFY(!handshake.url().hasQuery()); // the session is in the cookie, not in the URL
        QCOMPARE(handshake.rawHeader("Cookie"), QByteArray("natter_session=abc123"));
        QCOMPARE(fake.origins.first(), fake.url().toString());
        QCOMPARE(handshake.rawHeader("Origin"), fake.url().toString().toUtf8());
        QVERIFY(!handshake.hasRawHeader("Authorization"));
        QVERIFY(fake.frames.isEmpty()); // the spec's client says nothing on connect
    }

    void fakeRefusedOriginGivesUp()
    {
        FakeSocialServer fake;
        QVERIFY(fake.listen());
        fake.refuseOrigins();
        Backend::Settings settings;
        settings.serverUrl = fake.url();
        settings.signIn.cookie = s("natter_session=xyz");
        SocialBackend client(settings);
        client.reconnectPolicy() = ReconnectPolicy(std::chrono::milliseconds(20), std::chrono::milliseconds(40));
        QSignalSpy errors(&client, &Backend::errorOccurred);
        QSignalSpy states(&client, &Backend::connectionStateChanged);
        client.connectToServer();
        QTRY_VERIFY(client.connectionState() == Backend::ConnectionState::Disconnected);
        QVERIFY(!errors.isEmpty());
        QVERIFY(errors.last().first().toString().contains(s("403")));
        // Connecting → Disconnected: no reconnect was scheduled.
        QCOMPARE(states.size(), 2);
        QVERIFY(fake.sockets.isEmpty());
    }

    void fakeServerFramesMapToSignals()
    {
        FakeSocialServer fake;
        QVERIFY(fake.listen());
        Backend::Settings settings;
        settings.serverUrl = fake.url();
        settings.signIn.cookie = s("natter_session=xyz");
        SocialBackend client(settings);
        client.connectToServer();
        QVERIFY(waitConnected(client));

        QSignalSpy notified(&client, &Backend::notificationReceived);
        fake.send({{s("type"), s("notification")},
                   {s("subtype"), s("group_invite")},
                   {s("message"), s("You were invited to join group 'Developers'")},
                   {s("group_id"), 789},
                   {s("timestamp"), 1640995200}});
        QVERIFY(notified.wait());
        const auto notification = notified.first().first().value<Notification>();
        QCOMPARE(notification.type, s("group_invite"));
        QCOMPARE(notification.message, s("You were invited to join group 'Developers'"));
        QCOMPARE(notification.roomKey, s("789"));
        QCOMPARE(notification.createdAt, QDateTime::fromSecsSinceEpoch(1640995200, Qt::UTC));
        QVERIFY(!notification.id.isEmpty()); // derived: the spec's frame has none
        QVERIFY(!notification.read);

        QSignalSpy received(&client, &Backend::messageReceived);
        fake.send({{s("type"), s("broadcast")},
                   {s("content"), s("System maintenance in 10 minutes")},
                   {s("timestamp"), 1640995200}});
        QVERIFY(received.wait());
        auto message = received.takeFirst().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, SocialBackend::broadcastKey);
        QCOMPARE(message.text, s("System maintenance in 10 minutes"));
        QVERIFY(!message.id.isEmpty());

        fake.send({{s("type"), s("group"), },
                   {s("group_id"), s("456")},
                   {s("content"), s("Hello everyone!")},
                   {s("timestamp"), 1640995201}});
        QVERIFY(received.wait());
        message = received.takeFirst().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, s("456"));
        QCOMPARE(message.text, s("Hello everyone!"));
        QCOMPARE(message.createdAt, QDateTime::fromSecsSinceEpoch(1640995201, Qt::UTC));

        // The spec's private frame names only the recipient (us): the conversation is unknown.
        fake.send({{s("type"), s("private")}, {s("to"), 123}, {s("content"), s("Hello there!")}, {s("timestamp"), 1640995202}});
        QVERIFY(received.wait());
        message = received.takeFirst().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, s("user:unknown"));
        QCOMPARE(message.text, s("Hello there!"));
        // With Natter's `from`, it is the conversation with that user.
        fake.send({{s("type"), s("private")}, {s("to"), 123}, {s("from"), 7}, {s("content"), s("from seven")},
                   {s("timestamp"), 1640995203}, {s("id"), 99}});
        QVERIFY(received.wait());
        message = received.takeFirst().first().value<ChatMessage>();
        QCOMPARE(message.roomKey, s("user:7"));
        QCOMPARE(message.id, s("99"));
        QCOMPARE(message.sender.id, s("7"));

        // Unknown frames are skipped.
        fake.send({{s("type"), s("something_else")}});
        fake.send({{s("type"), s("broadcast")}, {s("content"), s("after")}, {s("timestamp"), 1640995204}});
        QVERIFY(received.wait());
        QCOMPARE(received.takeFirst().first().value<ChatMessage>().text, s("after"));
    }

    void fakeSendWritesSpecFrameAndFailsWithoutConfirmation()
    {
        FakeSocialServer fake;
        QVERIFY(fake.listen());
        Backend::Settings settings;
        settings.serverUrl = fake.url();
        settings.signIn.cookie = s("natter_session=xyz");
        SocialBackend client(settings);
        client.setConfirmationSchedule({50, 150});
        client.connectToServer();
        QVERIFY(waitConnected(client));

        QSignalSpy acked(&client, &Backend::messageAcked);
        QSignalSpy failed(&client, &Backend::sendFailed);
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        client.send(text(s("user:123"), s("f-1"), s("Hello there!")));
        client.send(text(s("456"), s("f-2"), s("Hello everyone!")));
        QTRY_COMPARE(fake.frames.size(), 2);
        QJsonObject privateFrame = fake.frames.at(0);
        QJsonObject groupFrame = fake.frames.at(1);
        QVERIFY(privateFrame.value(s("timestamp")).isDouble());
        QVERIFY(privateFrame.value(s("timestamp")).toInteger() >= before);
        QVERIFY(groupFrame.value(s("timestamp")).toInteger() >= before);
        privateFrame.remove(s("timestamp"));
        groupFrame.remove(s("timestamp"));
        QCOMPARE(privateFrame, (QJsonObject{{s("type"), s("private")}, {s("to"), 123}, {s("content"), s("Hello there!")}}));
        QCOMPARE(groupFrame,
                 (QJsonObject{{s("type"), s("group")}, {s("group_id"), s("456")}, {s("content"), s("Hello everyone!")}}));

        // This server has no history to confirm from: both fail after the last check, none is acked.
        QTRY_COMPARE(failed.size(), 2);
        QVERIFY(acked.isEmpty());
        QCOMPARE(failed.first().at(1).toString(), s("The server did not confirm the message"));

        // Text only.
        OutgoingMessage stamp = text(s("user:123"), s("f-3"), {});
        stamp.kind = MessageKind::Stamp;
        client.send(stamp);
        QCOMPARE(failed.size(), 3);
        QCOMPARE(failed.last().at(0).toString(), s("f-3"));
    }
};

QTEST_GUILESS_MAIN(TestSocialBackend)
#include "tst_socialbackend.moc"
