#pragma once

// Redis pub/sub on the event loop (hiredis's async API and its Qt adapter):
// one connection publishes, one is subscribed to the cluster's channel. Lost
// connections are made again by themselves, every `retryInterval`, until
// stop(); `connectedChanged` says when both are up (and subscribed) or not.
// While down, publish() drops what it is given and says so: Redis pub/sub
// keeps nothing for later either, so the nodes resynchronise from the
// database when it is back (ClusterRelay).

#include "redisurl.h"

#include <QBasicTimer>
#include <QObject>
#include <chrono>

struct redisAsyncContext;
class RedisQtAdapter;

namespace natter::server {

class RedisBus : public QObject
{
    Q_OBJECT
public:
    explicit RedisBus(RedisUrl url, QObject *parent = nullptr);
    ~RedisBus() override;

    void start();
    void stop();
    // Both connections again (a subscriber that hears nothing, a refused SUBSCRIBE).
    void restart();
    // Writes what is queued for the publisher now, waiting at most `within`
    // (before the bus goes: the last events are not left in a buffer).
    void flush(std::chrono::milliseconds within);
    const RedisUrl &url() const { return m_url; }
    bool isConnected() const { return m_subscribed && m_publisher.connected; }
    // False (nothing sent) while Redis is not reachable.
    bool publish(const QByteArray &payload);

    std::chrono::milliseconds retryInterval{500};

signals:
    void received(const QByteArray &payload);
    void connectedChanged(bool connected);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Connection
    {
        redisAsyncContext *context = nullptr;
        RedisQtAdapter *adapter = nullptr;
        bool connected = false;
    };
    bool open(Connection &connection);
    void close(Connection &connection);
    void dropped(const redisAsyncContext *context);
    void connectedTo(const redisAsyncContext *context, bool ok);
    void subscribed();
    void setUp(bool up);

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onMessage(redisAsyncContext *context, void *reply, void *self);

    RedisUrl m_url;
    QByteArray m_channel;
    Connection m_publisher;
    Connection m_subscriber;
    bool m_subscribed = false;
    bool m_running = false;
    bool m_up = false;
    QBasicTimer m_retry;
};

} // namespace natter::server
