#include "websocketconnection.h"

#include "tlsbridge.h"

#include <QNetworkRequest>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QTimerEvent>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace natter::server {

using namespace websocket;
using CloseCode = QWebSocketProtocol::CloseCode;

namespace {

// How long a client has to answer our close frame (or, after a protocol
// error, to close its side) before the descriptor is closed anyway.
constexpr int closeGraceMs = 5000;
// A client that reads nothing at all after "too slow" is cut off this much later.
constexpr int tooSlowGraceMs = 5000;
// One readiness event reads at most this many times: other sockets get their turn.
constexpr int readsPerWakeUp = 4;
// Frames handed to one sendmsg.
constexpr size_t maxIovecs = 64;

// Reads land here; a connection keeps only what it cannot use yet.
QByteArray &readScratch()
{
    thread_local QByteArray scratch;
    if (scratch.isEmpty())
        scratch.resize(64 * 1024);
    return scratch;
}

QByteArray headerValue(const QNetworkRequest &request, QByteArrayView name)
{
    for (const QByteArray &key : request.rawHeaderList()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return request.rawHeader(key);
    }
    return {};
}

bool hasToken(const QByteArray &list, QByteArrayView token)
{
    const QList<QByteArray> items = list.split(',');
    return std::any_of(items.cbegin(), items.cend(), [token](const QByteArray &item) {
        return item.trimmed().compare(token, Qt::CaseInsensitive) == 0;
    });
}

void unmask(char *data, qsizetype size, const char mask[4])
{
    for (qsizetype i = 0; i < size; ++i)
        data[i] = char(data[i] ^ mask[i & 3]);
}

} // namespace

// A socket notifier that calls its connection directly: no signal connection
// (and its bookkeeping) per descriptor.
class WebSocketConnection::Watch final : public QSocketNotifier
{
public:
    Watch(int fd, Type type, WebSocketConnection *connection, void (WebSocketConnection::*ready)())
        : QSocketNotifier(fd, type, connection)
        , m_connection(connection)
        , m_ready(ready)
    {
    }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != QEvent::SockAct)
            return QSocketNotifier::event(event); // e.g. moving to a socket thread
        (m_connection->*m_ready)();
        return true;
    }

private:
    WebSocketConnection *m_connection;
    void (WebSocketConnection::*m_ready)();
};

// The connections of this thread with frames queued during the current
// event-loop pass; flushed by one posted event once the pass's other work is
// done (posted events run at the start of the next pass, before it waits).
class WebSocketConnection::FlushQueue final : public QObject
{
public:
    static FlushQueue &current()
    {
        if (!s_current) {
            s_current = new FlushQueue;
            // A socket thread's queue goes with its thread; the main thread's stays until exit.
            QThread *thread = QThread::currentThread();
            if (QCoreApplication::instance() && thread != QCoreApplication::instance()->thread())
                connect(thread, &QThread::finished, s_current, &QObject::deleteLater);
        }
        return *s_current;
    }

    ~FlushQueue() override
    {
        for (WebSocketConnection *connection : m_queued)
            connection->m_flushQueued = false;
        s_current = nullptr;
    }

    void add(WebSocketConnection *connection)
    {
        connection->m_flushQueued = true;
        m_queued.push_back(connection);
        if (m_posted)
            return;
        m_posted = true;
        QCoreApplication::postEvent(this, new QEvent(flushEvent));
    }

    void remove(WebSocketConnection *connection)
    {
        connection->m_flushQueued = false;
        const auto it = std::find(m_queued.begin(), m_queued.end(), connection);
        if (it != m_queued.end())
            m_queued.erase(it);
    }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() != flushEvent)
            return QObject::event(event);
        m_posted = false;
        // Flushing never deletes a connection nor queues one here (nothing is
        // emitted synchronously), but take the batch first all the same.
        const std::vector<WebSocketConnection *> batch = std::exchange(m_queued, {});
        for (WebSocketConnection *connection : batch) {
            connection->m_flushQueued = false;
            connection->flush();
        }
        return true;
    }

