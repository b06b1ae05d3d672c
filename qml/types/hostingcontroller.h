#pragma once

// Hosting a server from the app: the same ChatServer `natter --headless` runs,
// with its data in the app's data folder so it survives restarts. Shows the
// addresses others on the LAN use and how many are connected.
//
// The server lives on a thread of its own, never the GUI thread: its SQL,
// hashing and socket I/O cannot freeze the window. This object talks to it
// only by queued calls and signals (start waits for the server to be
// listening, once); what the UI shows is a copy taken when it started.

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <QtQml/qqmlregistration.h>
#include <memory>

namespace natter::server {
class ChatServer;
}
namespace natter::discovery {
class LanAnnouncer;
}

namespace natter::desktop {

class HostingController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Hosting belongs to App")

    Q_PROPERTY(bool running READ running NOTIFY runningChanged)
    Q_PROPERTY(bool stopping READ stopping NOTIFY runningChanged)
    Q_PROPERTY(QString serverName READ serverName NOTIFY runningChanged)
    Q_PROPERTY(int port READ port NOTIFY runningChanged)
    // What others type to join: "192.168.1.23:8000" (the first LAN address),
    // or the loopback address when the server listens only there.
    Q_PROPERTY(QString address READ address NOTIFY runningChanged)
    Q_PROPERTY(QStringList addresses READ addresses NOTIFY runningChanged)
    Q_PROPERTY(int connectedCount READ connectedCount NOTIFY connectedCountChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY runningChanged)
    // SHA-256 of the served certificate ("AB:CD:…"), for joiners to compare.
    Q_PROPERTY(QString fingerprint READ fingerprint NOTIFY runningChanged)
    // Why the LAN cannot hear about us (the server still runs); empty when announcing.
    Q_PROPERTY(QString announceError READ announceError NOTIFY runningChanged)

public:
    explicit HostingController(const QString &dataDir, QObject *parent = nullptr);
    ~HostingController() override;

    bool running() const;
    bool stopping() const { return m_stopping; }
    QString serverName() const { return m_name; }
    int port() const;
    QString address() const;
    QStringList addresses() const;
    int connectedCount() const { return m_connected; }
    QString errorString() const { return m_error; }
    QString fingerprint() const;
    QByteArray tlsFingerprint() const;
    QString announceError() const { return m_announceError; }
    QString dataDir() const { return m_dataDir; }
    // Where the app itself connects: loopback unless bound to one address.
    QUrl localUrl() const;

    // This computer's IPv4 addresses other than loopback (choices to listen on).
    Q_INVOKABLE QStringList localAddresses() const;

    // `listenAddress`: "0.0.0.0" (every interface), "127.0.0.1", or one address.
    bool start(const QString &serverName, const QString &listenAddress, int port);
    // Clients get close 1001; the data stays for the next time.
    Q_INVOKABLE void stop();
    // Makes `username` an administrator of the hosted server (on its thread; → adminMade).
    void makeAdmin(const QString &username);
    // The key file of the served certificate (tests check its mode).
    QString tlsKeyFile() const { return m_started.keyFile; }
    // The thread the server runs on (tests check it is not the caller's).
    const QThread *serverThread() const { return &m_thread; }

signals:
    void runningChanged();
    void connectedCountChanged();
    void stopped();
    void adminMade(const QString &username, bool ok);

private:
    QString m_dataDir;
    QString m_name;
    QString m_error;
    QString m_announceError;
    // What start() learnt from the server, for the properties (read on this thread).
    struct Started
    {
        quint16 port = 0;
        QHostAddress address;
        bool secure = false;
        QByteArray fingerprint;
        QString keyFile;
    };
    QThread m_thread;
    server::ChatServer *m_server = nullptr; // lives on m_thread; deleted there
    Started m_started;
    std::unique_ptr<discovery::LanAnnouncer> m_announcer; // tells the LAN we are here
    int m_connected = 0;
    bool m_stopping = false;
};

} // namespace natter::desktop
