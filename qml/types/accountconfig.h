#pragma once

// What the app remembers about one account: where, which dialect, who, and the
// credentials the server handed out (a token and/or session cookie — never the
// password). Saved in QSettings by AccountStore, except the token and cookie,
// which SecretVault keeps (the keyring).

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

namespace natter::desktop {

struct AccountConfig
{
    QString id;          // stable local id (also names the account's cache file)
    QUrl serverUrl;      // http(s)://host:port
    QString dialect;     // rooms, cable, chats, social, gateway
    QString serverName;  // as the server introduced itself (GET /api/natter), if it did
    QString railName;    // what the user named the server in the rail (servers without a name of their own)
    QString path;        // the dialect's WebSocket path when not its default
    QString username;
    QString displayName;
    QString token;
    QString cookie;
    QByteArray tlsFingerprint; // SHA-256 of the https server's certificate the user trusted (none: CAs decide)
    QList<QSslCertificate> caCertificates; // CAs the user added for this server (the join form)
    bool hosted = false; // the server this app hosts
    bool natter = true;  // the server is a Natter server (REST extras available)
};

} // namespace natter::desktop
