#pragma once

// What the cluster tests and benchmarks start: a redis-server of their own
// (stopped and started again on the same port), a fresh PostgreSQL database
// in the cluster NATTER_TEST_POSTGRES names (dropped afterwards), and a TCP
// relay that can cut every connection through it and refuse new ones for a
// while (the database "down" for the nodes behind it, and nobody else).

#include "databaseurl.h"

#include <QList>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <optional>

namespace natter::test {

class RedisProcess
{
public:
    ~RedisProcess();
    // On a free loopback port (the same one again after stop()); true once it answers.
    bool start();
    void stop(); // kill -9: what a crash looks like to the nodes
    QString url() const;
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

class ScratchDatabase
{
public:
    ~ScratchDatabase();
    // A new database in NATTER_TEST_POSTGRES's cluster; nullopt (and why) without one.
    std::optional<server::DatabaseUrl> create(QString *why);

private:
    std::optional<server::DatabaseUrl> m_admin;
    QString m_name;
};

// Relays on a thread of its own: the nodes' database calls block theirs.
class TcpRelay
{
public:
    TcpRelay(QString host, quint16 port);
    ~TcpRelay();
    bool listen(); // on a loopback port the OS picks (the same one after cut/restore)
    quint16 port() const;
    // Closes every relayed connection and refuses new ones until restore().
    void cut();
    bool restore();

private:
    class Worker;
    QThread *m_thread;
    Worker *m_worker;
};

// A free loopback TCP port now (a server started on it right away gets it).
quint16 freeLoopbackPort();

} // namespace natter::test
