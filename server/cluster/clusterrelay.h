#pragma once

// One node of several (`--redis`): what this node's hub commits or sees is
// published on the cluster's Redis channel, and what the other nodes publish
// is delivered to this node's sessions through its hub. The database is the
// truth; the bus only carries news, so nothing is lost with it:
//
// - messages: each once per session, in per-room seq order (Hub's seq gate
//   fills a gap from the database); marks, rooms and memberships, typing,
//   notifications, broadcasts, and the directory changes behind them.
// - presence: every node says which users it has sessions for, at once when
//   that changes and every `heartbeat` in full; a node not heard from for
//   `presenceTtl` (10 s) counts for nobody any more (it died or lost Redis).
// - while Redis is away the node serves its own sessions, logs it and says
//   `degraded` (GET /api/natter); when it is back the node resubscribes by
//   itself and resynchronises from the database (Hub::resynchronise).

#include "redisurl.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <chrono>
#include <memory>

namespace natter::server {

class Hub;
class RedisBus;
class Store;
struct MarkRecord;
struct StatusEvent;

class ClusterRelay : public QObject
{
    Q_OBJECT
public:
    ClusterRelay(const RedisUrl &redis, QString nodeName, Hub &hub, Store &store, QObject *parent = nullptr);
    ~ClusterRelay() override;

    // False when the database cannot say where each room's messages are.
    bool start();
    QString nodeName() const { return m_nodeName; }
    bool isDegraded() const;

    static constexpr std::chrono::milliseconds heartbeat{2000};
    static constexpr std::chrono::milliseconds presenceTtl{10'000};

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void publish(const char *type, QJsonObject body);
    void received(const QByteArray &payload);
    void busConnectedChanged(bool connected);
    void beat();
    void expirePeers();
    void peerUsers(const QString &node, const QSet<qint64> &users);
    void peerUser(const QString &node, qint64 userId, bool online);
    void countElsewhere(qint64 userId, int delta);

    struct Peer
    {
        QString name;
        QSet<qint64> users;
        QDeadlineTimer expires;
    };

    Hub &m_hub;
    Store &m_store;
    QString m_nodeName;
    QString m_nodeId; // unique per process: its own messages come back to it
    std::unique_ptr<RedisBus> m_bus;
    QHash<QString, Peer> m_peers;
    QHash<qint64, int> m_nodesElsewhere; // user → how many other nodes have them online
    QBasicTimer m_heartbeat;
    bool m_everConnected = false;
    QElapsedTimer m_heardSelf; // our own events come back through Redis: the subscriber is alive
};

} // namespace natter::server
