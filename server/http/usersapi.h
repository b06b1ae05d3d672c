#pragma once

// GET /api/users?search=TEXT&limit=N (a Natter extra): the people directory.
// Users whose username or display name contains TEXT (case-insensitive),
// without the caller, by username; limit defaults to 20 and is capped at 100.
// Each as json::person: {id, uuid, username, display_name, online, last_seen}.

class QHttpServer;

namespace natter::server {

struct ServerContext;

class UsersApi
{
public:
    static constexpr int defaultLimit = 20;
    static constexpr int maximumLimit = 100;

    explicit UsersApi(ServerContext &context);
    void registerRoutes(QHttpServer &server);

private:
    ServerContext &m_context;
};

} // namespace natter::server
