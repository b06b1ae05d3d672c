#pragma once

// The server's parts for fuzz targets, wired as ChatServer wires them
// (ServerContext) but without a listener: a target hands an endpoint an
// in-memory socket (MemoryPipe) and drives the real session code with it.
// One instance per process (libFuzzer runs every input in one process), on
// an in-memory SQLite database, with two users (alice, bob), a group of
// alice's and their direct room. Messages sent by one input stay for the next.

#include "dialectendpoint.h"
#include "records.h"
#include "socketpipe.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <memory>

namespace natter::fuzz {

// A WebSocket kept in memory: what the session sends is counted (and
// dropped), what the fuzz input says arrives as textReceived().
class MemoryPipe final : public server::SocketPipe
{
    Q_OBJECT
public:
    void send(const QByteArray &utf8Frame) override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;

    // The client says `frame` (ignored once closed).
    void receive(const QString &frame);
    // The connection is gone (once; also after abort()).
    void disconnect();
    bool isClosed() const { return m_closed; }
    int framesSent() const { return m_framesSent; }

private:
    bool m_closed = false;
    bool m_disconnected = false;
    int m_framesSent = 0;
};

class FuzzServer
{
public:
    static FuzzServer &instance();

    server::ServerContext &context();
    // The endpoint of `dialect` mounted at its default path.
    server::DialectEndpoint &endpoint(const QString &dialect);

    const server::UserRecord &alice() const;
    const server::UserRecord &bob() const;
    QString aliceToken() const;
    qint64 groupId() const;
    qint64 directRoomId() const;

    // Opens a session of `dialect` as alice at `path` (default: the mount
    // path), feeds it `frames`, closes it and runs the event loop until the
    // session is gone. Returns the frames the server sent.
    int runSession(const QString &dialect, const QList<QString> &frames, const QString &path = {});

    // Runs posted events and deferred deletes until nothing is left to do.
    static void drainEvents();
    // A fresh database and fresh parts every `inputs` runs (callers count):
    // what inputs create (rooms, messages) would otherwise slow every later one.
    void reset();

private:
    FuzzServer();
    void setUp();
    struct Parts;
    std::unique_ptr<Parts> m_parts;
};

// The input cut into frames at every NUL byte: libFuzzer's mutations insert
// NULs readily, so sequences of frames are found without a custom mutator.
QList<QString> framesOf(const uint8_t *data, size_t size);

} // namespace natter::fuzz
