#include "echomatcher.h"

#include <algorithm>

namespace natter::client {
namespace {

QString locationText(double latitude, double longitude)
{
    return QString::number(latitude, 'f', 6) + u',' + QString::number(longitude, 'f', 6);
}

// An outgoing message and a received one name their content alike.
template<typename Message>
EchoMatcher::Fingerprint fingerprintOf(const Message &message)
{
    switch (message.kind) {
    case MessageKind::Stamp: return {message.kind, message.stampId};
    case MessageKind::Location: return {message.kind, locationText(message.latitude, message.longitude)};
    case MessageKind::Text: break;
    }
    return {MessageKind::Text, message.text};
}

} // namespace

EchoMatcher::Fingerprint EchoMatcher::Fingerprint::of(const OutgoingMessage &message)
{
    return fingerprintOf(message);
}

EchoMatcher::Fingerprint EchoMatcher::Fingerprint::of(const ChatMessage &message)
{
    return fingerprintOf(message);
}

EchoMatcher::Sender EchoMatcher::senderOf(const Person &sender, const Person &self)
{
    if (!sender.id.isEmpty() && !self.id.isEmpty())
        return sender.id == self.id ? Sender::Us : Sender::Someone;
    if (!sender.username.isEmpty() && !self.username.isEmpty())
        return sender.username == self.username ? Sender::Us : Sender::Someone;
    return Sender::Unknown;
}

void EchoMatcher::note(const QString &clientId, const QString &roomKey, const Fingerprint &content,
                       const QDateTime &writtenAt)
{
    if (clientId.isEmpty() || isWritten(clientId))
        return;
    m_sends.append({clientId, roomKey, content, writtenAt});
}

bool EchoMatcher::isWritten(const QString &clientId) const
{
    return std::any_of(m_sends.cbegin(), m_sends.cend(), [&](const Send &send) { return send.clientId == clientId; });
}

std::optional<QString> EchoMatcher::claim(const QString &roomKey, const Fingerprint &content, Sender sender,
                                          const QString &frameClientId, const QDateTime &seenAt)
{
    auto matches = [&](const Send &send) {
        if (!frameClientId.isEmpty())
            return send.clientId == frameClientId;
        if (sender == Sender::Someone || send.roomKey != roomKey || !(send.content == content))
            return false;
        return sender == Sender::Us || send.writtenAt.msecsTo(seenAt) <= m_window.count();
    };
    const auto it = std::find_if(m_sends.begin(), m_sends.end(), matches);
    if (it == m_sends.end())
        return std::nullopt;
    const QString clientId = it->clientId;
    m_sends.erase(it);
    return clientId;
}

void EchoMatcher::forget(const QString &clientId)
{
    m_sends.removeIf([&](const Send &send) { return send.clientId == clientId; });
}

} // namespace natter::client
