#pragma once

// POST /api/groups {"name"} → 201 {id, uuid, name}: the creator is a member.

class QHttpServer;

namespace natter::server {

struct ServerContext;

class GroupsApi
{
public:
    explicit GroupsApi(ServerContext &context);
    void registerRoutes(QHttpServer &server);

private:
    ServerContext &m_context;
};

} // namespace natter::server
