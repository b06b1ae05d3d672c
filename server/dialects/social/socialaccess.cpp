#include "socialaccess.h"

#include "httputil.h"

#include <QHttpServerRequest>
#include <QNetworkRequest>
#include <QUrl>

namespace natter::server::social {
namespace {

int defaultPort(const QString &scheme)
{
    if (scheme == u"http" || scheme == u"ws")
        return 80;
    if (scheme == u"https" || scheme == u"wss")
        return 443;
    return -1;
}

// "scheme://host:port" with the default port filled in; empty when `text` is
// not an origin (no scheme or host, e.g. "null").
QString originKey(const QString &text)
{
    QString trimmed = text.trimmed();
    while (trimmed.endsWith(u'/'))
        trimmed.chop(1);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    const int port = url.port(defaultPort(scheme));
    return scheme + QStringLiteral("://") + url.host().toLower() + u':' + QString::number(port);
}

QString rawHeader(const QNetworkRequest &request, QByteArrayView name)
{
    for (const QByteArray &key : request.rawHeaderList()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return QString::fromUtf8(request.rawHeader(key));
    }
    return {};
}

} // namespace

bool originAllowed(const QStringList &allowedOrigins, const QString &origin, const QString &host)
{
    if (origin.trimmed().isEmpty())
        return true; // not a browser: nobody's cookie can be abused
    const QString key = originKey(origin);
    if (key.isEmpty())
        return allowedOrigins.contains(QStringLiteral("*"));
    if (!host.trimmed().isEmpty()) {
        for (const char *scheme : {"http://", "https://"}) {
            if (key == originKey(QString::fromLatin1(scheme) + host.trimmed()))
                return true;
        }
    }
    for (const QString &allowed : allowedOrigins) {
        if (allowed.trimmed() == u"*" || originKey(allowed) == key)
            return true;
    }
    return false;
}

OriginHeaders OriginHeaders::from(const QHttpServerRequest &request)
{
    return {QString::fromUtf8(http::header(request, "origin")),
            QString::fromUtf8(http::header(request, "host"))};
}

OriginHeaders OriginHeaders::from(const QNetworkRequest &upgradeRequest)
{
    return {rawHeader(upgradeRequest, "origin"), rawHeader(upgradeRequest, "host")};
}

} // namespace natter::server::social
