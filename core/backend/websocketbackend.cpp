#include "websocketbackend.h"

#include "natterlogin.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QTimerEvent>

Q_LOGGING_CATEGORY(lcBackend, "natter.client.backend")

namespace natter::client {

WebSocketBackend::WebSocketBackend(Settings settings, QObject *parent)
    : Backend(std::move(settings), parent)
    , m_token(this->settings().signIn.token)
    , m_cookie(this->settings().signIn.cookie)
{
    const TlsTrust trust = tlsTrust();
    const auto refused = [this](const TlsProblem &problem) { m_tlsProblem = problem; };
    trust.guard(m_socket, serverHost(), refused);
    trust.watch(m_network, this, refused);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        if (!m_tlsProblem)
            onOpened();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) { onText(text); });
    connect(&m_socket, &QWebSocket::disconnected, this, &WebSocketBackend::socketDisconnected);
}

WebSocketBackend::~WebSocketBackend()
{
    m_wanted = false;
    m_socket.disconnect(this);
    m_socket.abort();
}

void WebSocketBackend::connectToServer()
{
    if (m_wanted)
        return;
    m_wanted = true;
    m_policy.reset();
    setConnectionState(ConnectionState::Connecting);
    signInThenOpen();
}

void WebSocketBackend::disconnectFromServer()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    m_ready = false;
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.close(QWebSocketProtocol::CloseCodeNormal);
    else
        setConnectionState(ConnectionState::Disconnected);
}

void WebSocketBackend::subscribe(const QString &roomKey)
{
    m_subscriptions.insert(roomKey);
    if (m_ready)
        subscribeNow(roomKey);
}

void WebSocketBackend::signInThenOpen()
{
    const SignIn &signIn = settings().signIn;
    const bool needLogin = !signIn.password.isEmpty() && (m_token.isEmpty() || m_cookie.isEmpty());
    if (!needLogin)
        return openSocket();
    auto *login = new NatterLogin(m_network, tlsTrust(), this);
    connect(login, &NatterLogin::succeeded, this,
            [this, login](const QString &token, const QString &cookie, qint64 userId, const QString &,
                          const QString &) {
        login->deleteLater();
        m_token = token;
        m_cookie = cookie;
        m_natterUserId = userId;
        if (m_wanted)
            openSocket();
    });
    connect(login, &NatterLogin::failed, this, [this, login](int status, const QString &reason) {
        login->deleteLater();
        if (m_tlsProblem)
            return refuseTls();
        if (status == 401 || status == 400 || status == 403)
            return giveUp(QStringLiteral("Sign-in refused: ") + reason);
        emit errorOccurred(QStringLiteral("Sign-in failed: ") + reason);
        socketDisconnected(); // the server is unreachable: retry with backoff
    });
    login->signIn(settings().serverUrl, signIn.username, signIn.password);
}

QUrl WebSocketBackend::webSocketUrl(const QUrlQuery &query) const
{
    QUrl url = settings().serverUrl;
    url.setScheme(url.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setPath(settings().path.isEmpty() ? defaultPath() : settings().path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QUrl WebSocketBackend::httpUrl(const QString &path, const QUrlQuery &query) const
{
    QUrl url = settings().serverUrl;
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

QNetworkRequest WebSocketBackend::handshakeRequest()
{
    QUrlQuery query;
    if (!m_token.isEmpty())
        query.addQueryItem(QStringLiteral("token"), m_token);
    return QNetworkRequest(webSocketUrl(query));
}

void WebSocketBackend::refuseTls()
{
    const TlsProblem problem = *m_tlsProblem;
    m_tlsProblem.reset(); // a later connectToServer() tries again
    emit tlsRefused(problem); // before giveUp's Disconnected: whoever shows it sees why first
    giveUp(problem.message);
}

void WebSocketBackend::openSocket()
{
    m_ready = false;
    m_tlsProblem.reset();
    m_socket.open(handshakeRequest(), handshakeOptions());
}

void WebSocketBackend::markReady()
{
    m_ready = true;
    m_policy.reset();
    setConnectionState(ConnectionState::Connected);
    emit connected();
    for (const QString &room : std::as_const(m_subscriptions))
        subscribeNow(room);
    catchUp();
}

void WebSocketBackend::giveUp(const QString &reason)
{
    qCWarning(lcBackend) << dialect() << "giving up:" << reason;
    m_wanted = false;
    m_ready = false;
    m_reconnectTimer.stop();
    emit errorOccurred(reason);
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort();
    setConnectionState(ConnectionState::Disconnected);
}

void WebSocketBackend::socketDisconnected()
{
    m_ready = false;
    onClosed();
    if (m_tlsProblem && m_wanted)
        return refuseTls();
    if (!m_wanted) {
        setConnectionState(ConnectionState::Disconnected);
        return;
    }
    setConnectionState(ConnectionState::Reconnecting);
    const auto delay = nextReconnectDelay();
    qCDebug(lcBackend) << dialect() << "reconnecting in" << delay.count() << "ms";
    m_reconnectTimer.start(static_cast<int>(delay.count()), this);
}

void WebSocketBackend::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_reconnectTimer.timerId()) {
        m_reconnectTimer.stop();
        if (m_wanted)
            signInThenOpen();
        return;
    }
    Backend::timerEvent(event);
}

void WebSocketBackend::sendJson(const QJsonObject &object)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void WebSocketBackend::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

QNetworkRequest WebSocketBackend::restRequest(const QUrl &url) const
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!m_token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    if (!m_cookie.isEmpty())
        request.setRawHeader("Cookie", m_cookie.toUtf8());
    tlsTrust().prepare(request);
    return request;
}

void WebSocketBackend::httpGet(const QString &path, const QUrlQuery &query, ReplyHandler handler)
{
    QNetworkReply *reply = m_network.get(restRequest(httpUrl(path, query)));
    connect(reply, &QNetworkReply::finished, this, [reply, handler = std::move(handler)] {
        reply->deleteLater();
        handler(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll());
    });
}

void WebSocketBackend::httpPost(const QString &path, const QJsonObject &body, ReplyHandler handler)
{
    QNetworkReply *reply = m_network.post(restRequest(httpUrl(path)),
                                          QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::finished, this, [reply, handler = std::move(handler)] {
        reply->deleteLater();
        handler(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll());
    });
}

// ---- room actions through Natter's REST -------------------------------------

NatterActions WebSocketBackend::natterActions()
{
    return NatterActions(
        personKey(),
        [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) {
            httpGet(path, query, std::move(handler));
        },
        [this](const QString &path, const QJsonObject &body, ReplyHandler handler) {
            httpPost(path, body, std::move(handler));
        });
}

RoomSummary WebSocketBackend::keyedRoom(RoomSummary room) const
{
    room.key = QString::number(room.id);
    return room;
}

void WebSocketBackend::withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then)
{
    bool numeric = false;
    const qint64 id = roomKey.toLongLong(&numeric);
    then(numeric && id > 0 ? std::optional<qint64>(id) : std::nullopt);
}

