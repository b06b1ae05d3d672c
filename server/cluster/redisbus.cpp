#include "redisbus.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QTimerEvent>

#include <hiredis/adapters/qt.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

Q_LOGGING_CATEGORY(lcRedis, "natter.server.redis")

namespace natter::server {

namespace {

// Takes the Qt adapter off a context that is still valid: its notifiers go,
// then the adapter, and hiredis is told there is no event loop any more (the
// adapter's own destructor leaves hiredis a cleanup hook to a deleted object).
void detachAdapter(redisAsyncContext *context, RedisQtAdapter *&adapter)
{
    if (!adapter)
        return;
    if (context->ev.cleanup && context->ev.data)
        context->ev.cleanup(context->ev.data);
    delete adapter; // sets context->ev.data to null
    adapter = nullptr;
    context->ev.addRead = nullptr;
    context->ev.delRead = nullptr;
    context->ev.addWrite = nullptr;
    context->ev.delWrite = nullptr;
    context->ev.cleanup = nullptr;
    context->ev.data = nullptr;
}

} // namespace

RedisBus::RedisBus(RedisUrl url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_channel(m_url.channel())
{
}

RedisBus::~RedisBus()
{
    stop();
}

void RedisBus::start()
{
    if (m_running)
        return;
    m_running = true;
    if (!open(m_publisher) || !open(m_subscriber))
        m_retry.start(int(retryInterval.count()), this);
}

void RedisBus::stop()
{
    m_running = false;
    m_retry.stop();
    close(m_publisher);
    close(m_subscriber);
    m_subscribed = false;
    setUp(false);
}

bool RedisBus::open(Connection &connection)
{
    if (connection.context)
        return true;
    redisAsyncContext *context = redisAsyncConnect(m_url.host.toUtf8().constData(), m_url.port);
    if (!context || context->err) {
        qCWarning(lcRedis) << "cannot connect to" << m_url.toString() << ":"
                           << (context ? context->errstr : "out of memory");
        if (context)
            redisAsyncFree(context);
        return false;
    }
    context->data = this;
    connection.context = context;
    connection.adapter = new RedisQtAdapter;
    connection.adapter->setContext(context);
    redisAsyncSetConnectCallback(context, &RedisBus::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisBus::onDisconnect);
    if (&connection == &m_subscriber) {
        const char *argv[] = {"SUBSCRIBE", m_channel.constData()};
        const size_t lengths[] = {9, size_t(m_channel.size())};
        redisAsyncCommandArgv(context, &RedisBus::onMessage, this, 2, argv, lengths);
    }
    return true;
}

void RedisBus::close(Connection &connection)
{
    redisAsyncContext *context = std::exchange(connection.context, nullptr);
    connection.connected = false;
    if (!context)
        return;
    context->data = nullptr; // no callbacks into us from here on
    detachAdapter(context, connection.adapter);
    redisAsyncFree(context);
}

void RedisBus::onConnect(const redisAsyncContext *context, int status)
{
    if (auto *self = static_cast<RedisBus *>(context->data))
        self->connectedTo(context, status == REDIS_OK);
}

void RedisBus::onDisconnect(const redisAsyncContext *context, int)
{
    if (auto *self = static_cast<RedisBus *>(context->data))
        self->dropped(context);
}

void RedisBus::connectedTo(const redisAsyncContext *context, bool ok)
{
    Connection &connection = context == m_publisher.context ? m_publisher : m_subscriber;
    if (!ok) {
        // hiredis frees the context after this returns.
        qCWarning(lcRedis) << "cannot connect to" << m_url.toString() << ":" << context->errstr;
        return dropped(context);
    }
    connection.connected = true;
    // A peer that vanishes without a FIN is noticed (the node's own watchdog does the rest).
    redisEnableKeepAlive(&const_cast<redisAsyncContext *>(context)->c);
    setUp(isConnected());
}

void RedisBus::restart()
{
    if (!m_running)
        return;
    close(m_publisher);
    close(m_subscriber);
    m_subscribed = false;
    setUp(false);
    if (!m_retry.isActive())
        m_retry.start(int(retryInterval.count()), this);
}

void RedisBus::flush(std::chrono::milliseconds within)
{
    if (!m_publisher.connected)
        return;
    const QDeadlineTimer deadline(within);
    int done = 0;
    while (!done && !deadline.hasExpired()) {
        if (redisBufferWrite(&m_publisher.context->c, &done) != REDIS_OK)
            return;
    }
}

void RedisBus::dropped(const redisAsyncContext *context)
{
    Connection &connection = context == m_publisher.context ? m_publisher : m_subscriber;
    if (connection.context != context)
        return;
    auto *mutableContext = const_cast<redisAsyncContext *>(context);
    mutableContext->data = nullptr;
    detachAdapter(mutableContext, connection.adapter);
    connection.context = nullptr; // hiredis frees it
    connection.connected = false;
    if (&connection == &m_subscriber)
        m_subscribed = false;
    if (m_up)
        qCWarning(lcRedis) << "lost the connection to" << m_url.toString();
    setUp(false);
    if (m_running && !m_retry.isActive())
        m_retry.start(int(retryInterval.count()), this);
}

void RedisBus::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_retry.timerId())
        return QObject::timerEvent(event);
    if (open(m_publisher) && open(m_subscriber))
        m_retry.stop();
}

void RedisBus::onMessage(redisAsyncContext *context, void *reply, void *self)
{
    auto *bus = static_cast<RedisBus *>(self);
    const auto *array = static_cast<const redisReply *>(reply);
    if (!array || !context->data)
        return;
    if (array->type == REDIS_REPLY_ERROR) {
        qCWarning(lcRedis) << "SUBSCRIBE refused:" << QByteArray(array->str, qsizetype(array->len));
        // Not from inside hiredis's callback: the connections go at the next pass.
        QMetaObject::invokeMethod(bus, &RedisBus::restart, Qt::QueuedConnection);
        return;
    }
    if (array->type != REDIS_REPLY_ARRAY || array->elements != 3)
        return;
    const redisReply *kind = array->element[0];
    if (kind->type != REDIS_REPLY_STRING)
        return;
    const QByteArray what(kind->str, qsizetype(kind->len));
    if (what == "subscribe")
        return bus->subscribed();
    const redisReply *payload = array->element[2];
    if (what == "message" && payload->type == REDIS_REPLY_STRING)
        emit bus->received(QByteArray(payload->str, qsizetype(payload->len)));
}

void RedisBus::subscribed()
{
    m_subscribed = true;
    setUp(isConnected());
}

void RedisBus::setUp(bool up)
{
    if (up == m_up)
        return;
    m_up = up;
    if (up)
        qCInfo(lcRedis) << "connected to" << m_url.toString() << "channel" << m_channel;
    emit connectedChanged(up);
}

bool RedisBus::publish(const QByteArray &payload)
{
    if (!m_publisher.connected)
        return false;
    const char *argv[] = {"PUBLISH", m_channel.constData(), payload.constData()};
    const size_t lengths[] = {7, size_t(m_channel.size()), size_t(payload.size())};
    if (redisAsyncCommandArgv(m_publisher.context, nullptr, nullptr, 3, argv, lengths) != REDIS_OK)
        return false;
    return true;
}

} // namespace natter::server
