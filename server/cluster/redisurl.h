#pragma once

// Where a cluster's Redis is: redis://HOST[:PORT][/DB] (`--redis`). Pub/sub
// ignores Redis's database numbers, so DB separates clusters by channel name
// instead: two clusters on one Redis with different DBs never hear each other.

#include <QString>
#include <optional>

namespace natter::server {

struct RedisUrl
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    int database = 0;

    // nullopt with `error` for anything but redis://HOST[:PORT][/DB].
    static std::optional<RedisUrl> parse(const QString &text, QString *error);
    QString toString() const;
    // The pub/sub channel every node of this cluster publishes on.
    QByteArray channel() const;
};

} // namespace natter::server
