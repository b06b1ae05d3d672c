#include "backendtesting.h"

#include "backendfactory.h"

#include <QDeadlineTimer>

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

qsizetype countText(const QSignalSpy &received, const QString &text)
{
    return std::count_if(received.cbegin(), received.cend(), [&text](const QList<QVariant> &args) {
        return args.first().value<client::ChatMessage>().text == text;
    });
}

QStringList textsOf(const QSignalSpy &received, const QString &prefix)
{
    QStringList texts;
    for (const QList<QVariant> &args : received) {
        const QString text = args.first().value<client::ChatMessage>().text;
        if (text.startsWith(prefix))
            texts.append(text);
    }
    return texts;
}

bool waitConnected(client::Backend &backend, int timeoutMs)
{
    if (backend.connectionState() == client::Backend::ConnectionState::Connected)
        return true;
    QSignalSpy connected(&backend, &client::Backend::connected);
    return connected.wait(timeoutMs);
}

std::unique_ptr<client::Backend> connectAndSubscribe(const QString &dialect, const client::Backend::Settings &settings,
                                                     const QString &roomKey, int timeoutMs)
{
    auto backend = client::makeBackend(dialect, settings);
    if (!backend)
        return nullptr;
    QSignalSpy connected(backend.get(), &client::Backend::connected);
    QSignalSpy subscribed(backend.get(), &client::Backend::subscribed);
    backend->subscribe(roomKey);
    backend->connectToServer();
    if (!connected.wait(timeoutMs))
        return nullptr;
    // Room-addressed dialects deliver once their subscription is confirmed.
    if (dialect == u"rooms" || dialect == u"cable" || dialect == u"chats") {
        QDeadlineTimer deadline(timeoutMs);
        while (!backend->canSendTo(roomKey) || subscribed.isEmpty()) {
            if (deadline.hasExpired() || !subscribed.wait(static_cast<int>(deadline.remainingTime())))
                return nullptr;
        }
    }
    return backend;
}

QString DirectRoom::keyFor(const QString &dialect, qint64 otherId) const
{
    if (dialect == u"chats" || dialect == u"gateway")
        return roomUuid;
    if (dialect == u"social")
        return QStringLiteral("user:") + QString::number(otherId);
    return QString::number(roomId); // rooms, cable, natter
}

QString DirectRoom::recipientFor(const QString &dialect, qint64 otherId, const QString &otherUuid)
{
    if (dialect == u"gateway")
        return otherUuid;
    if (dialect == u"social")
        return QString::number(otherId);
    return {};
}

} // namespace natter::test
