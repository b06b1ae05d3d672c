#include "backendtesting.h"

#include <QSignalSpy>

namespace natter::test {

client::Backend::Settings passwordSignIn(const TestServer &server, const QString &user, const QString &password)
{
    client::Backend::Settings settings;
    settings.serverUrl = server.url(QString());
    settings.signIn.username = user;
    settings.signIn.password = password;
    return settings;
}

bool waitConnected(client::Backend &backend, int timeoutMs)
{
    if (backend.connectionState() == client::Backend::ConnectionState::Connected)
        return true;
    QSignalSpy connected(&backend, &client::Backend::connected);
    return connected.wait(timeoutMs);
}

} // namespace natter::test