private:
    static constexpr auto flushEvent = QEvent::Type(QEvent::User + 0x6455);
    static thread_local FlushQueue *s_current;
    std::vector<WebSocketConnection *> m_queued;
    bool m_posted = false;
};

thread_local WebSocketConnection::FlushQueue *WebSocketConnection::FlushQueue::s_current = nullptr;

std::unique_ptr<WebSocketConnection> WebSocketConnection::upgrade(QTcpSocket &socket, qsizetype headBytes,
                                                                  const QNetworkRequest &request,
                                                                  const QStringList &subprotocols,
                                                                  qint64 maxMessageBytes)
{
    const QByteArray key = headerValue(request, "Sec-WebSocket-Key").trimmed();
    if (headerValue(request, "Sec-WebSocket-Version").trimmed() != "13"
        || !hasToken(headerValue(request, "Connection"), "upgrade")
        || QByteArray::fromBase64(key).size() != 16)
        return nullptr;

    QByteArray chosen;
    for (const QByteArray &asked : headerValue(request, "Sec-WebSocket-Protocol").split(',')) {
        const QByteArray name = asked.trimmed();
        if (!name.isEmpty() && subprotocols.contains(QString::fromLatin1(name))) {
            chosen = name;
            break;
        }
    }
    QByteArray response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: "
        + acceptKey(key) + "\r\n";
    if (!chosen.isEmpty())
        response += "Sec-WebSocket-Protocol: " + chosen + "\r\n";
    response += "\r\n";

    if (auto *tls = qobject_cast<QSslSocket *>(&socket)) {
        // TLS: the bridge decrypts into a socket pair and takes the socket;
        // what followed the head goes through the pair like everything after.
        // The head is skipped once the bridge exists (on failure the socket
        // goes back to QHttpServer as it came); the bridge reads what follows
        // it later, from the event loop.
        const int fd = TlsBridge::bridge(tls);
        if (fd < 0)
            return nullptr;
        socket.skip(headBytes);
        return std::make_unique<WebSocketConnection>(fd, std::move(response), QByteArray(), maxMessageBytes);
    }
    // The socket has read the head (and maybe more) into its buffer: take it
    // all, then keep a duplicate of the descriptor and let the socket go. Only
    // the handshake ever costs a QTcpSocket.
    const int fd = ::fcntl(int(socket.socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return nullptr;
    socket.skip(headBytes);
    QByteArray early = socket.readAll();
    socket.abort(); // closes its descriptor only; the connection lives on in `fd`
    return std::make_unique<WebSocketConnection>(fd, std::move(response), std::move(early), maxMessageBytes);
}

WebSocketConnection::WebSocketConnection(int fd, QByteArray handshakeResponse, QByteArray early,
                                         qint64 maxMessageBytes)
    : m_fd(fd)
    , m_maxMessageBytes(maxMessageBytes)
    , m_partial(std::move(early))
{
    m_readNotifier = new Watch(fd, QSocketNotifier::Read, this, &WebSocketConnection::readReady);
    if (!handshakeResponse.isEmpty()) {
        OutFrame response;
        response.payload = std::move(handshakeResponse);
        enqueue(std::move(response));
    }
    // Whoever takes this connection connects to its signals first.
    if (!m_partial.isEmpty())
        QMetaObject::invokeMethod(this, &WebSocketConnection::processEarly, Qt::QueuedConnection);
}

WebSocketConnection::~WebSocketConnection()
{
    finish(false);
}

void WebSocketConnection::processEarly()
{
    if (m_fd < 0 || m_partial.isEmpty())
        return;
    Parse state = Parse::More;
    const qsizetype used = consume(m_partial, state);
    if (m_fd >= 0 && state == Parse::More)
        m_partial = used == m_partial.size() ? QByteArray() : m_partial.sliced(used);
}

void WebSocketConnection::readReady()
{
    QByteArray &scratch = readScratch();
    for (int round = 0; round < readsPerWakeUp && m_fd >= 0; ++round) {
        const ssize_t got = ::recv(m_fd, scratch.data(), size_t(scratch.size()), 0);
        if (got == 0)
            return finish(); // the client closed (with or without a close frame)
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                finish(); // reset
            return;
        }
        if (m_failed || m_closeReceived)
            continue; // their input is over: discard it until EOF
        Parse state = Parse::More;
        if (m_partial.isEmpty()) {
            const QByteArrayView input(scratch.constData(), got);
            const qsizetype used = consume(input, state);
            if (m_fd >= 0 && state == Parse::More && used < got)
                m_partial = input.sliced(used).toByteArray();
        } else {
            m_partial.append(scratch.constData(), got);
            const qsizetype used = consume(m_partial, state);
            if (m_fd >= 0 && state == Parse::More) {
                if (used == m_partial.size())
                    m_partial = QByteArray(); // idle again: hold nothing
                else
                    m_partial.remove(0, used);
            }
        }
        if (got < scratch.size())
            return; // drained
    }
}

qsizetype WebSocketConnection::consume(QByteArrayView input, Parse &state)
{
    qsizetype at = 0;
    while (state == Parse::More && m_fd >= 0 && !m_failed && !m_closeReceived) {
        const qsizetype available = input.size() - at;
        if (available < 2)
            break;
        const auto *bytes = reinterpret_cast<const quint8 *>(input.constData() + at);
        const bool final = bytes[0] & 0x80;
        const quint8 opcode = bytes[0] & 0x0F;
        const bool masked = bytes[1] & 0x80;
        if (bytes[0] & 0x70) {
            state = fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("reserved bits set"));
            break;
        }
        if (!isKnownOpcode(opcode)) {
            state = fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("reserved opcode"));
            break;
        }
        if (!masked) {
            state = fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("unmasked client frame"));
            break;
        }
        quint64 length = bytes[1] & 0x7F;
        qsizetype headerSize = 2;
        if (isControl(opcode) && (!final || length > quint64(maxControlPayload))) {
            state = fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("bad control frame"));
            break;
        }
        if (length == 126) {
            if (available < 4)
                break;
            length = quint64(bytes[2]) << 8 | bytes[3];
            headerSize = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = length << 8 | bytes[2 + i];
            headerSize = 10;
        }
        // Checked before the payload arrives: nothing over the limit is ever buffered.
        if (length > quint64(m_maxMessageBytes)
            || (opcode == quint8(Opcode::Continuation) && m_messageBytes + qint64(length) > m_maxMessageBytes)) {
            state = fail(QWebSocketProtocol::CloseCodeTooMuchData, QStringLiteral("message too big"));
            break;
        }
        const qsizetype frameSize = headerSize + 4 + qsizetype(length);
        if (available < frameSize)
            break;
        char mask[4];
        std::memcpy(mask, bytes + headerSize, 4);
        QByteArray payload(reinterpret_cast<const char *>(bytes) + headerSize + 4, qsizetype(length));
        unmask(payload.data(), payload.size(), mask);
        at += frameSize;
        state = handleFrame(opcode, final, std::move(payload));
    }
    return at;
}

