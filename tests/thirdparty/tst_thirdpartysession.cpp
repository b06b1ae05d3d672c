// ChatSession on servers that are not Natter. Spec 002: notifications from
// while the user was away, and live ones, once each. Spec 001 (lists no rooms):
// a chat opened by its id shows at once, is kept in the account's cache and
// followed again at the next start, where a message from someone else reaches
// it; a wrong id is refused in words and adds nothing.

#include "backendfactory.h"
#include "chatsession.h"
#include "natterprocess.h"
#include "notificationmodel.h"
#include "roomlistmodel.h"
#include "thirdpartyfixtures.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using natter::client::Backend;
using natter::client::ChatSession;
using natter::testing::NatterProcess;
using namespace Qt::StringLiterals;

class TestThirdPartySession : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static std::unique_ptr<ChatSession> session(const QUrl &server, const QString &token, const QString &storage,
                                                const QString &dialect = u"chats"_s, const QString &cookie = {})
    {
        Backend::Settings settings;
        settings.serverUrl = server;
        settings.signIn.token = token;
        settings.signIn.cookie = cookie;
        return std::make_unique<ChatSession>(natter::client::makeBackend(dialect, settings), storage);
    }

    // Bob invites Alice (user 1) to a group through spec 002's REST.
    static int invite(const QUrl &server, int groupId, const QString &name)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(server.resolved(QUrl(u"/api/groups/invite"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        request.setRawHeader("Cookie", "session_id=sess-bob");
        QNetworkReply *reply = network.post(
            request, QJsonDocument(QJsonObject{{u"group_id"_s, groupId}, {u"user_id"_s, 1}, {u"group_name"_s, name}})
                         .toJson(QJsonDocument::Compact));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        finished.wait(10000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        delete reply;
        return status;
    }

private slots:
    // Spec 002: an invitation sent while the user was away is there when they connect,
    // a live one joins it, and neither shows twice (the list has ids, live frames none).
    void socialNotificationsFromWhileAwayAndLive()
    {
        auto server = natter::testing::startPythonFixture("social/social_server.py");
        QVERIFY2(server->waitListening(), "the spec 002 fixture did not start (python3-aiohttp)");
        QCOMPARE(invite(server->url(), 8, u"Planning"_s), 201);

        auto alice = session(server->url(), {}, m_dir.filePath(u"social-alice.sqlite"_s), u"social"_s,
                             u"session_id=sess-alice"_s);
        QSignalSpy connected(&alice->backend(), &Backend::connected);
        QVERIFY(alice->start());
        QVERIFY(connected.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(alice->notifications()->count(), 1, 10000);

        QCOMPARE(invite(server->url(), 9, u"Lunch"_s), 201);
        QTRY_COMPARE_WITH_TIMEOUT(alice->notifications()->count(), 2, 10000);
        // Looking again (as after a reconnect) adds nothing.
        alice->backend().fetchNotifications();
        QSignalSpy received(&alice->backend(), &Backend::notificationReceived);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 2, 10000);
        QCOMPARE(alice->notifications()->count(), 2);
    }

    void conversationsOpenedByIdAreKeptAndFollowed()
    {
        auto server = natter::testing::startPythonFixture("chats/chats_server.py");
        QVERIFY2(server->waitListening(), "the spec 001 fixture did not start (python3-uvicorn)");
        const QString chat = u"11111111-2222-3333-4444-555555555555"_s;
        const QString storage = m_dir.filePath(u"alice.sqlite"_s);
        {
            auto alice = session(server->url(), u"token-alice"_s, storage);
            QSignalSpy connected(&alice->backend(), &Backend::connected);
            QVERIFY(alice->start());
            QVERIFY(connected.wait(10000));
            QVERIFY(alice->canOpenByAddress());
            QVERIFY(!alice->canSearchPeople());
            QCOMPARE(alice->conversationKinds().size(), 1);

            QSignalSpy failed(alice.get(), &ChatSession::actionFailed);
            QCOMPARE(alice->openConversation(u"chat"_s, u"not a uuid"_s), QString());
            QCOMPARE(failed.count(), 1);
            QVERIFY(failed.first().first().toString().contains(u"UUID"_s));
            QCOMPARE(alice->rooms()->rowCount(), 0);

            QSignalSpy subscribed(&alice->backend(), &Backend::subscribed);
            QSignalSpy created(alice.get(), &ChatSession::roomCreated);
            QCOMPARE(alice->openConversation(u"chat"_s, chat), chat);
            QCOMPARE(created.count(), 1);
            QVERIFY(alice->rooms()->roomIndex(chat) >= 0);
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(subscribed.cbegin(), subscribed.cend(),
                                                 [&](const QList<QVariant> &args) { return args.first() == chat; }),
                                     10000);
            // Opening it again opens the same room, no second row.
            QCOMPARE(alice->openConversation(u"chat"_s, chat.toUpper()), chat);
            QCOMPARE(alice->rooms()->rowCount(), 1);
        }

        // The next start: the chat is listed from the cache before any network, and followed.
        auto alice = session(server->url(), u"token-alice"_s, storage);
        QSignalSpy subscribed(&alice->backend(), &Backend::subscribed);
        QSignalSpy arrived(alice.get(), &ChatSession::messageArrived);
        QVERIFY(alice->start());
        QVERIFY(alice->rooms()->roomIndex(chat) >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(subscribed.cbegin(), subscribed.cend(),
                                             [&](const QList<QVariant> &args) { return args.first() == chat; }),
                                 10000);

        NatterProcess bob({u"cli"_s, u"--server"_s, server->url().toString(), u"--dialect"_s, u"chats"_s,
                           u"--token"_s, u"token-bob"_s, u"--room"_s, chat, u"--outbox"_s,
                           m_dir.filePath(u"bob.db"_s)});
        QVERIFY(bob.waitForEvent(u"subscribed"_s, {}, 20000));
        bob.writeLine({{u"cmd"_s, u"send"_s}, {u"room"_s, chat}, {u"text"_s, u"are you there?"_s}});
        QVERIFY(bob.waitForEvent(u"ack"_s, {}, 20000));
        QTRY_VERIFY_WITH_TIMEOUT(!arrived.isEmpty(), 10000);
        QCOMPARE(arrived.first().first().value<natter::client::ChatMessage>().roomKey, chat);
        QCOMPARE(alice->rooms()->index(alice->rooms()->roomIndex(chat), 0)
                     .data(natter::client::RoomListModel::UnreadCountRole).toInt(),
                 1);
        bob.closeInput();
        QVERIFY(bob.waitForExit());
    }
};

QTEST_GUILESS_MAIN(TestThirdPartySession)
#include "tst_thirdpartysession.moc"
