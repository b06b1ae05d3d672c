#pragma once

// One desktop app per user: the first launch listens on a local socket, a
// second launch hands its arguments to the first (which raises its window)
// and exits.

#include <QObject>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

namespace natter::desktop {

class SingleInstance : public QObject
{
    Q_OBJECT

public:
    // `serverName`: a QLocalServer name or an absolute socket path.
    explicit SingleInstance(const QString &serverName, QObject *parent = nullptr);
    ~SingleInstance() override;

    // Per user: a socket in the runtime dir (or /tmp, named after the user).
    static QString defaultServerName();

    QString serverName() const { return m_serverName; }

    enum class Claim {
        First,      // listening now: this launch is the app
        HandedOver, // a running instance took "raise": this launch should exit
        Failed,     // neither (see errorString()): run anyway, without the guard
    };
    // notifyRunningInstance(), else listen(), under a lock file so that two
    // launches at the same moment cannot both become the first.
    Claim claim(const QStringList &arguments);

    // True when a running instance took "raise" and `arguments`: this launch should exit.
    bool notifyRunningInstance(const QStringList &arguments, int timeoutMs = 3000);

    // Becomes the first instance. A socket a crashed instance left behind is
    // replaced; a live one is not (false, see errorString()).
    bool listen();
    QString errorString() const { return m_error; }

signals:
    // A second launch asked for the window, with its command-line arguments.
    void raiseRequested(const QStringList &arguments);

private:
    void acceptConnections();
    void readRequest(QLocalSocket *socket);
    bool someoneListens() const;
    QString lockFilePath() const;

    QString m_serverName;
    QLocalServer *m_server = nullptr;
    QString m_error;
};

} // namespace natter::desktop