WebSocketConnection::Parse WebSocketConnection::handleFrame(quint8 opcode, bool final, QByteArray payload)
{
    switch (Opcode(opcode)) {
    case Opcode::Ping:
        if (m_closeSent)
            return Parse::More;
        enqueueFrame(quint8(Opcode::Pong), payload);
        // A client that pings without reading is bounded like any slow reader.
        return withinSendBound() ? Parse::More : Parse::Stop;
    case Opcode::Pong:
        return Parse::More;
    case Opcode::Close:
        return handleClose(payload);
    default:
        return handleData(opcode, final, std::move(payload));
    }
}

WebSocketConnection::Parse WebSocketConnection::handleData(quint8 opcode, bool final, QByteArray payload)
{
    const bool continuation = opcode == quint8(Opcode::Continuation);
    if (continuation == (m_messageOpcode == 0)) {
        return fail(QWebSocketProtocol::CloseCodeProtocolError,
                    continuation ? QStringLiteral("continuation without a message")
                                 : QStringLiteral("new message inside a fragmented one"));
    }
    const quint8 messageOpcode = continuation ? m_messageOpcode : opcode;
    if (messageOpcode == quint8(Opcode::Text)) {
        if (!continuation)
            m_utf8.reset();
        if (!m_utf8.feed(payload) || (final && !m_utf8.atCharacterBoundary()))
            return fail(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("invalid UTF-8"));
    }
    if (!final) {
        m_messageOpcode = messageOpcode;
        m_messageBytes += payload.size();
        if (messageOpcode == quint8(Opcode::Text))
            m_message.append(payload);
        return Parse::More;
    }
    QByteArray message = continuation ? std::exchange(m_message, {}) + payload : std::move(payload);
    m_messageOpcode = 0;
    m_messageBytes = 0;
    if (m_closeSent)
        return Parse::More; // closing: nobody listens any more
    if (messageOpcode == quint8(Opcode::Text))
        emit textReceived(QString::fromUtf8(message));
    else
        emit binaryReceived();
    return Parse::More;
}

