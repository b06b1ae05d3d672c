#include "clustertesting.h"

#include <QDeadlineTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace natter::test {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// ---- redis-server ---------------------------------------------------------------

RedisProcess::~RedisProcess()
{
    stop();
}

bool RedisProcess::start()
{
    const QString binary = QStandardPaths::findExecutable(u"redis-server"_s);
    if (binary.isEmpty()) {
        qWarning("no redis-server (Debian package redis-server)");
        return false;
    }
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (m_port == 0 || attempt > 0)
            m_port = freeLoopbackPort();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(binary, {u"--port"_s, QString::number(m_port), u"--bind"_s, u"127.0.0.1"_s,
                                 u"--save"_s, QString(), u"--appendonly"_s, u"no"_s, u"--daemonize"_s, u"no"_s});
        if (!m_process.waitForStarted(5000))
            return false;
        // redis-server says when it listens.
        QByteArray output;
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            if (!m_process.waitForReadyRead(int(deadline.remainingTime())))
                break;
            output += m_process.readAll();
            if (output.contains("Ready to accept connections"))
                return true;
        }
        qWarning() << "redis-server did not come up on" << m_port << output << m_process.readAll();
        m_process.kill();
        m_process.waitForFinished(5000);
        if (attempt == 0 && m_port != 0)
            continue;
    }
    return false;
}

void RedisProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

QString RedisProcess::url() const
{
    return u"redis://127.0.0.1:%1"_s.arg(m_port);
}

// ---- a fresh PostgreSQL database -------------------------------------------------------

namespace {
QSqlDatabase adminConnection(const server::DatabaseUrl &url)
{
    const QString name = u"natter-scratch-admin"_s;
    QSqlDatabase db = QSqlDatabase::contains(name) ? QSqlDatabase::database(name, false)
                                                   : QSqlDatabase::addDatabase(u"QPSQL"_s, name);
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setUserName(url.user);
    db.setPassword(url.password);
    db.setDatabaseName(url.database);
    return db;
}
} // namespace

std::optional<server::DatabaseUrl> ScratchDatabase::create(QString *why)
{
    const QString text = qEnvironmentVariable("NATTER_TEST_POSTGRES");
    if (text.isEmpty()) {
        *why = u"NATTER_TEST_POSTGRES is not set (scripts/dev.sh test starts a PostgreSQL)"_s;
        return std::nullopt;
    }
    QString error;
    m_admin = server::DatabaseUrl::parse(text, &error);
    if (!m_admin) {
        *why = error;
        return std::nullopt;
    }
    QSqlDatabase db = adminConnection(*m_admin);
    if (!db.open()) {
        *why = db.lastError().text();
        return std::nullopt;
    }
    m_name = u"natter_cluster_"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
    QSqlQuery query(db);
    if (!query.exec(u"CREATE DATABASE "_s + m_name)) {
        *why = query.lastError().text();
        m_name.clear();
        return std::nullopt;
    }
    server::DatabaseUrl url = *m_admin;
    url.database = m_name;
    return url;
}

ScratchDatabase::~ScratchDatabase()
{
    if (m_name.isEmpty() || !m_admin)
        return;
    QSqlDatabase db = adminConnection(*m_admin);
    if (db.open()) {
        QSqlQuery query(db);
        // Nodes of a test may still hold connections: end them first.
        query.exec(u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%1'"_s.arg(m_name));
        if (!query.exec(u"DROP DATABASE IF EXISTS "_s + m_name))
            qWarning() << "could not drop" << m_name << query.lastError().text();
        db.close();
    }
}

// ---- a TCP relay that can be cut ------------------------------------------------------

class TcpRelay::Worker : public QObject
{
public:
    Worker(QString host, quint16 port)
        : m_host(std::move(host))
        , m_targetPort(port)
    {
    }
    ~Worker() override { cut(); }

    bool listen()
    {
        if (!m_server) {
            m_server = new QTcpServer(this);
            connect(m_server, &QTcpServer::newConnection, this, &Worker::accept);
        }
        if (!m_server->listen(QHostAddress::LocalHost, m_port))
            return false;
        m_port = m_server->serverPort();
        return true;
    }

    void cut()
    {
        if (m_server)
            m_server->close();
        for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
            if (socket)
                socket->abort();
        }
        m_sockets.clear();
    }

    quint16 m_port = 0;

private:
    void accept()
    {
        while (QTcpSocket *client = m_server->nextPendingConnection()) {
            auto *upstream = new QTcpSocket(client);
            m_sockets.append(client);
            m_sockets.append(upstream);
            connect(client, &QTcpSocket::readyRead, upstream, [client, upstream] {
                upstream->write(client->readAll());
            });
            connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] {
                client->write(upstream->readAll());
            });
            connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
            connect(upstream, &QTcpSocket::errorOccurred, client, [client] { client->abort(); });
            connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
                upstream->disconnectFromHost();
                client->deleteLater();
            });
            upstream->connectToHost(m_host, m_targetPort);
        }
    }

    QString m_host;
    quint16 m_targetPort;
    QTcpServer *m_server = nullptr;
    QList<QPointer<QTcpSocket>> m_sockets;
};

TcpRelay::TcpRelay(QString host, quint16 port)
    : m_thread(new QThread)
    , m_worker(new Worker(std::move(host), port))
{
    m_worker->moveToThread(m_thread);
    m_thread->start();
}

TcpRelay::~TcpRelay()
{
    QMetaObject::invokeMethod(m_worker, [this] { delete m_worker; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

bool TcpRelay::listen()
{
    bool listening = false;
    QMetaObject::invokeMethod(m_worker, [this, &listening] { listening = m_worker->listen(); },
                              Qt::BlockingQueuedConnection);
    return listening;
}

quint16 TcpRelay::port() const
{
    return m_worker->m_port; // written before listen() returned
}

void TcpRelay::cut()
{
    QMetaObject::invokeMethod(m_worker, [this] { m_worker->cut(); }, Qt::BlockingQueuedConnection);
}

bool TcpRelay::restore()
{
    return listen();
}

} // namespace natter::test
