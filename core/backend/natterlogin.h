#pragma once

// Signing in to a Natter server with a username and password
// (POST /api/auth/login): the token and the session cookie for any dialect.

#include "tlstrust.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

namespace natter::client {

class NatterLogin : public QObject
{
    Q_OBJECT
public:
    // `trust`: whom an https login talks to (CAs, a trusted fingerprint); a
    // refused certificate ends the login with tlsRefused, then failed(0, why).
    NatterLogin(QNetworkAccessManager &network, TlsTrust trust, QObject *parent = nullptr);

    // `registerFirst`: POST /api/auth/register instead (a new account).
    void signIn(const QUrl &serverUrl, const QString &username, const QString &password,
                bool registerFirst = false, const QString &displayName = {});

signals:
    // userId is Natter's integer id; userUuid its UUID.
    void succeeded(const QString &token, const QString &cookie, qint64 userId, const QString &userUuid,
                   const QString &displayName);
    void failed(int httpStatus, const QString &reason);
    void tlsRefused(const natter::client::TlsProblem &problem);

private:
    QNetworkAccessManager &m_network;
    TlsTrust m_trust;
};

} // namespace natter::client