WebSocketConnection::Parse WebSocketConnection::handleClose(const QByteArray &payload)
{
    quint16 code = QWebSocketProtocol::CloseCodeMissingStatusCode;
    if (payload.size() == 1)
        return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("bad close payload"));
    if (payload.size() >= 2) {
        code = quint16(quint8(payload[0]) << 8 | quint8(payload[1]));
        if (!isValidWireCloseCode(code))
            return fail(QWebSocketProtocol::CloseCodeProtocolError, QStringLiteral("invalid close code"));
        if (!isValidUtf8(QByteArrayView(payload).sliced(2)))
            return fail(QWebSocketProtocol::CloseCodeWrongDatatype, QStringLiteral("invalid UTF-8"));
    }
    m_closeReceived = true;
    m_partial = QByteArray();
    m_message = QByteArray();
    if (!m_closeSent) {
        m_closeSent = true;
        enqueueFrame(quint8(Opcode::Close), closePayload(code, {}));
    } else if (m_out.size() == m_outFirst) {
        finish(); // our close was out already: the handshake is complete
    }
    return Parse::Stop;
}

WebSocketConnection::Parse WebSocketConnection::fail(CloseCode code, const QString &reason)
{
    m_failed = true;
    m_partial = QByteArray();
    m_message = QByteArray();
    if (!m_closeSent) {
        m_closeSent = true;
        enqueueFrame(quint8(Opcode::Close), closePayload(code, reason));
    } else if (m_out.size() == m_outFirst) {
        drained();
    }
    startGrace(closeGraceMs);
    return Parse::Stop;
}

void WebSocketConnection::send(const QByteArray &utf8Frame)
{
    if (m_fd < 0 || m_closeSent)
        return;
    enqueueFrame(quint8(Opcode::Text), utf8Frame);
    withinSendBound();
}

