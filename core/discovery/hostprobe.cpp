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
    // Natter's introduction (GET /api/natter); any HTTP answer means a server is there.
    url.setPath(QStringLiteral("/api/natter"));
    QNetworkRequest request(url);
    request.setTransferTimeout(static_cast<int>(m_timeout.count()));
    QNetworkReply *reply = m_network.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, key] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        emit probed(key, status > 0);
    });
}

} // namespace natter::discovery
