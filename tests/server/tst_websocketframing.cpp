// The server's own RFC 6455 transport, byte by byte: a raw TCP client sends
// hand-made frames (masked or not, fragmented, broken on purpose) and reads
// the server's frames back. The dialect suites check the same transport
// through QtWebSockets clients (interop); this one checks the strictness.
// With NATTER_TEST_TLS=1 (CTest tst_websocketframing_tls) every case runs on
// a TLS port, where the same transport serves through a TlsBridge.

#include "servertestmain.h"
#include "testpki.h"
#include "testserver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <optional>

using natter::test::Account;
using natter::test::TestServer;
using namespace Qt::StringLiterals;

namespace {

constexpr quint8 opContinuation = 0x0;
constexpr quint8 opText = 0x1;
constexpr quint8 opBinary = 0x2;
constexpr quint8 opClose = 0x8;
constexpr quint8 opPing = 0x9;
constexpr quint8 opPong = 0xA;

constexpr qsizetype maxFrameBytes = 64 * 1024; // ServerConfig::maxFrameBytes

const QByteArray heartbeat = R"({"o":1,"d":null})";

// The PKI of the TLS run; null on the plain run.
natter::test::TestPki *tlsPki()
{
    static std::unique_ptr<natter::test::TestPki> pki =
        qEnvironmentVariableIsSet("NATTER_TEST_TLS") ? std::make_unique<natter::test::TestPki>() : nullptr;
    return pki.get();
}

// A QWebSocket client that trusts the TLS run's CA.
void trustTestCa(QWebSocket &client)
{
    if (!tlsPki())
        return;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.addCaCertificates(tlsPki()->caCertificates());
    client.setSslConfiguration(tls);
}

struct Frame
{
    bool final = false;
    quint8 opcode = 0;
    bool masked = false;
    QByteArray payload;

    quint16 closeCode() const
    {
        return payload.size() >= 2 ? quint16(quint8(payload[0]) << 8 | quint8(payload[1])) : 0;
    }
    QByteArray closeReason() const { return payload.mid(2); }
    QJsonObject json() const { return QJsonDocument::fromJson(payload).object(); }
};

// A client frame as a test wants it: masked unless told otherwise.
QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool final = true, bool masked = true,
                       quint8 rsv = 0)
{
    QByteArray frame;
    frame.append(char((final ? 0x80 : 0) | (rsv << 4) | opcode));
    const char maskBit = masked ? char(0x80) : 0;
    if (payload.size() <= 125) {
        frame.append(char(maskBit | char(payload.size())));
    } else if (payload.size() <= 0xFFFF) {
        frame.append(char(maskBit | 126)).append(char(payload.size() >> 8)).append(char(payload.size()));
    } else {
        frame.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char(quint64(payload.size()) >> (8 * i)));
    }
    if (!masked)
        return frame + payload;
    const char mask[4] = {0x37, char(0xFA), 0x21, 0x3D};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

QByteArray closeBody(quint16 code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code) + reason;
}

// A TCP client that speaks WebSocket by hand. Waits run the event loop (the
// server may be on this thread); they never sleep.
class RawClient
{
public:
    bool connectTo(const QUrl &server)
    {
        if (server.scheme() == u"https") {
            // The server may run on this thread: wait by spinning the loop.
            m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
            m_socket.connectToHostEncrypted(server.host(), quint16(server.port()));
            return QTest::qWaitFor([this] { return m_socket.isEncrypted(); }, 5000);
        }
        m_socket.connectToHost(server.host(), quint16(server.port()));
        return m_socket.waitForConnected(5000) || m_socket.state() == QAbstractSocket::ConnectedState;
    }

