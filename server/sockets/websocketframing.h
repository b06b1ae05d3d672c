#pragma once

// RFC 6455 framing, the parts that need no socket: the opening handshake's
// accept key, server frame headers, close payloads and codes, and UTF-8
// validation that can be fed a text message piece by piece.

#include <QByteArray>
#include <QByteArrayView>
#include <QWebSocketProtocol>
#include <array>

namespace natter::server::websocket {

enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

inline bool isControl(quint8 opcode) { return (opcode & 0x8) != 0; }
inline bool isKnownOpcode(quint8 opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }

// Control frames carry at most this much (RFC 6455 5.5).
constexpr qsizetype maxControlPayload = 125;
// The longest frame header a client may send: 2 + 8 (length) + 4 (mask).
constexpr qsizetype maxClientHeader = 14;

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
QByteArray acceptKey(QByteArrayView clientKey);

// The header of an unmasked, final (server) frame of `payloadSize` bytes.
struct FrameHeader
{
    std::array<char, 10> bytes{};
    quint8 size = 0;
};
FrameHeader serverFrameHeader(Opcode opcode, quint64 payloadSize);

// A close frame's payload: the code, then the reason cut to fit 125 bytes
// (at a character boundary). `code` CloseCodeMissingStatusCode: empty.
QByteArray closePayload(quint16 code, const QString &reason);
// Whether a peer may send `code` in a close frame (1005, 1006, 1015 and the
// unassigned ranges may not).
bool isValidWireCloseCode(quint16 code);

// UTF-8 validation, fed in pieces (a text message split across frames, or a
// frame split across reads): rejects overlong forms, surrogates and code
// points past U+10FFFF as soon as the offending byte arrives.
class Utf8Validator
{
public:
    // False from the first invalid byte on.
    bool feed(QByteArrayView bytes);
    // No character is cut in half: a message may end here.
    bool atCharacterBoundary() const { return m_pending == 0; }
    void reset() { *this = {}; }

private:
    quint8 m_pending = 0; // continuation bytes still expected
    quint8 m_low = 0x80;  // the range the next continuation byte must fall in
    quint8 m_high = 0xBF;
};

// For when validating a whole message at once.
bool isValidUtf8(QByteArrayView bytes);

} // namespace natter::server::websocket
