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
    // Only "is a server there?": a certificate no one trusts yet still answers
    // it (joining checks the certificate; nothing is sent here).
    connect(reply, &QNetworkReply::sslErrors, reply, [reply] { reply->ignoreSslErrors(); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, key] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        emit probed(key, status > 0);
    });
}

} // namespace natter::discovery
