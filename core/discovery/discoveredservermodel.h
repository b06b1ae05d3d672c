#pragma once

// The servers a joining app can pick: every Natter server heard on the LAN
// (one row per server id, however many addresses it is heard on; dropped
// after about three missed beacons) plus the hosts the user typed, which
// never expire and are probed for reachability. Keeping the typed list across
// restarts is the UI's job: it reads and sets `manualHosts`.

#include "discoverychannel.h"
#include "hostprobe.h"
#include "lanbrowser.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>

namespace natter::discovery {

class DiscoveredServerModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QStringList manualHosts READ manualHosts WRITE setManualHosts NOTIFY manualHostsChanged)
    Q_PROPERTY(bool listening READ isListening NOTIFY listeningChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString: the server's name, or the typed host for manual rows
        HostRole,                    // QString: address the beacon came from, or the typed host
        PortRole,                    // int: the HTTP port every dialect is served on
        DialectsRole,                // QStringList: dialects announced (empty for manual rows)
        UrlRole,                     // QUrl: http://host:port, https:// when it announced TLS
        LastSeenRole,                // QDateTime: last beacon (manual rows: last answer to a probe)
        ManualRole,                  // bool: typed by the user; never expires
        ReachableRole,               // bool: heard on the LAN, or the last probe was answered
        CheckingRole,                // bool: a probe of this manual host is under way
        PathsRole,                   // QVariantMap: dialect → WebSocket path, where announced
        TlsFingerprintRole,          // QByteArray: SHA-256 of the certificate it announced (empty: plain HTTP)
    };
    Q_ENUM(Role)

    explicit DiscoveredServerModel(DiscoveryChannel channel = {}, QObject *parent = nullptr);

    // Starts listening for beacons; false (see errorString) if the port is
    // taken exclusively. Manual hosts work either way.
    Q_INVOKABLE bool start();
    Q_INVOKABLE void stop();
    bool isListening() const { return m_browser.isListening(); }
    QString errorString() const { return m_browser.errorString(); }
    LanBrowser &browser() { return m_browser; }
    const LanBrowser &browser() const { return m_browser; }
    HostProbe &probe() { return m_probe; }

    // "host:port", "[v6]:port" or "host" (port 8000). false for bad input.
    Q_INVOKABLE bool addManualHost(const QString &hostAndPort);
    Q_INVOKABLE void removeManualHost(const QString &hostAndPort);
    Q_INVOKABLE void probeManualHosts();
    QStringList manualHosts() const;
    void setManualHosts(const QStringList &hosts);

    // The certificate fingerprint a server heard at host:port announced; empty when none did.
    QByteArray announcedFingerprint(const QString &host, quint16 port) const;

    // A beacon as the browser reports it; public so that it can be fed directly.
    void addBeacon(const LanBeacon &beacon, const QHostAddress &sender);

    int count() const { return static_cast<int>(m_rows.size()); }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void manualHostsChanged();
    void listeningChanged();
    void countChanged();

private:
    struct Row
    {
        QString key; // server id, or "manual:host:port"
        QString name;
        QString host;
        quint16 port = 0;
        QStringList dialects;
        QVariantMap paths;
        QByteArray tlsFingerprint;
        QDateTime lastSeen;
        qint64 lastHeardMs = 0; // on m_clock, for expiry
        bool manual = false;
        bool reachable = false;
        bool checking = false;
    };

    int rowOf(const QString &key) const;
    void insertRow(Row row);
    void removeRowAt(int row);
    void changed(int row);
    void dropExpired();
    void onProbed(const QString &key, bool reachable);
    void startProbe(Row &row);
    bool hasLanRows() const;
    void notifyManualHostsChanged();

    DiscoveryChannel m_channel;
    LanBrowser m_browser;
    HostProbe m_probe;
    QList<Row> m_rows;
    QElapsedTimer m_clock;
    QTimer m_expiryTimer; // runs only while LAN rows exist
    bool m_settingManualHosts = false;
};

} // namespace natter::discovery
