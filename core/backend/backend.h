#pragma once

// The one interface the rest of the client talks to. Each dialect has one
// adapter behind it that speaks its spec exactly, so it works against any
// server implementing that spec, not only Natter's. QML never sees JSON;
// models never see a socket.

#include "chattypes.h"
#include "tlstrust.h"

#include <QObject>
#include <QUrl>

namespace natter::client {

class Backend : public QObject
{
    Q_OBJECT
public:
    enum class Capability {
        Receipts = 0x001,        // delivered/read
        Typing = 0x002,
        Presence = 0x004,
        History = 0x008,         // older messages can be loaded
        RoomList = 0x010,        // the server lists the user's rooms
        Groups = 0x020,          // group rooms, invitations
        MessageRequests = 0x040, // approve/block threads
        Stamps = 0x080,
        Locations = 0x100,
        Notifications = 0x200,
        DirectByPerson = 0x400,  // messages are addressed to a person, not a room
        CreateRooms = 0x800,     // start direct chats (and, with Groups, create groups)
        PeopleSearch = 0x1000,   // a people directory (searchPeople)
        OpenByAddress = 0x2000,  // conversations open by what the spec addresses them by (conversationKinds)
        RoomEvents = 0x4000,     // the server pushes new rooms and membership changes: no room-list polling
    };
    Q_DECLARE_FLAGS(Capabilities, Capability)
    Q_FLAG(Capabilities)

    enum class ConnectionState { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(ConnectionState)

    // How the adapter signs in: a token, a session cookie, or (against a
    // Natter server) a username and password exchanged for both.
    struct SignIn
    {
        QString username;
        QString password;
        QString token;
        QString cookie;
    };

    struct Settings
    {
        QUrl serverUrl;   // http(s)://host:port — the dialect derives its WebSocket URL
        QString path;     // overrides the dialect's default WebSocket path
        SignIn signIn;
        TlsTrust::Settings tls; // https servers: added CAs, the fingerprint trusted for this one
    };

    explicit Backend(Settings settings, QObject *parent = nullptr);

    virtual QString dialect() const = 0;
    virtual Capabilities capabilities() const = 0;
    bool can(Capability capability) const { return capabilities().testFlag(capability); }

    ConnectionState connectionState() const { return m_state; }
    const Settings &settings() const { return m_settings; }
    // Who we are, once connected (as the dialect names people).
    Person self() const { return m_self; }

    // Connects, and reconnects with backoff after a loss until disconnected.
    virtual void connectToServer() = 0;
    virtual void disconnectFromServer() = 0;

    // Whether a send to this room would go out now (connected, and for
    // dialects with per-room links, that room's link is up).
    virtual bool canSendTo(const QString &roomKey) const
    {
        Q_UNUSED(roomKey)
        return m_state == ConnectionState::Connected;
    }

    virtual void listRooms() = 0;                       // → roomsListed
    virtual void subscribe(const QString &roomKey) = 0; // room events start to arrive
    // → messageAcked or sendFailed. Sending a client id again never makes a
    // second copy: the server drops it (Natter), or the adapter does not write
    // what it wrote before and waits for its echo (servers without acks).
    virtual void send(const OutgoingMessage &message) = 0;
    // The sender gave up on this client id (failed after its attempts): a
    // later send of it is the user's new try and is written again.
    virtual void abandonSend(const QString &clientId) { Q_UNUSED(clientId) }
    virtual void setTyping(const QString &roomKey, bool typing) = 0;
    virtual void markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status) = 0;
    // Messages older than `beforeId` (empty: the newest), newest first. → historyLoaded
    virtual void loadHistory(const QString &roomKey, const QString &beforeId, int limit) = 0;
    // The stamp catalogue (Capability::Stamps). → stampsLoaded. Default: no stamps, no signal.
    virtual void loadStamps() { }

