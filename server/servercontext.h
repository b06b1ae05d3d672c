#pragma once

namespace natter::server {

class Authenticator;
class Hub;
class PasswordHasher;
class Store;
struct ServerConfig;

// What every endpoint and REST route works with. Owned by ChatServer; no globals.
struct ServerContext
{
    const ServerConfig &config;
    Store &store;
    Hub &hub;
    Authenticator &auth;
    const PasswordHasher &passwords;
};

} // namespace natter::server
