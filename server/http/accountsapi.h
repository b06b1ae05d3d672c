#pragma once

// /api/auth/register, login, logout, me.

class QHttpServer;

namespace natter::server {

struct ServerContext;

class AccountsApi
{
public:
    explicit AccountsApi(ServerContext &context);
    void registerRoutes(QHttpServer &server);

private:
    ServerContext &m_context;
};

} // namespace natter::server
