#pragma once

// Sends waiting for their echo, for dialects whose server sends no ack (cable
// on a server that is not Natter, social): the adapter recognises its own
// message when the server broadcasts or lists it, and that is the ack.
//
// Contract:
//  - note() records a write of a client id on the current connection;
//    isWritten() then stays true until the connection closes (clear()) or the
//    sender gives up on it (forget()). An adapter never writes a client id
//    that isWritten() again: the server has it (the link is ordered and
//    reliable) and cannot drop a duplicate, since the wire has no client id.
//  - claim() finds the send a frame confirms and removes it. A frame that
//    carries a client id matches only that send. Otherwise the sender decides:
//    a frame from someone else (both ids known, different) confirms nothing;
//    from us, the oldest send with the same room and content does; from an
//    unknown sender (the wire does not say, or we do not know who we are),
//    only a send written within `unknownSenderWindow` before the frame.
//  - Content is compared as Fingerprint: kind + text, stamp id or location.

#include "chattypes.h"

#include <QDateTime>
#include <QList>
#include <chrono>
#include <optional>

namespace natter::client {

class EchoMatcher
{
public:
    struct Fingerprint
    {
        MessageKind kind = MessageKind::Text;
        QString content; // text, stamp id, or "lat,lng"
        bool operator==(const Fingerprint &) const = default;

        static Fingerprint of(const OutgoingMessage &message);
        static Fingerprint of(const ChatMessage &message);
    };

    enum class Sender { Us, Someone, Unknown };

    explicit EchoMatcher(std::chrono::milliseconds unknownSenderWindow = std::chrono::seconds(10))
        : m_window(unknownSenderWindow) { }

    void note(const QString &clientId, const QString &roomKey, const Fingerprint &content,
              const QDateTime &writtenAt = QDateTime::currentDateTimeUtc());
    bool isWritten(const QString &clientId) const;
    // The client id of the send this frame confirms (removed), if any.
    std::optional<QString> claim(const QString &roomKey, const Fingerprint &content, Sender sender,
                                 const QString &frameClientId = {},
                                 const QDateTime &seenAt = QDateTime::currentDateTimeUtc());
    void forget(const QString &clientId);
    void clear() { m_sends.clear(); }

    static Sender senderOf(const Person &sender, const Person &self);

private:
    struct Send
    {
        QString clientId;
        QString roomKey;
        Fingerprint content;
        QDateTime writtenAt;
    };
    QList<Send> m_sends; // in write order
    std::chrono::milliseconds m_window;
};

} // namespace natter::client