void WebSocketBackend::withNatterUserId(const Person &person, const QString &action, const QString &key,
                                        std::function<void(qint64 userId)> then)
{
    natterActions().resolveUserId(person, [this, action, key, then = std::move(then)](
                                              std::optional<qint64> userId, const QString &error) {
        if (!userId)
            return failAction(action, key, error);
        then(*userId);
    });
}

void WebSocketBackend::searchPeople(const QString &query)
{
    natterActions().searchPeople(query, [this, query](bool ok, const QString &error, const QList<Person> &people) {
        if (!ok)
            return failAction(QStringLiteral("search"), query, error);
        emit peopleFound(query, people);
    });
}

void WebSocketBackend::startDirectChat(const Person &person)
{
    const QString action = QStringLiteral("direct");
    withNatterUserId(person, action, person.id, [this, action, person](qint64 userId) {
        natterActions().openDirectRoom(userId, [this, action, person](bool ok, const QString &error,
                                                                     const RoomSummary &room) {
            if (!ok)
                return failAction(action, person.id, error);
            emit roomCreated(keyedRoom(room));
        });
    });
}

void WebSocketBackend::createGroup(const QString &name, const QList<Person> &members)
{
    natterActions().createGroup(name, [this, name, members](bool ok, const QString &error, const RoomSummary &room) {
        if (!ok)
            return failAction(QStringLiteral("group"), name, error);
        const RoomSummary group = keyedRoom(room);
        emit roomCreated(group);
        for (const Person &member : members)
            inviteToGroup(group.key, member);
    });
}

void WebSocketBackend::inviteToGroup(const QString &roomKey, const Person &person)
{
    const QString action = QStringLiteral("invite");
    withNatterRoomId(roomKey, [this, action, roomKey, person](std::optional<qint64> groupId) {
        if (!groupId)
            return failAction(action, roomKey, QStringLiteral("Unknown group: ") + roomKey);
        withNatterUserId(person, action, roomKey, [this, action, roomKey, groupId](qint64 userId) {
            natterActions().invite(*groupId, userId, [this, action, roomKey](bool ok, const QString &error) {
                finishAction(action, roomKey, ok, error);
            });
        });
    });
}

void WebSocketBackend::fetchNotifications()
{
    if (!can(Capability::Groups))
        return;
    natterActions().listUnreadNotifications([this](bool ok, const QList<Notification> &notifications) {
        if (!ok)
            return;
        for (const Notification &notification : notifications)
            emit notificationReceived(notification);
    });
}

void WebSocketBackend::answerInvitation(const QString &roomKey, bool accept)
{
    const QString action = accept ? QStringLiteral("accept") : QStringLiteral("decline");
    withNatterRoomId(roomKey, [this, action, roomKey, accept](std::optional<qint64> groupId) {
        if (!groupId)
            return failAction(action, roomKey, QStringLiteral("Unknown group: ") + roomKey);
        natterActions().answerInvitation(*groupId, accept, [this, action, roomKey, accept](
                                                               bool ok, const QString &error, const RoomSummary &room) {
            finishAction(action, roomKey, ok, error);
            if (ok && accept)
                emit roomCreated(keyedRoom(room));
        });
    });
}

} // namespace natter::client