    void write(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

    static QByteArray upgradeHead(const QString &target, const QList<QByteArray> &extraHeaders = {})
    {
        QByteArray head = "GET " + target.toUtf8()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        for (const QByteArray &header : extraHeaders)
            head += header + "\r\n";
        return head + "\r\n";
    }

    // The next response head (status line and headers, without the blank line).
    std::optional<QByteArray> readHead()
    {
        if (!waitUntil([this] { return m_in.contains("\r\n\r\n"); }))
            return std::nullopt;
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        const QByteArray head = m_in.left(end);
        m_in.remove(0, end + 4);
        return head;
    }

    // A whole HTTP response with a Content-Length body.
    std::optional<QByteArray> readResponse()
    {
        std::optional<QByteArray> head = readHead();
        if (!head)
            return std::nullopt;
        const qsizetype length = header(*head, "Content-Length").toLongLong();
        if (!waitUntil([this, length] { return m_in.size() >= length; }))
            return std::nullopt;
        m_in.remove(0, length);
        return head;
    }

    std::optional<Frame> readFrame()
    {
        std::optional<Frame> frame;
        waitUntil([this, &frame] {
            frame = parseFrame();
            return frame.has_value();
        });
        return frame;
    }

    // The server closed the connection (after anything it sent, which is kept).
    bool waitForDisconnect()
    {
        return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; });
    }

    QSslSocket &socket() { return m_socket; }

    static QByteArray header(const QByteArray &head, QByteArrayView name)
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.sliced(colon + 1).trimmed();
        }
        return {};
    }

private:
    template<typename Condition>
    bool waitUntil(Condition condition)
    {
        return QTest::qWaitFor([&] {
            m_in += m_socket.readAll();
            return condition();
        }, 5000);
    }

    std::optional<Frame> parseFrame()
    {
        if (m_in.size() < 2)
            return std::nullopt;
        Frame frame;
        const auto *bytes = reinterpret_cast<const quint8 *>(m_in.constData());
        frame.final = bytes[0] & 0x80;
        frame.opcode = bytes[0] & 0x0F;
        frame.masked = bytes[1] & 0x80;
        qsizetype length = bytes[1] & 0x7F;
        qsizetype at = 2;
        if (length == 126) {
            if (m_in.size() < 4)
                return std::nullopt;
            length = qsizetype(bytes[2]) << 8 | bytes[3];
            at = 4;
        } else if (length == 127) {
            if (m_in.size() < 10)
                return std::nullopt;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = length << 8 | bytes[2 + i];
            at = 10;
        }
        if (m_in.size() < at + length)
            return std::nullopt;
        frame.payload = m_in.mid(at, length);
        m_in.remove(0, at + length);
        return frame;
    }

    QSslSocket m_socket; // plain until connected encrypted
    QByteArray m_in;
};

} // namespace

class TestWebSocketFraming : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    // A gateway connection past its HELLO: the door needs no credentials to open.
    bool openGateway(RawClient &client)
    {
        if (!client.connectTo(m_server->url(u"/"_s)))
            return false;
        client.write(RawClient::upgradeHead(u"/gateway"_s));
        const std::optional<QByteArray> head = client.readHead();
        if (!head || !head->startsWith("HTTP/1.1 101"))
            return false;
        const std::optional<Frame> hello = client.readFrame();
        return hello && hello->opcode == opText && hello->json().value(u"o"_s).toInt() == 10;
    }

    // The server's next frame is a close with `code`, then it closes the connection.
    void expectClose(RawClient &client, quint16 code)
    {
        const std::optional<Frame> frame = client.readFrame();
        QVERIFY(frame);
        QCOMPARE(frame->opcode, opClose);
        QCOMPARE(frame->closeCode(), code);
        QVERIFY(client.waitForDisconnect());
    }

    // A close the session chose (a dialect's code): the server waits for the
    // client's answer, then closes the connection.
    void expectSessionClose(RawClient &client, quint16 code)
    {
        const std::optional<Frame> frame = client.readFrame();
        QVERIFY(frame);
        QCOMPARE(frame->opcode, opClose);
        QCOMPARE(frame->closeCode(), code);
        client.write(clientFrame(opClose, closeBody(code)));
        QVERIFY(client.waitForDisconnect());
    }

    void expectHeartbeatAck(RawClient &client)
    {
        const std::optional<Frame> ack = client.readFrame();
        QVERIFY(ack);
        QCOMPARE(ack->opcode, opText);
        QVERIFY(ack->final);
        QVERIFY(!ack->masked);
        QCOMPARE(ack->json().value(u"o"_s).toInt(), 11);
    }

    // A direct room between two new users; its id.
    qint64 roomOf(const Account &owner, const Account &other)
    {
        const auto room = m_server->post(u"/api/v1.0/chat/rooms/"_s, QJsonObject{{u"participant"_s, other.id}},
                                         owner.token);
        return room.status == 201 ? room.json.value(u"id"_s).toInteger() : 0;
    }

    // A server with `config`, on TLS in the TLS run.
    bool startWith(natter::server::ServerConfig config)
    {
        if (tlsPki()) {
            if (!tlsPki()->isValid())
                return false;
            config.tlsCertificateFile = tlsPki()->server().certificate;
            config.tlsKeyFile = tlsPki()->server().key;
        }
        m_server = std::make_unique<TestServer>(config);
        if (tlsPki())
            m_server->setCaCertificates(tlsPki()->caCertificates());
        return m_server->start();
    }

