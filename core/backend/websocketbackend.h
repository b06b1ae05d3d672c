#pragma once

// What every WebSocket dialect adapter shares: signing in (a Natter login
// when given a password), opening the socket, reconnecting with backoff and
// jitter after a loss, re-subscribing, catching up, and small REST calls.
// Subclasses speak their spec in onOpened()/onText() and call markReady().
// Room actions (people search, direct chats, groups, invitations) go through
// Natter's REST (natteractions.h); subclasses only say how they key people
// (personKey) and rooms (keyedRoom, withNatterRoomId).

#include "backend.h"
#include "natteractions.h"
#include "reconnectpolicy.h"

#include <QBasicTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QSet>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <functional>
#include <optional>

namespace natter::client {

class NatterLogin;

class WebSocketBackend : public Backend
{
    Q_OBJECT
public:
    explicit WebSocketBackend(Settings settings, QObject *parent = nullptr);
    ~WebSocketBackend() override;

    void connectToServer() override;
    void disconnectFromServer() override;
    void subscribe(const QString &roomKey) override;

    void searchPeople(const QString &query) override;
    void startDirectChat(const Person &person) override;
    void createGroup(const QString &name, const QList<Person> &members) override;
    void inviteToGroup(const QString &roomKey, const Person &person) override;
    void answerInvitation(const QString &roomKey, bool accept) override;
    // Natter's notifications over REST, where the server is Natter's (it has groups).
    void fetchNotifications() override;

    ReconnectPolicy &reconnectPolicy() { return m_policy; }
    // Without a password sign-in this is what the user gave; after a Natter login, the issued ones.
    QString token() const { return m_token; }
    QString cookie() const { return m_cookie; }
    // Natter's numeric id of the signed-in user, when a Natter login told us.
    qint64 natterUserId() const { return m_natterUserId; }

protected:
    virtual QString defaultPath() const = 0;
    // The handshake request; the default adds ?token= when there is a token.
    virtual QNetworkRequest handshakeRequest();
    // Handshake options, e.g. the subprotocols to ask for. Default: none.
    virtual QWebSocketHandshakeOptions handshakeOptions() const { return {}; }
    virtual void onOpened() = 0;                 // socket open: greet, identify…
    virtual void onText(const QString &text) = 0;
    virtual void onClosed() { }                  // socket gone: stop timers
    virtual void subscribeNow(const QString &roomKey) = 0; // only called while ready
    // After every (re)connection: fetch what was missed. Default: nothing.
    virtual void catchUp() { }
    // The wait before the next reconnect attempt. Default: the reconnect policy's next delay.
    virtual std::chrono::milliseconds nextReconnectDelay() { return m_policy.nextDelay(); }

    // The dialect is ready (authenticated, greeted): Connected, re-subscribe, catch up.
    void markReady();
    // Stop for good (e.g. authentication refused): no reconnect.
    void giveUp(const QString &reason);
    bool isReady() const { return m_ready; }
    QSet<QString> subscriptions() const { return m_subscriptions; }

    void sendJson(const QJsonObject &object);
    void sendText(const QString &text);
    QWebSocket &socket() { return m_socket; }
    QUrl webSocketUrl(const QUrlQuery &query = {}) const;
    QUrl httpUrl(const QString &path, const QUrlQuery &query = {}) const;

    // REST with the token (Bearer) and cookie. The callback gets the status and body.
    using ReplyHandler = std::function<void(int status, const QByteArray &body)>;
    void httpGet(const QString &path, const QUrlQuery &query, ReplyHandler handler);
    void httpPost(const QString &path, const QJsonObject &body, ReplyHandler handler);

    void timerEvent(QTimerEvent *event) override;

    NatterActions natterActions();
    virtual NatterActions::PersonKey personKey() const { return NatterActions::PersonKey::NatterId; }
    // A room as Natter's REST gives it (other.id: Natter's user id), keyed as
    // this dialect keys rooms and people. Default: the key is the room id.
    virtual RoomSummary keyedRoom(RoomSummary room) const;
    // Natter's id of a room key. Default: the key is the id.
    virtual void withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then);
    // The person's Natter user id, then `then`; a failure ends `action` (on `key`) with its reason.
    void withNatterUserId(const Person &person, const QString &action, const QString &key,
                          std::function<void(qint64 userId)> then);

private:
    void signInThenOpen();
    void openSocket();
    void socketDisconnected();
    // The certificate was refused: stop (no reconnect) and say why.
    void refuseTls();
    QNetworkRequest restRequest(const QUrl &url) const;

    QNetworkAccessManager m_network;
    QWebSocket m_socket;
    ReconnectPolicy m_policy;
    QBasicTimer m_reconnectTimer;
    QSet<QString> m_subscriptions;
    QString m_token;
    QString m_cookie;
    qint64 m_natterUserId = 0;
    bool m_wanted = false; // the user wants to be connected
    bool m_ready = false;
    std::optional<TlsProblem> m_tlsProblem; // why the last handshake was refused
};

} // namespace natter::client
