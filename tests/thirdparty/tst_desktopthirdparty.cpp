// The desktop app, in a real window under Xvfb, on servers that are not
// Natter: a real ActionCable on Puma (cable) and servers written from the specs
// (rooms, chats, social, gateway), each with users and rooms of its own. For
// each the app joins through the form with what that dialect signs in with,
// finds or opens a conversation (the room list; Open by id; one that starts by
// itself; a message request answered with Approve), sends and receives; a
// `natter cli` is the person on the other side. At the end every message is
// counted for 20 s: exactly once in the server's store, at the other side and
// in the app. A screenshot of each is saved in the test artifacts.

#include "account.h"
#include "accountlistmodel.h"
#include "chatsession.h"
#include "desktopapp.h"
#include "desktopwindow.h"
#include "isolateddesktoptest.h"
#include "messagemodel.h"
#include "notificationmodel.h"
#include "natterprocess.h"
#include "roomlistmodel.h"
#include "thirdpartyfixtures.h"
#include "windowdriver.h"

#include <QDeadlineTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/QQmlExtensionPlugin>

#include <memory>

Q_IMPORT_QML_PLUGIN(Natter_UiPlugin)

using natter::testing::NatterProcess;
using natter::testing::ServerProcess;
using namespace Qt::StringLiterals;

namespace {

constexpr int countWindowMs = 20'000;

// One dialect's exchange: the server, the person on the other side, and what went each way.
struct Exchange
{
    QString dialect;
    std::unique_ptr<ServerProcess> server;
    const char *storedTextField = "message";
    std::unique_ptr<NatterProcess> partner;
    natter::desktop::Account *account = nullptr;
    QStringList fromApp;                  // sent in the window
    QHash<QString, QString> fromPartner;  // text → the app's room it must show in
    QHash<QString, int> atPartner;        // copies the partner received of each text from the app
};

} // namespace

