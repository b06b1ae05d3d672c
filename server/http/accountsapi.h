#pragma once

#include "loginthrottle.h"

// /api/auth/register, login, logout, me.

#include <QByteArray>
#include <QString>

class QHttpServer;
class QHttpServerResponder;

namespace natter::server {

struct ServerContext;

class AccountsApi
{
public:
    explicit AccountsApi(ServerContext &context);
    void registerRoutes(QHttpServer &server);

private:
    // The answers once PasswordWorkers is done (on the server's thread).
    void registered(QHttpServerResponder &&responder, const QString &username, const QString &displayName,
                    const QByteArray &hash);
    void loggedIn(QHttpServerResponder &&responder, const QString &username, const QString &address,
                  bool passwordMatches);

    ServerContext &m_context;
    QByteArray m_decoyHash;
    LoginThrottle m_failedLogins;
};

} // namespace natter::server
