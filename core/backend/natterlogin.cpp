#include "natterlogin.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <memory>

namespace natter::client {

NatterLogin::NatterLogin(QNetworkAccessManager &network, TlsTrust trust, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_trust(std::move(trust))
{
}

void NatterLogin::signIn(const QUrl &serverUrl, const QString &username, const QString &password,
                         bool registerFirst, const QString &displayName)
{
    QUrl url = serverUrl;
    url.setPath(registerFirst ? QStringLiteral("/api/auth/register") : QStringLiteral("/api/auth/login"));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    m_trust.prepare(request);
    QJsonObject body{{QStringLiteral("username"), username}, {QStringLiteral("password"), password}};
    if (registerFirst && !displayName.isEmpty())
        body.insert(QStringLiteral("display_name"), displayName);
    QNetworkReply *reply = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    auto refusal = std::make_shared<std::optional<TlsProblem>>();
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply, refusal](const QList<QSslError> &errors) {
        *refusal = m_trust.judge(errors, reply->sslConfiguration().peerCertificate(), tlsHostOf(reply->url()));
        if (!*refusal)
            reply->ignoreSslErrors();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, refusal] {
        reply->deleteLater();
        if (*refusal) {
            emit tlsRefused(**refusal);
            emit failed(0, (*refusal)->message);
            return;
        }
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        if (status != 200 && status != 201) {
            QString reason = json.value(QStringLiteral("error")).toString();
            if (reason.isEmpty())
                reason = reply->errorString();
            emit failed(status, reason);
            return;
        }
        QString cookie;
        for (const QByteArray &line : reply->rawHeader("Set-Cookie").split('\n')) {
            const QByteArray pair = line.split(';').value(0).trimmed();
            if (pair.startsWith("natter_session="))
                cookie = QString::fromUtf8(pair);
        }
        const QJsonObject user = json.value(QStringLiteral("user")).toObject();
        emit succeeded(json.value(QStringLiteral("token")).toString(), cookie,
                       user.value(QStringLiteral("id")).toInteger(),
                       user.value(QStringLiteral("uuid")).toString(),
                       user.value(QStringLiteral("display_name")).toString());
    });
}

} // namespace natter::client