bool WebSocketConnection::withinSendBound()
{
    if (m_unsent > m_maxSendBuffer && !m_awaitingWritable)
        flush(); // past the bound within one pass: too slow only if the socket does not take it now
    if (m_fd < 0 || m_unsent <= m_maxSendBuffer)
        return m_fd >= 0;
    // Memory stays bounded: nothing more is queued; the close frame goes after what is.
    const qint64 unsent = m_unsent;
    m_closeSent = true;
    enqueueFrame(quint8(Opcode::Close),
                 closePayload(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too slow")));
    startGrace(tooSlowGraceMs);
    emit tooSlow(unsent);
    return false;
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (m_fd < 0 || m_closeSent)
        return;
    m_closeSent = true;
    enqueueFrame(quint8(Opcode::Close), closePayload(code, reason));
    // Out now, not at the end of the pass: a server that stops closes every
    // connection and then destroys it in the same pass (ChatServer::stop).
    flush();
    if (m_fd >= 0)
        startGrace(closeGraceMs);
}

void WebSocketConnection::abort()
{
    finish();
}

void WebSocketConnection::enqueueFrame(quint8 opcode, const QByteArray &payload)
{
    OutFrame frame;
    const FrameHeader header = serverFrameHeader(Opcode(opcode), quint64(payload.size()));
    std::copy_n(header.bytes.begin(), header.size, frame.header.begin());
    frame.headerSize = header.size;
    frame.payload = payload; // shared, not copied
    enqueue(std::move(frame));
}

void WebSocketConnection::enqueue(OutFrame frame)
{
    m_unsent += frame.size();
    m_out.push_back(std::move(frame));
    // Written at the end of this pass, or when the socket takes more.
    if (!m_awaitingWritable && !m_flushQueued)
        FlushQueue::current().add(this);
}

void WebSocketConnection::flush()
{
    if (m_fd < 0)
        return;
    while (m_out.size() > m_outFirst) {
        iovec parts[2 * maxIovecs];
        int count = 0;
        for (size_t i = m_outFirst; i < m_out.size() && i - m_outFirst < maxIovecs; ++i) {
            OutFrame &frame = m_out[i];
            qsizetype skip = i == m_outFirst ? m_firstWritten : 0;
            if (skip < frame.headerSize) {
                parts[count++] = {frame.header.data() + skip, size_t(frame.headerSize - skip)};
                skip = 0;
            } else {
                skip -= frame.headerSize;
            }
            if (frame.payload.size() > skip)
                parts[count++] = {const_cast<char *>(frame.payload.constData()) + skip,
                                  size_t(frame.payload.size() - skip)};
        }
        msghdr message{};
        message.msg_iov = parts;
        message.msg_iovlen = size_t(count);
        const ssize_t written = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                if (!m_writeNotifier)
                    m_writeNotifier = new Watch(m_fd, QSocketNotifier::Write, this, &WebSocketConnection::writeReady);
                m_writeNotifier->setEnabled(true);
                m_awaitingWritable = true;
                return;
            }
            return finish(); // the client is gone (EPIPE, ECONNRESET)
        }
        m_unsent -= written;
        qsizetype left = written;
        while (left > 0) {
            const qsizetype rest = m_out[m_outFirst].size() - m_firstWritten;
            if (left < rest) {
                m_firstWritten += left;
                break;
            }
            left -= rest;
            m_out[m_outFirst].payload = QByteArray(); // the sender's reference goes now
            ++m_outFirst;
            m_firstWritten = 0;
        }
    }
    drained();
}

void WebSocketConnection::writeReady()
{
    m_writeNotifier->setEnabled(false);
    m_awaitingWritable = false;
    flush();
}

void WebSocketConnection::drained()
{
    m_out = std::vector<OutFrame>(); // idle again: hold nothing
    m_outFirst = 0;
    m_firstWritten = 0;
    m_unsent = 0;
    if (m_closeSent && m_closeReceived)
        return finish(); // the echo (or our close's answer) is out: done
    if (m_closeSent && m_failed)
        ::shutdown(m_fd, SHUT_WR); // the client sees EOF after our close frame; its close ends it
}

void WebSocketConnection::startGrace(int milliseconds)
{
    if (m_graceTimer == 0 && m_fd >= 0)
        m_graceTimer = startTimer(milliseconds);
}

bool WebSocketConnection::event(QEvent *event)
{
    // About to move to a socket thread: what is queued goes out from here
    // first; this thread's flush queue must not hold it any more.
    if (event->type() == QEvent::ThreadChange && m_flushQueued) {
        FlushQueue::current().remove(this);
        flush();
    }
    return SocketPipe::event(event);
}

void WebSocketConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_graceTimer)
        return SocketPipe::timerEvent(event);
    finish();
}

void WebSocketConnection::finish(bool notify)
{
    if (m_fd < 0)
        return;
    if (m_graceTimer != 0) {
        killTimer(m_graceTimer);
        m_graceTimer = 0;
    }
    if (m_flushQueued)
        FlushQueue::current().remove(this);
    m_awaitingWritable = false;
    // Off the event loop before the descriptor goes (epoll watches descriptions, not numbers).
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_out = std::vector<OutFrame>();
    m_outFirst = 0;
    m_firstWritten = 0;
    m_unsent = 0;
    m_partial = QByteArray();
    m_message = QByteArray();
    // Queued: never in the middle of a read or a write, nor before whoever
    // takes a connection that died during its handshake has connected.
    if (notify)
        QMetaObject::invokeMethod(this, &SocketPipe::disconnected, Qt::QueuedConnection);
}

} // namespace natter::server
