#pragma once

namespace natter::engine {
class TimerWheel;
}

namespace natter::server {

class Authenticator;
class ClusterRelay;
class Hub;
class PasswordWorkers;
class SocketThreads;
class StoreQueries;
struct ServerConfig;

// What every endpoint and REST route works with. Owned by ChatServer; no globals.
struct ServerContext
{
    const ServerConfig &config;
    // Reads only: every write goes through the hub (or, for sign-ins, auth).
    StoreQueries &queries;
    Hub &hub;
    Authenticator &auth;
    // argon2id on its own pool (PasswordWorkers): answers come back on this thread.
    PasswordWorkers &passwords;
    // Heartbeats, pong and idle deadlines of every session on this thread.
    engine::TimerWheel &timers;
    // Where sessions' sockets do their I/O (`--threads`); none: on this thread.
    SocketThreads &sockets;
    // The other nodes (`--redis`); null for a server on its own.
    const ClusterRelay *cluster;
};

} // namespace natter::server