class TestDesktopThirdParty : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<natter::desktop::DesktopApp> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
    std::unique_ptr<natter::testing::WindowDriver> m_ui;
    std::vector<std::unique_ptr<Exchange>> m_exchanges;

    std::unique_ptr<NatterProcess> partnerCli(const Exchange &exchange, const QStringList &signIn, const QString &room,
                                              const QStringList &extra = {})
    {
        QStringList arguments{u"cli"_s, u"--server"_s, exchange.server->url().toString(), u"--dialect"_s,
                              exchange.dialect, u"--room"_s, room, u"--outbox"_s,
                              m_dir.filePath(exchange.dialect + u"-partner.db"_s)};
        return std::make_unique<NatterProcess>(arguments + signIn + extra);
    }

    // Rail + (or the welcome page) → Join a server → address → Check → the
    // dialect → its credentials → Connect; the new account comes online.
    void joinThroughTheForm(Exchange &exchange, const QString &token, const QString &cookieName = {},
                            const QString &cookieValue = {})
    {
        if (m_app->accounts()->count() > 0)
            QVERIFY(m_ui->click(m_ui->waitForItem(u"addServerButton"_s)));
        QVERIFY(m_ui->click(m_ui->waitForItem(u"joinChoice"_s)));
        QVERIFY(m_ui->type(m_ui->waitForItem(u"addressField"_s), exchange.server->url().authority()));
        QVERIFY(m_ui->click(m_ui->waitForItem(u"checkButton"_s)));
        QQuickItem *dialectBox = m_ui->waitForItem(u"dialectBox"_s);
        QVERIFY(dialectBox);
        // What Check found is said in words, and the form asks for this dialect's credentials.
        const int wanted = m_app->dialects().indexOf(exchange.dialect);
        QVERIFY(wanted >= 0);
        dialectBox->forceActiveFocus();
        while (dialectBox->property("currentIndex").toInt() != wanted)
            m_ui->key(dialectBox->property("currentIndex").toInt() < wanted ? Qt::Key_Down : Qt::Key_Up);
        QTRY_VERIFY(m_ui->item(u"credentialsHelp"_s));
        if (!cookieValue.isEmpty()) {
            QVERIFY(!m_ui->item(u"tokenField"_s)); // social asks for a cookie, not a token
            QQuickItem *name = m_ui->waitForItem(u"cookieNameField"_s);
            QVERIFY(name);
            name->setProperty("text", QString());
            QVERIFY(m_ui->type(name, cookieName));
            QVERIFY(m_ui->type(m_ui->waitForItem(u"cookieValueField"_s), cookieValue));
        } else {
            QVERIFY(m_ui->type(m_ui->waitForItem(u"tokenField"_s), token));
        }
        const int before = m_app->accounts()->count();
        QQuickItem *join = m_ui->waitForItem(u"joinButton"_s); // in view without scrolling by hand
        QVERIFY(join);
        QVERIFY(m_ui->click(join));
        QTRY_COMPARE_WITH_TIMEOUT(m_app->accounts()->count(), before + 1, 15000);
        exchange.account = m_app->currentAccount();
        QVERIFY(exchange.account);
        QCOMPARE(exchange.account->dialect(), exchange.dialect);
        QTRY_COMPARE_WITH_TIMEOUT(exchange.account->connectionState(), u"online"_s, 20000);
    }

    // New chat → Open by id (a server with no directory): the room opens.
    QString openById(Exchange &exchange, const QString &address, int kindIndex = 0)
    {
        QSignalSpy created(exchange.account->session(), &natter::client::ChatSession::roomCreated);
        [&] { QVERIFY(m_ui->click(m_ui->waitForItem(u"newChatButton"_s))); }();
        if (kindIndex > 0) {
            QQuickItem *kinds = m_ui->waitForItem(u"conversationKind"_s);
            [&] { QVERIFY(kinds); }();
            kinds->forceActiveFocus();
            for (int i = 0; i < kindIndex; ++i)
                m_ui->key(Qt::Key_Down);
        }
        [&] { QVERIFY(m_ui->type(m_ui->waitForItem(u"conversationAddress"_s), address)); }();
        [&] { QVERIFY(m_ui->click(m_ui->waitForItem(u"openConversationButton"_s))); }();
        [&] { QTRY_COMPARE_WITH_TIMEOUT(created.count(), 1, 10000); }();
        return created.isEmpty() ? QString() : created.first().first().toString();
    }

    void openListedRoom(const QString &roomKey)
    {
        QVERIFY(m_ui->click(m_ui->waitForItem(u"room:"_s + roomKey, 15000)));
    }

    void sendFromTheWindow(Exchange &exchange, const QString &text)
    {
        QVERIFY(m_ui->type(m_ui->waitForItem(u"composerInput"_s), text));
        m_ui->key(Qt::Key_Return);
        exchange.fromApp.append(text);
    }

    // The partner receives `text` (once, so far); the rest is counted at the end.
    void partnerReceives(Exchange &exchange, const QString &text)
    {
        const auto received = exchange.partner->waitForEvent(u"message"_s, [&text](const QJsonObject &event) {
            return event.value(u"text"_s).toString() == text;
        }, 20000);
        QVERIFY2(received, qPrintable(u"the other side never got: "_s + text));
        ++exchange.atPartner[text];
    }

    void partnerSends(Exchange &exchange, const QString &room, const QString &text, const QString &appRoom,
                      const QString &to = {})
    {
        QJsonObject command{{u"cmd"_s, u"send"_s}, {u"room"_s, room}, {u"text"_s, text}};
        if (!to.isEmpty())
            command.insert(u"to"_s, to);
        exchange.partner->writeLine(command);
        QVERIFY(exchange.partner->waitForEvent(u"ack"_s, {}, 20000));
        exchange.fromPartner.insert(text, appRoom);
    }

    static int copiesInRoom(natter::desktop::Account *account, const QString &roomKey, const QString &text)
    {
        natter::client::MessageModel *messages = account->openRoom(roomKey);
        int copies = 0;
        for (int row = 0; messages && row < messages->rowCount(); ++row) {
            if (messages->index(row).data(natter::client::MessageModel::TextRole).toString() == text)
                ++copies;
        }
        return copies;
    }

    Exchange &start(const QString &dialect, std::unique_ptr<ServerProcess> server, const char *storedTextField)
    {
        auto exchange = std::make_unique<Exchange>();
        exchange->dialect = dialect;
        exchange->server = std::move(server);
        exchange->storedTextField = storedTextField;
        m_exchanges.push_back(std::move(exchange));
        return *m_exchanges.back();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("NATTER_SECRET_STORE", "file");
        natter::desktop::prepareDesktopStyle();
        m_app = std::make_unique<natter::desktop::DesktopApp>(m_dir.filePath(u"app"_s));
        QSignalSpy restored(m_app.get(), &natter::desktop::DesktopApp::restored);
        m_app->restore();
        QVERIFY(restored.wait(15000));
        m_engine = std::make_unique<QQmlApplicationEngine>();
        m_window = natter::desktop::loadMainWindow(*m_engine);
        QVERIFY(m_window);
        m_ui = std::make_unique<natter::testing::WindowDriver>(m_window);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
    }

    // Spec 003 lists the user's rooms: the room with Ben is there to click.
    void rooms()
    {
        Exchange &exchange = start(u"rooms"_s, natter::testing::startPythonFixture("rooms/rooms_server.py"), "content");
        QVERIFY2(exchange.server->waitListening(), "the spec 003 fixture did not start (python3-aiohttp)");
        joinThroughTheForm(exchange, u"token-ann"_s);
        exchange.partner = partnerCli(exchange, {u"--token"_s, u"token-ben"_s}, u"1"_s);
        QVERIFY(exchange.partner->waitForEvent(u"subscribed"_s, {}, 20000));
        openListedRoom(u"1"_s);
        sendFromTheWindow(exchange, u"rooms: hello Ben, from the app"_s);
        partnerReceives(exchange, exchange.fromApp.last());
        partnerSends(exchange, u"1"_s, u"rooms: hi Ann"_s, u"1"_s);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, u"1"_s, u"rooms: hi Ann"_s), 1, 15000);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-rooms.png"_s));
    }

    // Spec 001 lists nothing: New chat offers Open by id (no people search), and the chat opens by its UUID.
    void chats()
    {
        Exchange &exchange = start(u"chats"_s, natter::testing::startPythonFixture("chats/chats_server.py"), "message");
        QVERIFY2(exchange.server->waitListening(), "the spec 001 fixture did not start (python3-uvicorn)");
        joinThroughTheForm(exchange, u"token-alice"_s);
        QVERIFY(exchange.account->session()->canOpenByAddress());
        QVERIFY(!exchange.account->session()->canSearchPeople());
        const QString chat = u"11111111-2222-3333-4444-555555555555"_s;
        exchange.partner = partnerCli(exchange, {u"--token"_s, u"token-bob"_s}, chat);
        QVERIFY(exchange.partner->waitForEvent(u"subscribed"_s, {}, 20000));
        QCOMPARE(openById(exchange, chat), chat);
        sendFromTheWindow(exchange, u"chats: hello Bob, from the app"_s);
        partnerReceives(exchange, exchange.fromApp.last());
        partnerSends(exchange, chat, u"chats: hi Alice"_s, chat);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, chat, u"chats: hi Alice"_s), 1, 15000);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-chats.png"_s));
    }

    // Spec 002 signs in by session cookie; a group opens by its number, and a
    // private message (whose frame does not say who sent it) becomes a room by itself.
    void social()
    {
        Exchange &exchange = start(u"social"_s, natter::testing::startPythonFixture("social/social_server.py"),
                                   "content");
        QVERIFY2(exchange.server->waitListening(), "the spec 002 fixture did not start (python3-aiohttp)");
        joinThroughTheForm(exchange, {}, u"session_id"_s, u"sess-alice"_s);
        exchange.partner = partnerCli(exchange, {u"--cookie"_s, u"session_id=sess-bob"_s}, u"7"_s);
        QVERIFY(exchange.partner->waitForEvent(u"connected"_s, {}, 20000));
        QCOMPARE(openById(exchange, u"7"_s, 0), u"7"_s);
        sendFromTheWindow(exchange, u"social: hello group, from the app"_s);
        partnerReceives(exchange, exchange.fromApp.last());
        partnerSends(exchange, u"7"_s, u"social: hi group"_s, u"7"_s);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, u"7"_s, u"social: hi group"_s), 1, 15000);
        // Bob writes to Alice in private: a room appears without her doing anything.
        partnerSends(exchange, u"user:1"_s, u"social: psst, Alice"_s, u"user:unknown"_s, u"1"_s);
        QTRY_VERIFY_WITH_TIMEOUT(exchange.account->session()->rooms()->roomIndex(u"user:unknown"_s) >= 0, 15000);
        openListedRoom(u"user:unknown"_s);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, u"user:unknown"_s, u"social: psst, Alice"_s), 1, 15000);
        // Nobody to answer there: the window says so instead of a composer that could not deliver.
        QVERIFY(m_ui->waitForItem(u"cannotReplyNote"_s));
        QVERIFY(!m_ui->item(u"composerInput"_s));

        // Bob invites Alice to a group (spec 002's REST): the notification shows behind the bell.
        QNetworkAccessManager network;
        QNetworkRequest invite(exchange.server->url().resolved(QUrl(u"/api/groups/invite"_s)));
        invite.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        invite.setRawHeader("Cookie", "session_id=sess-bob");
        QNetworkReply *invited = network.post(invite, R"({"group_id":8,"user_id":1,"group_name":"Planning"})"_ba);
        QSignalSpy answered(invited, &QNetworkReply::finished);
        QVERIFY(answered.wait(10000));
        QCOMPARE(invited->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        invited->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(exchange.account->session()->notifications()->count(), 1, 10000);
        QVERIFY(m_ui->click(m_ui->waitForItem(u"notificationsButton"_s)));
        QVERIFY(m_ui->waitForItem(u"notification:You were invited to join group 'Planning'"_s));
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-social-notification.png"_s));
        m_ui->key(Qt::Key_Escape);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-social.png"_s));
    }

    // Spec 004: a student's first message is a request; it shows as a room
    // with Approve/Block, the tutor approves it in the window and answers.
    void gateway()
    {
        Exchange &exchange = start(u"gateway"_s, natter::testing::startPythonFixture("gateway/gateway_server.py"),
                                   "message");
        QVERIFY2(exchange.server->waitListening(), "the spec 004 fixture did not start (python3-aiohttp)");
        joinThroughTheForm(exchange, u"token-tina"_s); // the form fills in spec 004's path, /ws
        const QString tina = u"11111111-1111-4111-8111-111111111111"_s;
        exchange.partner = partnerCli(exchange, {u"--token"_s, u"token-sam"_s}, u"user:"_s + tina,
                                      {u"--path"_s, u"/ws"_s});
        QVERIFY(exchange.partner->waitForEvent(u"connected"_s, {}, 20000));
        exchange.partner->writeLine(QJsonObject{{u"cmd"_s, u"send"_s}, {u"room"_s, QString(u"user:"_s + tina)},
                                                {u"to"_s, tina}, {u"text"_s, u"gateway: may I ask something?"_s}});
        const auto sent = exchange.partner->waitForEvent(u"ack"_s, {}, 20000);
        QVERIFY(sent);
        const QString thread = sent->value(u"room"_s).toString();
        QVERIFY(!thread.isEmpty());
        exchange.fromPartner.insert(u"gateway: may I ask something?"_s, thread);

        QTRY_VERIFY_WITH_TIMEOUT(exchange.account->session()->rooms()->roomIndex(thread) >= 0, 15000);
        openListedRoom(thread);
        QVERIFY(m_ui->waitForItem(u"messageRequestBanner"_s));
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-gateway-request.png"_s));
        QVERIFY(m_ui->click(m_ui->waitForItem(u"approveRequestButton"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(!m_ui->item(u"messageRequestBanner"_s), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, thread, u"gateway: may I ask something?"_s), 1, 15000);

        sendFromTheWindow(exchange, u"gateway: of course, ask away"_s);
        partnerReceives(exchange, exchange.fromApp.last());
        partnerSends(exchange, u"user:"_s + tina, u"gateway: thank you"_s, thread, tina);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, thread, u"gateway: thank you"_s), 1, 15000);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-gateway.png"_s));

        // The other way: Tina writes first to Sue (by her UUID); that is a request Sue has
        // not answered, and the room says so.
        const QString sue = u"33333333-3333-4333-8333-333333333333"_s;
        QCOMPARE(openById(exchange, sue), u"user:"_s + sue);
        sendFromTheWindow(exchange, u"gateway: hello Sue"_s);
        exchange.fromApp.removeLast(); // Sue's side is not the partner cli: counted in the store only
        // The draft becomes the thread the server opened; the window follows it.
        QVERIFY(m_ui->waitForItem(u"awaitingApprovalBanner"_s, 15000));
        QCOMPARE(natter::testing::storedCopies(exchange.server->url(), "message").value(u"gateway: hello Sue"_s), 1);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-gateway-waiting.png"_s));
    }

    // A real ActionCable: the lobby is there; the user's own message is theirs (not someone else's) and sent once.
    void cable()
    {
        Exchange &exchange = start(u"cable"_s, natter::testing::startActionCable(), "message");
        QVERIFY2(exchange.server->waitListening(), "the ActionCable fixture did not start (ruby-actioncable, puma)");
        joinThroughTheForm(exchange, natter::testing::cableToken(1, u"alice"_s));
        exchange.partner = partnerCli(exchange, {u"--token"_s, natter::testing::cableToken(2, u"bob"_s)}, u"lobby"_s);
        QVERIFY(exchange.partner->waitForEvent(u"subscribed"_s, {}, 30000));
        openListedRoom(u"lobby"_s);
        sendFromTheWindow(exchange, u"cable: hello lobby, from the app"_s);
        partnerReceives(exchange, exchange.fromApp.last());
        partnerSends(exchange, u"lobby"_s, u"cable: hi Alice"_s, u"lobby"_s);
        QTRY_COMPARE_WITH_TIMEOUT(copiesInRoom(exchange.account, u"lobby"_s, u"cable: hi Alice"_s), 1, 15000);
        // Shown as ours and confirmed (not "sending", not from "1").
        natter::client::MessageModel *lobby = exchange.account->openRoom(u"lobby"_s);
        bool mineAndSent = false;
        for (int row = 0; row < lobby->rowCount(); ++row) {
            const QModelIndex index = lobby->index(row);
            if (index.data(natter::client::MessageModel::TextRole).toString() == exchange.fromApp.last())
                mineAndSent = index.data(natter::client::MessageModel::OutgoingRole).toBool()
                    && index.data(natter::client::MessageModel::StatusNameRole).toString() != u"sending";
        }
        QTRY_VERIFY_WITH_TIMEOUT(mineAndSent, 1);
        QVERIFY(m_ui->saveScreenshot(u"thirdparty-cable.png"_s));
    }

    // Everything once: in each server's store, at each other side, in the app, over 20 s.
    void everyMessageExactlyOnce()
    {
        QVERIFY(!m_exchanges.empty());
        QDeadlineTimer window(countWindowMs);
        while (!window.hasExpired()) {
            bool heard = false;
            for (const auto &exchange : m_exchanges) {
                const auto message = exchange->partner->waitForEvent(u"message"_s, {}, 1);
                if (message) {
                    heard = true;
                    const QString text = message->value(u"text"_s).toString();
                    if (exchange->fromApp.contains(text))
                        ++exchange->atPartner[text];
                }
            }
            if (!heard)
                QTest::qWait(50); // the event loop runs: the app keeps working while we count
        }
        for (const auto &exchange : m_exchanges) {
            const QHash<QString, int> stored = natter::testing::storedCopies(exchange->server->url(),
                                                                             exchange->storedTextField);
            for (const QString &text : std::as_const(exchange->fromApp)) {
                QVERIFY2(stored.value(text) == 1, qPrintable(u"%1: stored %2× %3"_s.arg(exchange->dialect)
                                                                 .arg(stored.value(text)).arg(text)));
                QVERIFY2(exchange->atPartner.value(text) == 1,
                         qPrintable(u"%1: the other side got %2× %3"_s.arg(exchange->dialect)
                                        .arg(exchange->atPartner.value(text)).arg(text)));
            }
            for (auto it = exchange->fromPartner.cbegin(); it != exchange->fromPartner.cend(); ++it) {
                QVERIFY2(copiesInRoom(exchange->account, it.value(), it.key()) == 1,
                         qPrintable(u"%1: the app shows %2× %3"_s.arg(exchange->dialect)
                                        .arg(copiesInRoom(exchange->account, it.value(), it.key())).arg(it.key())));
            }
        }
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            m_ui->saveScreenshot(u"thirdparty-failure-%1.png"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    void cleanupTestCase()
    {
        for (const auto &exchange : m_exchanges) {
            if (exchange->partner)
                exchange->partner->closeInput();
        }
        m_exchanges.clear();
        m_engine.reset();
        m_app.reset();
    }
};

int main(int argc, char *argv[])
{
    return natter::testing::runIsolatedDesktopTest<TestDesktopThirdParty>(argc, argv, u"natter-thirdparty"_s);
}

#include "tst_desktopthirdparty.moc"
