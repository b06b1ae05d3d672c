#pragma once

// Everything an operator can set on the server (flags of `natter --headless`).

#include "databaseurl.h"

#include <QHostAddress>
#include <QString>
#include <chrono>

namespace natter::server {

struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8000; // 0: the OS picks
    DatabaseUrl database;
    QString dataDir;
    bool registrationOpen = true;

    // spec 003 connection settings (the spec prints them in seconds)
    std::chrono::milliseconds heartbeatInterval{30'000};
    std::chrono::milliseconds connectionTimeout{14'400'000}; // idle connections close
    std::chrono::milliseconds pingTimeout{10'000};
    int maxReconnectAttempts = 5;
    int messageSizeLimit = 1000; // characters
    int missedPongsBeforeReconnect = 3;
    std::chrono::milliseconds typingExpiry{5000}; // typing ends unless refreshed
    qint64 maxFrameBytes = 64 * 1024;           // larger incoming frames are refused

    std::chrono::seconds tokenLifetime = std::chrono::hours(24 * 30);
    bool fastPasswordHashing = false; // tests only: minimal argon2id limits
};

} // namespace natter::server
