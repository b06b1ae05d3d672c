#include "singleinstance.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>

#include <unistd.h>

namespace natter::desktop {

namespace {
// One line of compact JSON: {"command":"raise","arguments":[...]}.
const auto raiseCommand = QStringLiteral("raise");
const auto commandKey = QStringLiteral("command");
const auto argumentsKey = QStringLiteral("arguments");
// Far more than any command line; a client sending more is not one of ours.
constexpr qint64 maxRequestBytes = 256 * 1024;
} // namespace

SingleInstance::SingleInstance(const QString &serverName, QObject *parent)
    : QObject(parent)
    , m_serverName(serverName)
{
}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultServerName()
{
    // The runtime dir is private to the user (0700), so one name there is per user.
    const QString runtimeDir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (!runtimeDir.isEmpty())
        return QDir(runtimeDir).filePath(QStringLiteral("natter-desktop.socket"));
    return QStringLiteral("natter-desktop-%1").arg(::getuid());
}

QString SingleInstance::lockFilePath() const
{
    // A plain name is a socket in the temp dir (see QLocalServer); so is its lock.
    const QString path = QDir::isAbsolutePath(m_serverName) ? m_serverName : QDir::temp().filePath(m_serverName);
    return path + QStringLiteral(".lock");
}

SingleInstance::Claim SingleInstance::claim(const QStringList &arguments)
{
    QLockFile lock(lockFilePath());
    // A crashed holder's lock is stale at once (its PID is gone); if the lock
    // cannot be had at all, go on without it rather than not start.
    const bool locked = lock.tryLock(5000);
    if (!locked)
        qWarning("natter: no single-instance lock at %s", qPrintable(lockFilePath()));
    if (notifyRunningInstance(arguments))
        return Claim::HandedOver;
    return listen() ? Claim::First : Claim::Failed;
}

bool SingleInstance::notifyRunningInstance(const QStringList &arguments, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    const QJsonObject message{{commandKey, raiseCommand}, {argumentsKey, QJsonArray::fromStringList(arguments)}};
    const QByteArray request = QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
    if (socket.write(request) != request.size())
        return false;
    while (socket.bytesToWrite() > 0) {
        if (!socket.waitForBytesWritten(timeoutMs))
            return false;
    }
    socket.disconnectFromServer();
    if (socket.state() != QLocalSocket::UnconnectedState)
        socket.waitForDisconnected(timeoutMs);
    return true;
}

bool SingleInstance::someoneListens() const
{
    QLocalSocket probe;
    probe.connectToServer(m_serverName);
    const bool connected = probe.waitForConnected(1000);
    probe.abort();
    return connected;
}

bool SingleInstance::listen()
{
    if (m_server && m_server->isListening())
        return true;
    delete m_server;
    m_server = new QLocalServer(this);
    // No socket options: with them Qt binds elsewhere and renames over the
    // name, which would take it from a live instance. The runtime dir is
    // private anyway, and in /tmp the umask keeps others from writing to it.
    bool listening = m_server->listen(m_serverName);
    if (!listening && m_server->serverError() == QAbstractSocket::AddressInUseError && !someoneListens()) {
        // Left behind by an instance that crashed: nobody answers there.
        QLocalServer::removeServer(m_serverName);
        listening = m_server->listen(m_serverName);
    }
    if (!listening) {
        m_error = m_server->errorString();
        return false;
    }
    m_error.clear();
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
    return true;
}

void SingleInstance::acceptConnections()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readRequest(socket); });
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        // The request may have arrived together with the connection.
        if (socket->bytesAvailable() > 0)
            readRequest(socket);
    }
}

void SingleInstance::readRequest(QLocalSocket *socket)
{
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > maxRequestBytes)
            socket->abort();
        return; // not all of it yet
    }
    const QJsonDocument request = QJsonDocument::fromJson(socket->readLine(maxRequestBytes));
    const QJsonObject message = request.object();
    if (message.value(commandKey).toString() != raiseCommand) {
        socket->abort(); // not one of ours
        return;
    }
    QStringList arguments;
    for (const QJsonValue &argument : message.value(argumentsKey).toArray())
        arguments.append(argument.toString());
    socket->disconnectFromServer();
    emit raiseRequested(arguments);
}

} // namespace natter::desktop
