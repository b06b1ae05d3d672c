#pragma once

// The datagram a Natter server sends so that apps on the LAN can list it:
//   {"natter":1,"id":"…","name":"…","port":8000,"dialects":["rooms",…],
//    "paths":{"rooms":"/ws/chat/",…},"tls":"<sha256 hex>"}
// "tls" is there when the server serves TLS only: the SHA-256 of its
// certificate, which a joiner who picked it from the LAN list trusts.
// The host is deliberately absent: a receiver takes it from the datagram's
// sender, which is an address that actually reached it.

#include <QByteArray>
#include <QMap>
#include <QStringList>
#include <optional>

namespace natter::discovery {

struct LanBeacon
{
    static constexpr int version = 1;
    static constexpr qsizetype maxDatagramBytes = 2048;

    QString id; // random per server, stable across restarts
    QString name;
    quint16 port = 0;
    QStringList dialects;
    QMap<QString, QString> paths; // dialect → WebSocket path on `port` (optional)
    QByteArray tlsFingerprint;    // SHA-256 of the certificate (32 bytes); empty: plain HTTP

    QByteArray encode() const;
    // nullopt for anything that is not a valid beacon of this version.
    static std::optional<LanBeacon> decode(const QByteArray &datagram);

    friend bool operator==(const LanBeacon &, const LanBeacon &) = default;
};

} // namespace natter::discovery
