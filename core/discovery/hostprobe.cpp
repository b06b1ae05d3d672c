#include "hostprobe.h"

#include <QNetworkReply>
#include <QNetworkRequest>

namespace natter::discovery {

HostProbe::HostProbe(QObject *parent)
    : QObject(parent)
{
}

void HostProbe::probe(const QString &key, const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    url.setPath(QStringLiteral("/api/v1.0/chat/health-check/"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));
    QNetworkReply *reply = m_network.post(request, QByteArrayLiteral("{}"));
    connect(reply, &QNetworkReply::finished, this, [this, reply, key] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        emit probed(key, status == 200 || status == 401);
    });
}

} // namespace natter::discovery
