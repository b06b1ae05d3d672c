#include "redisurl.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace natter::server {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    const auto refuse = [&](const QString &why) {
        *error = u"bad Redis URL '%1': %2 (expected redis://HOST[:PORT][/DB])"_s.arg(text, why);
        return std::nullopt;
    };
    if (!url.isValid() || url.scheme() != u"redis"_s)
        return refuse(u"not a redis:// URL"_s);
    if (url.host().isEmpty())
        return refuse(u"no host"_s);
    if (!url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment())
        return refuse(u"only a host, a port and a database number are understood"_s);
    RedisUrl parsed;
    parsed.host = url.host();
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return refuse(u"bad port"_s);
    parsed.port = quint16(port);
    QString path = url.path();
    if (path.startsWith(u'/'))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        parsed.database = path.toInt(&ok);
        if (!ok || parsed.database < 0)
            return refuse(u"the database must be a number"_s);
    }
    return parsed;
}

QString RedisUrl::toString() const
{
    return u"redis://%1:%2/%3"_s.arg(host).arg(port).arg(database);
}

QByteArray RedisUrl::channel() const
{
    return "natter:" + QByteArray::number(database) + ":events";
}

} // namespace natter::server