    // Room actions. Every failure is actionFailed(action, key, reason) with a
    // reason to show; the keyed ones (invite, accept, decline, approve, block)
    // end with actionFinished(action, key, ok, error) either way. The defaults
    // fail with "… is not supported by this server".
    //
    // People whose name contains `query` (not us). → peopleFound(query, …); action "search".
    virtual void searchPeople(const QString &query);
    // The direct room with `person` (created when missing). → roomCreated; action "direct".
    virtual void startDirectChat(const Person &person);
    // A group we are in, with `members` invited. → roomCreated, then actionFinished("invite", …)
    // per member; action "group".
    virtual void createGroup(const QString &name, const QList<Person> &members);
    // → actionFinished("invite", roomKey, …)
    virtual void inviteToGroup(const QString &roomKey, const Person &person);
    // → actionFinished("accept"|"decline", roomKey, …); an accepted group also → roomCreated.
    virtual void answerInvitation(const QString &roomKey, bool accept);
    // A message request (Capability::MessageRequests). → actionFinished("approve"|"block", threadKey, …)
    virtual void answerMessageRequest(const QString &threadKey, bool approve);
    // Capability::OpenByAddress: what conversations are addressed by here, and
    // the room for one the user typed (nullopt, with *problem in words, when
    // `address` is not one). The room is not created on the server: it is
    // where messages to and from that address go.
    virtual QList<ConversationKind> conversationKinds() const { return {}; }
    virtual std::optional<RoomSummary> conversationRoom(const QString &kind, const QString &address,
                                                        QString *problem) const;
    // The room for a message in a room not known yet (a conversation someone
    // else started): its key is message.roomKey; a name to show and, for a
    // direct one, the other person. Default: a group named by its key.
    virtual RoomSummary roomForMessage(const ChatMessage &message) const;

    // Whether a message written in this room can reach anyone (false for a room
    // the wire does not address, e.g. spec 002's private messages whose sender
    // is not named, or its broadcasts).
    virtual bool canReplyIn(const QString &roomKey) const
    {
        Q_UNUSED(roomKey)
        return true;
    }

    // Notifications the dialect has no live channel for (a Natter server's
    // group invitations, over its REST) → notificationReceived each. Default: none.
    virtual void fetchNotifications() { }

signals:
    void connectionStateChanged(natter::client::Backend::ConnectionState state);
    void connected();                      // signed in and ready (also after a reconnect)
    void roomsListed(const QList<natter::client::RoomSummary> &rooms);
    void subscribed(const QString &roomKey); // room events flow (again, after a reconnect)
    void messageReceived(const natter::client::ChatMessage &message);
    void messageAcked(const QString &clientId, const natter::client::ChatMessage &stored);
    void sendFailed(const QString &clientId, const QString &reason);
    void statusChanged(const QString &roomKey, const QString &messageId, natter::DeliveryStatus status);
    void typingChanged(const QString &roomKey, const natter::client::Person &who, bool typing);
    void presenceChanged(const natter::client::Person &who);
    void historyLoaded(const QString &roomKey, const QList<natter::client::ChatMessage> &messages, bool complete);
    void notificationReceived(const natter::client::Notification &notification);
    void messageRequestReceived(const natter::client::MessageRequest &request);
    // Our first message opened this room as a request the other side has not
    // approved yet (pending), or they answered in it (no longer pending).
    void approvalPending(const QString &roomKey, bool pending);
    void errorOccurred(const QString &message);
    // The server's TLS certificate was refused (the adapter stops; errorOccurred
    // says the same in words). A problem that canBeTrusted() can be shown with
    // its fingerprint and, once the user trusts it, retried with that pinned.
    void tlsRefused(const natter::client::TlsProblem &problem);
    void stampsLoaded(const QList<natter::client::Stamp> &stamps);
    void peopleFound(const QString &query, const QList<natter::client::Person> &people);
    // A room we just created or joined: the room list should show it; room events may follow.
    void roomCreated(const natter::client::RoomSummary &room);
    void actionFinished(const QString &action, const QString &key, bool ok, const QString &error);
    void actionFailed(const QString &action, const QString &key, const QString &reason);

protected:
    TlsTrust tlsTrust() const { return TlsTrust(m_settings.tls); }
    // A conversation opened by hand at `roomKey`: named as roomForMessage names it, active now.
    RoomSummary openedRoom(const QString &roomKey) const;
    QString serverHost() const { return tlsHostOf(m_settings.serverUrl); }
    void setConnectionState(ConnectionState state);
    void setSelf(const Person &self) { m_self = self; }
    // actionFailed, plus actionFinished(…, false, …) for the keyed actions.
    void failAction(const QString &action, const QString &key, const QString &reason);
    void finishAction(const QString &action, const QString &key, bool ok, const QString &error);

private:
    Settings m_settings;
    ConnectionState m_state = ConnectionState::Disconnected;
    Person m_self;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(Backend::Capabilities)

} // namespace natter::client
