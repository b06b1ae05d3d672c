#pragma once

// Helpers for client-adapter tests against the in-process server.

#include "backend.h"
#include "testserver.h"

#include <QSignalSpy>

namespace natter::test {

// Signs in as `user` with a Natter password (what registerUser() sets).
client::Backend::Settings passwordSignIn(const TestServer &server, const QString &user,
                                         const QString &password = QStringLiteral("password123"));
// How many of a messageReceived spy's messages have this text; the texts
// that start with `prefix`, in the order they came.
qsizetype countText(const QSignalSpy &received, const QString &text);
QStringList textsOf(const QSignalSpy &received, const QString &prefix);

// True once the backend is connected (at once if it already is).
bool waitConnected(client::Backend &backend, int timeoutMs = 5000);

// A backend of `dialect`, connected and subscribed to `roomKey` (for the
// room-addressed dialects: until sends to it go out); null if it never got there.
std::unique_ptr<client::Backend> connectAndSubscribe(const QString &dialect, const client::Backend::Settings &settings,
                                                     const QString &roomKey, int timeoutMs = 10000);

// How each dialect addresses one direct room (Natter id `roomId`, UUID
// `roomUuid`) seen from one member, whose partner is `other`.
struct DirectRoom
{
    qint64 roomId = 0;
    QString roomUuid;
    QString keyFor(const QString &dialect, qint64 otherId) const;
    // Dialects that address people name the recipient too (empty otherwise).
    static QString recipientFor(const QString &dialect, qint64 otherId, const QString &otherUuid);
};

} // namespace natter::test
