#include "limitoptions.h"

using namespace Qt::StringLiterals;

namespace natter::app {

LimitOptions::LimitOptions()
{
    const server::ServerConfig defaults;
    auto add = [this](const QString &name, const QString &meaning, qint64 defaultValue, qint64 minimum,
                      qint64 maximum, std::function<void(server::ServerConfig &, qint64)> set) {
        const QString description = u"%1 (default %2)."_s.arg(meaning).arg(defaultValue);
        m_limits.push_back({QCommandLineOption(name, description, u"n"_s), minimum, maximum, std::move(set)});
    };
    add(u"message-rate"_s, u"Messages a user may send per second, all connections together; 0: no limit"_s,
        qint64(defaults.messagesPerSecond), 0, 100000,
        [](server::ServerConfig &config, qint64 value) { config.messagesPerSecond = double(value); });
    add(u"message-burst"_s, u"Messages a user may send at once before --message-rate applies"_s,
        defaults.messageBurst, 1, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.messageBurst = int(value); });
    add(u"max-connections-per-user"_s, u"WebSocket connections one user may hold at once; 0: no limit"_s,
        defaults.maxConnectionsPerUser, 0, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.maxConnectionsPerUser = int(value); });
    add(u"max-connections-per-address"_s,
        u"TCP connections one client address may hold open; 0: no limit (behind a load balancer)"_s,
        defaults.maxConnectionsPerAddress, 0, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.maxConnectionsPerAddress = int(value); });
    add(u"request-head-timeout"_s, u"Milliseconds a client has to send a request head (TLS handshake included)"_s,
        defaults.requestHeadTimeout.count(), 100, 600000,
        [](server::ServerConfig &config, qint64 value) { config.requestHeadTimeout = std::chrono::milliseconds(value); });
    add(u"max-request-head"_s, u"Bytes a request head may have; a longer one gets 431"_s,
        defaults.maxRequestHeadBytes, 1024, 1048576,
        [](server::ServerConfig &config, qint64 value) { config.maxRequestHeadBytes = value; });
    add(u"max-subscriptions"_s, u"Rooms one connection may follow (cable, chats); 0: no limit"_s,
        defaults.maxSubscriptionsPerConnection, 0, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.maxSubscriptionsPerConnection = int(value); });
    add(u"login-failures-per-user"_s, u"Failed logins for one username before each further one waits; 0: no limit"_s,
        defaults.loginFailuresPerUsername, 0, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.loginFailuresPerUsername = int(value); });
    add(u"login-failures-per-address"_s, u"Failed logins from one address before each further one waits; 0: no limit"_s,
        defaults.loginFailuresPerAddress, 0, 1000000,
        [](server::ServerConfig &config, qint64 value) { config.loginFailuresPerAddress = int(value); });
    add(u"login-backoff-max"_s, u"Longest wait in seconds after failed logins (the wait doubles from 1 s)"_s,
        defaults.loginBackoffMax.count(), 1, 86400,
        [](server::ServerConfig &config, qint64 value) { config.loginBackoffMax = std::chrono::seconds(value); });
}

void LimitOptions::addTo(QCommandLineParser &parser) const
{
    for (const Limit &limit : m_limits)
        parser.addOption(limit.option);
}

bool LimitOptions::apply(const QCommandLineParser &parser, server::ServerConfig &config, QString *error) const
{
    for (const Limit &limit : m_limits) {
        if (!parser.isSet(limit.option))
            continue;
        bool ok = false;
        const qint64 value = parser.value(limit.option).toLongLong(&ok);
        if (!ok || value < limit.minimum || value > limit.maximum) {
            *error = u"--%1 wants a whole number from %2 to %3"_s.arg(limit.option.names().constFirst())
                         .arg(limit.minimum)
                         .arg(limit.maximum);
            return false;
        }
        limit.set(config, value);
    }
    return true;
}

} // namespace natter::app
