#include "upgraderoute.h"

#include "httputil.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace natter::server {

bool isWebSocketUpgrade(const QHttpServerRequest &request)
{
    return http::header(request, "upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

void answerUpgrade(const QHttpServerRequest &request, QHttpServerResponder &responder,
                   std::optional<UpgradeRefusal> refusal)
{
    if (!isWebSocketUpgrade(request))
        refusal = UpgradeRefusal{QHttpServerResponder::StatusCode::UpgradeRequired,
                                 QStringLiteral("This path speaks WebSocket only")};
    if (refusal)
        responder.write(QJsonDocument(QJsonObject{{QStringLiteral("error"), refusal->error}}),
                        refusal->status);
}

} // namespace natter::server
