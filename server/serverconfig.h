#pragma once

// Everything an operator can set on the server (flags of `natter --headless`).

#include "databaseurl.h"
#include "redisurl.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>
#include <chrono>

namespace natter::server {

// A dialect's WebSocket door at a path, on the main port or another one.
struct Mount
{
    static constexpr int mainPort = -1;
    QString dialect;
    QString path;
    int port = mainPort; // mainPort, 0 (a second port the OS picks) or a port number
    friend bool operator==(const Mount &, const Mount &) = default;
};

struct ServerConfig
{
    QString name; // shown to people who join (GET /api/natter, the LAN beacon)
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8000; // 0: the OS picks
    DatabaseUrl database;
    QString dataDir;
    // Several nodes (`--redis`): they share the database and this Redis's
    // pub/sub. nodeName is shown in GET /api/natter and the log (default:
    // host:port).
    std::optional<RedisUrl> redis;
    QString nodeName;
    bool registrationOpen = true;
    // PEM files (--tls-cert, --tls-key): when set, every port serves TLS only.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    bool tlsEnabled() const { return !tlsCertificateFile.isEmpty(); }
    // Every dialect is mounted at its default path on the main port; these
    // add doors (e.g. gateway at /ws on a second port). On the main port an
    // extra mount replaces the default door that has the same path.
    QList<Mount> extraMounts;

    // spec 003 connection settings (the spec prints them in seconds)
    std::chrono::milliseconds heartbeatInterval{30'000};
    // Unsent bytes a connection may have queued; past it the client is too slow
    // to keep up: closed with 1008 "too slow" (it catches up from history).
    qint64 maxSendBuffer = 1024 * 1024;
    // Threads serving: the server's own (hub, store, HTTP, every session's logic)
    // plus threads - 1 socket threads doing the WebSocket I/O, connections
    // assigned round robin. 1: all on the server's thread. `natter --headless`
    // defaults to the number of cores.
    int threads = 1;
    std::chrono::milliseconds connectionTimeout{14'400'000}; // idle connections close
    std::chrono::milliseconds pingTimeout{10'000};
    int maxReconnectAttempts = 5;
    int messageSizeLimit = 1000; // characters
    int missedPongsBeforeReconnect = 3;
    std::chrono::milliseconds typingExpiry{5000}; // typing ends unless refreshed
    std::chrono::milliseconds commitWindow{0};    // posts and receipts within it commit together (0: one loop pass)
    qint64 maxFrameBytes = 64 * 1024;           // larger incoming frames are refused

    // social (spec 002): Origins allowed to open the cookie-authenticated /ws.
    // Empty: only the server's own origin (the Host the request came to).
    QStringList allowedOrigins;

    // cable (spec 000): ActionCable pings every 3 s.
    std::chrono::milliseconds cablePingInterval{3000};

    // gateway (spec 004)
    int gatewayRateLimit = 120; // sends per window; more closes with 4008
    std::chrono::milliseconds gatewayRateWindow{60'000};
    std::chrono::milliseconds gatewayIdentifyTimeout{10'000}; // no IDENTIFY by then: 4009
    std::chrono::milliseconds gatewayHeartbeatInterval{41'250}; // announced in HELLO

    // Limits on every door (README "Limits and hardening"); 0 turns one off.
    // Messages a user may send per second, all connections and doors
    // together, with `messageBurst` at once; past it nothing is stored and
    // each dialect answers in its own way (gateway: close 4008; REST: 429).
    double messagesPerSecond = 20;
    int messageBurst = 100;
    // WebSocket connections one user may hold at once; one more is closed with
    // 1008 "Too many connections" (gateway: 4008).
    int maxConnectionsPerUser = 50;
    // TCP connections one client address may hold open at once (HTTP and
    // WebSocket alike, from accept until closed); one more gets 429 and is
    // closed. Behind a load balancer every client shares its address: set 0.
    int maxConnectionsPerAddress = 256;
    // A request head (on TLS ports the handshake too) not complete by then is
    // dropped (slowloris); one longer than maxRequestHeadBytes gets 431.
    std::chrono::milliseconds requestHeadTimeout{10'000};
    qint64 maxRequestHeadBytes = 32 * 1024;
    // Rooms one connection may follow (cable subscriptions, chats chat_ids).
    int maxSubscriptionsPerConnection = 200;
    // Failed logins per username (and per client address: an office may share
    // one) before each further attempt waits: 1 s, doubling with every failure
    // up to loginBackoffMax; until then login answers 429 with Retry-After.
    // A successful login resets the username's and the address's count.
    int loginFailuresPerUsername = 5;
    int loginFailuresPerAddress = 20;
    std::chrono::seconds loginBackoffMax{900};

    std::chrono::seconds tokenLifetime = std::chrono::hours(24 * 30);
    bool fastPasswordHashing = false; // tests only: minimal argon2id limits
};

} // namespace natter::server