private slots:
    void init() { QVERIFY(startWith(TestServer::defaultConfig())); }

    void cleanup() { m_server.reset(); }

    void handshakeAnswersTheAcceptKeyWithoutASubprotocolWhenNoneIsAsked()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write(RawClient::upgradeHead(u"/gateway"_s));
        const std::optional<QByteArray> head = client.readHead();
        QVERIFY(head);
        QVERIFY2(head->startsWith("HTTP/1.1 101"), head->constData());
        QCOMPARE(RawClient::header(*head, "Sec-WebSocket-Accept"), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(RawClient::header(*head, "Upgrade").toLower(), QByteArray("websocket"));
        QVERIFY(RawClient::header(*head, "Sec-WebSocket-Protocol").isEmpty());
        // Server frames: final, unmasked.
        const std::optional<Frame> hello = client.readFrame();
        QVERIFY(hello);
        QVERIFY(hello->final);
        QVERIFY(!hello->masked);
        QCOMPARE(hello->json().value(u"o"_s).toInt(), 10);
    }

    void handshakeSelectsTheDoorsSubprotocolWhenAsked()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write(RawClient::upgradeHead(u"/cable"_s, {"Sec-WebSocket-Protocol: something-else, actioncable-v1-json"}));
        const std::optional<QByteArray> head = client.readHead();
        QVERIFY(head);
        QVERIFY2(head->startsWith("HTTP/1.1 101"), head->constData());
        QCOMPARE(RawClient::header(*head, "Sec-WebSocket-Protocol"), QByteArray("actioncable-v1-json"));

        // Asked for one the door does not speak: none is chosen.
        RawClient other;
        QVERIFY(other.connectTo(m_server->url(u"/"_s)));
        other.write(RawClient::upgradeHead(u"/gateway"_s, {"Sec-WebSocket-Protocol: actioncable-v1-json"}));
        const std::optional<QByteArray> otherHead = other.readHead();
        QVERIFY(otherHead);
        QVERIFY(otherHead->startsWith("HTTP/1.1 101"));
        QVERIFY(RawClient::header(*otherHead, "Sec-WebSocket-Protocol").isEmpty());
    }

    void headSplitOverSeveralSegments()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.socket().setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QByteArray head = RawClient::upgradeHead(u"/gateway"_s);
        // Each piece reaches the server (same process) before the next is written.
        for (qsizetype at = 0; at < head.size(); at += 17) {
            client.write(head.mid(at, 17));
            QCoreApplication::processEvents();
        }
        const std::optional<QByteArray> answer = client.readHead();
        QVERIFY(answer);
        QVERIFY2(answer->startsWith("HTTP/1.1 101"), answer->constData());
        QVERIFY(client.readFrame()); // HELLO
        client.write(clientFrame(opText, heartbeat));
        expectHeartbeatAck(client);
    }

    void aFrameRightBehindTheHeadIsServed()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write(RawClient::upgradeHead(u"/gateway"_s) + clientFrame(opText, heartbeat));
        const std::optional<QByteArray> head = client.readHead();
        QVERIFY(head && head->startsWith("HTTP/1.1 101"));
        QVERIFY(client.readFrame()); // HELLO
        expectHeartbeatAck(client);
    }

    void maskedTextInOneFrame()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opText, heartbeat));
        expectHeartbeatAck(client);
    }

    void fragmentedTextWithAPingBetweenTheFragments()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opText, heartbeat.left(5), false));
        client.write(clientFrame(opPing, "mid-message"));
        client.write(clientFrame(opContinuation, heartbeat.mid(5, 5), false));
        client.write(clientFrame(opContinuation, heartbeat.mid(10), true));
        const std::optional<Frame> pong = client.readFrame();
        QVERIFY(pong);
        QCOMPARE(pong->opcode, opPong);
        QCOMPARE(pong->payload, QByteArray("mid-message"));
        expectHeartbeatAck(client);
    }

    void aFrameSplitAcrossWritesIsServed()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        client.socket().setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QByteArray frame = clientFrame(opText, heartbeat);
        for (qsizetype at = 0; at < frame.size(); at += 3) {
            client.write(frame.mid(at, 3));
            QCoreApplication::processEvents();
        }
        expectHeartbeatAck(client);
    }

    void pingGetsAPongWithTheSamePayload()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        const QByteArray payload(125, 'p');
        client.write(clientFrame(opPing, payload));
        const std::optional<Frame> pong = client.readFrame();
        QVERIFY(pong);
        QCOMPARE(pong->opcode, opPong);
        QCOMPARE(pong->payload, payload);
    }

    void largestMessageIsServedAndOneByteMoreIs1009()
    {
        // At the limit: a text message the gateway cannot decode, so it answers 4002.
        RawClient atLimit;
        QVERIFY(openGateway(atLimit));
        atLimit.write(clientFrame(opText, QByteArray(maxFrameBytes, 'x')));
        expectSessionClose(atLimit, 4002);

        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opText, QByteArray(maxFrameBytes + 1, 'x')));
        expectClose(client, 1009);
    }

    void fragmentedMessageOverTheLimitIs1009()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opText, QByteArray(maxFrameBytes / 2, 'x'), false));
        client.write(clientFrame(opContinuation, QByteArray(maxFrameBytes / 2, 'x'), false));
        client.write(clientFrame(opContinuation, "x", true));
        expectClose(client, 1009);
    }

    void protocolErrorsAre1002_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("unmasked") << clientFrame(opText, heartbeat, true, false);
        QTest::newRow("reserved data opcode") << clientFrame(0x3, "x");
        QTest::newRow("reserved control opcode") << clientFrame(0xB, "x");
        QTest::newRow("RSV1") << clientFrame(opText, heartbeat, true, true, 0x4);
        QTest::newRow("RSV3") << clientFrame(opText, heartbeat, true, true, 0x1);
        QTest::newRow("ping over 125 bytes") << clientFrame(opPing, QByteArray(126, 'p'));
        QTest::newRow("fragmented ping") << clientFrame(opPing, "p", false);
        QTest::newRow("continuation without a start") << clientFrame(opContinuation, heartbeat);
        QTest::newRow("new message inside a fragmented one")
            << clientFrame(opText, "{", false) + clientFrame(opText, heartbeat);
        QTest::newRow("close code 1005") << clientFrame(opClose, closeBody(1005));
        QTest::newRow("close code 999") << clientFrame(opClose, closeBody(999));
        QTest::newRow("close code 1004") << clientFrame(opClose, closeBody(1004));
        QTest::newRow("close code 5000") << clientFrame(opClose, closeBody(5000));
        QTest::newRow("close payload of one byte") << clientFrame(opClose, "x");
    }

    void protocolErrorsAre1002()
    {
        QFETCH(QByteArray, bytes);
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(bytes);
        expectClose(client, 1002);
    }

    void invalidUtf8Is1007_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("whole message") << clientFrame(opText, "{\"o\":1,\"d\":\"\xC3\x28\"}");
        QTest::newRow("overlong") << clientFrame(opText, "\xC0\xAF");
        QTest::newRow("surrogate") << clientFrame(opText, "\xED\xA0\x80");
        QTest::newRow("past U+10FFFF") << clientFrame(opText, "\xF4\x90\x80\x80");
        QTest::newRow("split across fragments")
            << clientFrame(opText, "{\"o\":1,\"d\":\"\xE2\x82", false) + clientFrame(opContinuation, "(\"}");
        QTest::newRow("cut off at the end") << clientFrame(opText, "ab\xE2\x82", false)
                                                   + clientFrame(opContinuation, "", true);
        // Found in the first fragment: no need to wait for the rest.
        QTest::newRow("first fragment") << clientFrame(opText, "\xFF", false);
        QTest::newRow("close reason") << clientFrame(opClose, closeBody(1000, "\xC3\x28"));
    }

    void invalidUtf8Is1007()
    {
        QFETCH(QByteArray, bytes);
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(bytes);
        expectClose(client, 1007);
    }

    void validUtf8SplitInsideACharacterIsServed()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        const QByteArray text = "{\"o\":1,\"d\":\"\xE2\x82\xAC\xF0\x9F\x98\x80\"}"; // €😀
        client.write(clientFrame(opText, text.left(13), false));
        client.write(clientFrame(opContinuation, text.mid(13, 4), false));
        client.write(clientFrame(opContinuation, text.mid(17), true));
        expectHeartbeatAck(client);
    }

    void binaryFramesReachTheSession()
    {
        // The gateway cannot decode binary payloads: it closes with 4002.
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opBinary, "\x01\x02\x03"));
        expectSessionClose(client, 4002);
    }

    void closeHandshakeEchoesTheCode()
    {
        RawClient client;
        QVERIFY(openGateway(client));
        client.write(clientFrame(opClose, closeBody(1000, "bye")));
        const std::optional<Frame> echo = client.readFrame();
        QVERIFY(echo);
        QCOMPARE(echo->opcode, opClose);
        QCOMPARE(echo->closeCode(), quint16(1000));
        QVERIFY(client.waitForDisconnect());
    }

    void serverInitiatedCloseIsAnsweredByAQtClient()
    {
        // Interop: a QWebSocket sees the dialect's close code and reason.
        QWebSocket client;
        trustTestCa(client);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.open(m_server->wsUrl(u"/gateway"_s));
        QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);
        client.sendTextMessage(u"not json"_s);
        QVERIFY(disconnected.wait());
        QCOMPARE(int(client.closeCode()), 4002);
    }

    void aClientClosingMidFrameEndsItsSession()
    {
        const Account alice = m_server->registerUser(u"alice"_s);
        const Account bob = m_server->registerUser(u"bob"_s);
        const qint64 roomId = roomOf(alice, bob);
        QVERIFY(roomId > 0);
        QSignalSpy sessions(&m_server->server(), &natter::server::ChatServer::sessionCountChanged);
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write(RawClient::upgradeHead(u"/ws/chat/%1/?token=%2"_s.arg(roomId).arg(alice.token)));
        const std::optional<QByteArray> head = client.readHead();
        QVERIFY(head && head->startsWith("HTTP/1.1 101"));
        QTRY_VERIFY(!sessions.isEmpty() && sessions.last().first().toInt() == 1);

        const QByteArray frame = clientFrame(opText, QByteArray(1000, 'x'));
        client.write(frame.left(300));
        client.socket().abort();
        QTRY_COMPARE(sessions.last().first().toInt(), 0);
    }

    void plainHttpOnTheSamePortIsQHttpServers()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write("GET /gateway HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const std::optional<QByteArray> response = client.readResponse();
        QVERIFY(response);
        QVERIFY2(response->startsWith("HTTP/1.1 426"), response->constData());

        // A WebSocket asked for after a request on the kept-alive connection:
        // QHttpServer's handshake (QWebSocket behind the same interface).
        client.write(RawClient::upgradeHead(u"/gateway"_s));
        const std::optional<QByteArray> head = client.readHead();
        QVERIFY(head);
        QVERIFY2(head->startsWith("HTTP/1.1 101"), head->constData());
        const std::optional<Frame> hello = client.readFrame();
        QVERIFY(hello);
        QCOMPARE(hello->json().value(u"o"_s).toInt(), 10);
        client.write(clientFrame(opText, heartbeat));
        expectHeartbeatAck(client);
    }

    void anUpgradeTheDoorRefusesIsAnsweredBeforeIt()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.write(RawClient::upgradeHead(u"/ws/chat/1/?token=nonsense"_s));
        const std::optional<QByteArray> response = client.readResponse();
        QVERIFY(response);
        QVERIFY2(response->startsWith("HTTP/1.1 401"), response->constData());
    }

    void aClientThatPingsAndNeverReadsIsClosedWith1008()
    {
        auto config = TestServer::defaultConfig();
        config.maxSendBuffer = 16 * 1024;
        QVERIFY(startWith(config));
        const Account alice = m_server->registerUser(u"alice"_s);
        const Account bob = m_server->registerUser(u"bob"_s);
        const qint64 roomId = roomOf(alice, bob);
        QVERIFY(roomId > 0);
        QSignalSpy sessions(&m_server->server(), &natter::server::ChatServer::sessionCountChanged);
        RawClient client;
        client.socket().setReadBufferSize(4096);
        client.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        QVERIFY(client.connectTo(m_server->url(u"/"_s)));
        client.socket().write(RawClient::upgradeHead(u"/ws/chat/%1/?token=%2"_s.arg(roomId).arg(alice.token)));
        QTRY_VERIFY(!sessions.isEmpty() && sessions.last().first().toInt() == 1);

        // Pongs pile up in the kernel's buffers, then in the server's queue: bounded.
        const QByteArray ping = clientFrame(opPing, QByteArray(125, 'p'));
        for (int batch = 0; sessions.last().first().toInt() == 1 && batch < 400; ++batch) {
            client.socket().write(ping.repeated(500));
            QTRY_COMPARE(client.socket().bytesToWrite(), 0);
        }
        QCOMPARE(sessions.last().first().toInt(), 0);

        client.socket().setReadBufferSize(0);
        QVERIFY(client.readHead());
        std::optional<Frame> frame;
        do {
            frame = client.readFrame();
            QVERIFY(frame);
        } while (frame->opcode == opPong || frame->opcode == opText);
        QCOMPARE(frame->opcode, opClose);
        QCOMPARE(frame->closeCode(), quint16(1008));
    }

    void aSlowConsumerIsClosedWith1008()
    {
        auto config = TestServer::defaultConfig();
        config.maxSendBuffer = 64 * 1024;
        QVERIFY(startWith(config));
        const Account alice = m_server->registerUser(u"alice"_s);
        const Account bob = m_server->registerUser(u"bob"_s);
        const qint64 roomId = roomOf(alice, bob);
        QVERIFY(roomId > 0);
        QSignalSpy sessions(&m_server->server(), &natter::server::ChatServer::sessionCountChanged);

        // Bob: upgraded, then reads nothing (small buffers on his side).
        RawClient bobClient;
        bobClient.socket().setReadBufferSize(4096);
        bobClient.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 4096);
        QVERIFY(bobClient.connectTo(m_server->url(u"/"_s)));
        bobClient.socket().write(RawClient::upgradeHead(u"/ws/chat/%1/?token=%2"_s.arg(roomId).arg(bob.token)));
        QTRY_VERIFY(!sessions.isEmpty() && sessions.last().first().toInt() == 1);

        QWebSocket aliceSocket;
        trustTestCa(aliceSocket);
        int echoes = 0;
        connect(&aliceSocket, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
            if (QJsonDocument::fromJson(text.toUtf8()).object().value(u"type"_s).toString() == u"message")
                ++echoes;
        });
        aliceSocket.open(m_server->wsUrl(u"/ws/chat/%1/?token=%2"_s.arg(roomId).arg(alice.token)));
        QTRY_COMPARE(aliceSocket.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(sessions.last().first().toInt(), 2);

        // Until the server gives up on Bob (his session leaves the hub).
        const QString body(900, u'x');
        for (int sent = 0; sessions.last().first().toInt() == 2 && sent < 20'000;) {
            for (int i = 0; i < 100; ++i, ++sent) {
                const QJsonObject frame{{u"type"_s, u"message"_s}, {u"content"_s, body}};
                aliceSocket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
            }
            const int target = sent;
            QTRY_COMPARE_WITH_TIMEOUT(echoes, target, 20000);
        }
        QCOMPARE(sessions.last().first().toInt(), 1);

        // Bob reads now: what was queued, then the close frame.
        bobClient.socket().setReadBufferSize(0);
        const std::optional<QByteArray> head = bobClient.readHead();
        QVERIFY(head && head->startsWith("HTTP/1.1 101"));
        std::optional<Frame> frame;
        do {
            frame = bobClient.readFrame();
            QVERIFY(frame);
        } while (frame->opcode == opText);
        QCOMPARE(frame->opcode, opClose);
        QCOMPARE(frame->closeCode(), quint16(1008));
        QCOMPARE(frame->closeReason(), QByteArray("too slow"));
    }
};

NATTER_SERVER_TEST_MAIN(TestWebSocketFraming)
#include "tst_websocketframing.moc"
