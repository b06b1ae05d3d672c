#include "messagesender.h"

#include "outbox.h"

#include <QTimerEvent>
#include <algorithm>

namespace natter::client {

MessageSender::MessageSender(Backend &backend, Outbox &outbox, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_outbox(outbox)
{
    connect(&backend, &Backend::messageAcked, this, &MessageSender::onAcked);
    connect(&backend, &Backend::sendFailed, this, &MessageSender::onSendFailed);
    connect(&backend, &Backend::connected, this, &MessageSender::flush);
    connect(&backend, &Backend::subscribed, this, &MessageSender::flush);
    connect(&backend, &Backend::connectionStateChanged, this, [this](Backend::ConnectionState state) {
        if (state != Backend::ConnectionState::Connected) {
            m_inFlight.clear(); // whatever was in flight goes again after the reconnect
            noteInFlightChanged();
        }
    });
}

// No polling while idle: the watchdog ticks only while an ack is awaited.
void MessageSender::noteInFlightChanged()
{
    if (m_inFlight.isEmpty())
        m_watchdog.stop();
    else if (!m_watchdog.isActive())
        m_watchdog.start(500, this);
}

void MessageSender::scheduleRetry(int attempts)
{
    const int delay = std::min(30'000, 500 << std::clamp(attempts - 1, 0, 6));
    if (!m_retry.isActive())
        m_retry.start(delay, this);
}

QString MessageSender::send(OutgoingMessage message)
{
    message.clientId = m_outbox.enqueue(message);
    if (message.clientId.isEmpty())
        return {};
    trySend(message);
    return message.clientId;
}

bool MessageSender::retry(const QString &clientId)
{
    if (!m_outbox.retry(clientId))
        return false;
    if (const auto entry = m_outbox.entry(clientId))
        trySend(entry->message);
    return true;
}

void MessageSender::flush()
{
    for (const Outbox::Entry &entry : m_outbox.pending()) {
        if (!m_inFlight.contains(entry.message.clientId))
            trySend(entry.message);
    }
}

int MessageSender::pendingCount() const
{
    return m_outbox.pendingCount();
}

void MessageSender::trySend(const OutgoingMessage &message)
{
    if (!m_backend.canSendTo(message.roomKey))
        return; // goes out on the next connected()/subscribed()
    m_inFlight.insert(message.clientId, QDeadlineTimer(m_ackTimeout));
    noteInFlightChanged();
    m_backend.send(message);
}

void MessageSender::onAcked(const QString &clientId, const ChatMessage &stored)
{
    m_inFlight.remove(clientId);
    noteInFlightChanged();
    if (!m_outbox.entry(clientId))
        return; // a second ack for a re-sent message: reported already
    m_outbox.acknowledge(clientId, stored);
    emit acknowledged(clientId, stored);
    if (m_outbox.pendingCount() == 0)
        emit drained();
}

void MessageSender::onSendFailed(const QString &clientId, const QString &reason)
{
    m_inFlight.remove(clientId);
    noteInFlightChanged();
    const auto before = m_outbox.entry(clientId);
    if (!before || before->state != Outbox::State::Pending)
        return;
    m_outbox.recordAttempt(clientId, reason);
    const auto after = m_outbox.entry(clientId);
    if (after && after->state == Outbox::State::Failed) {
        m_backend.abandonSend(clientId);
        emit failed(clientId, reason);
        if (m_outbox.pendingCount() == 0)
            emit drained();
        return;
    }
    // Still pending: it goes again after a pause, or sooner on a reconnect.
    scheduleRetry(after ? after->attempts : 1);
}

void MessageSender::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_retry.timerId()) {
        m_retry.stop();
        return flush();
    }
    if (event->timerId() != m_watchdog.timerId())
        return QObject::timerEvent(event);
    // No ack in time counts as a failed try, and the message goes again.
    QStringList overdue;
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it) {
        if (it.value().hasExpired())
            overdue.append(it.key());
    }
    for (const QString &clientId : std::as_const(overdue))
        onSendFailed(clientId, QStringLiteral("No acknowledgement"));
}

} // namespace natter::client
