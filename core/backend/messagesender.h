#pragma once

// Sends through the durable outbox: a message is written to the outbox
// before it goes out, re-sent with the same client id after a reconnect (or
// when no ack comes in time) until acknowledged, and marked failed after the
// outbox's maximum attempts. Nothing acknowledged is lost; the server drops
// duplicates by (sender, client id), and a second ack is not reported twice.

#include "backend.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <chrono>

namespace natter::client {

class Outbox;

class MessageSender : public QObject
{
    Q_OBJECT
public:
    MessageSender(Backend &backend, Outbox &outbox, QObject *parent = nullptr);

    // Queues durably, then sends when the room can take it. Returns the client id.
    QString send(OutgoingMessage message);
    // A failed message goes back to pending and out again.
    bool retry(const QString &clientId);
    // Sends every pending message the backend can take now (in queue order).
    void flush();
    int pendingCount() const;

    void setAckTimeout(std::chrono::milliseconds timeout) { m_ackTimeout = timeout; }

signals:
    void acknowledged(const QString &clientId, const natter::client::ChatMessage &stored);
    void failed(const QString &clientId, const QString &reason);
    void drained(); // nothing pending any more

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void trySend(const OutgoingMessage &message);
    void onAcked(const QString &clientId, const ChatMessage &stored);
    void onSendFailed(const QString &clientId, const QString &reason);

    Backend &m_backend;
    Outbox &m_outbox;
    void noteInFlightChanged();
    void scheduleRetry(int attempts);

    QHash<QString, QDeadlineTimer> m_inFlight; // client id → when to give up waiting for its ack
    std::chrono::milliseconds m_ackTimeout{10'000};
    QBasicTimer m_watchdog; // runs only while something waits for its ack
    QBasicTimer m_retry;    // a failed try goes again after a growing pause
};

} // namespace natter::client
