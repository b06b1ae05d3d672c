#pragma once

// Helpers for client-adapter tests against the in-process server.

#include "backend.h"
#include "testserver.h"

namespace natter::test {

// Signs in as `user` with a Natter password (what registerUser() sets).
client::Backend::Settings passwordSignIn(const TestServer &server, const QString &user,
                                         const QString &password = QStringLiteral("password123"));
// True once the backend is connected (at once if it already is).
bool waitConnected(client::Backend &backend, int timeoutMs = 5000);

} // namespace natter::test
