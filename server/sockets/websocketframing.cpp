#include "websocketframing.h"

#include <QCryptographicHash>
#include <QString>

namespace natter::server::websocket {

QByteArray acceptKey(QByteArrayView clientKey)
{
    constexpr QByteArrayView guid{"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"}; // RFC 6455 1.3
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(clientKey);
    sha1.addData(guid);
    return sha1.result().toBase64();
}

FrameHeader serverFrameHeader(Opcode opcode, quint64 payloadSize)
{
    FrameHeader header;
    header.bytes[0] = char(0x80 | quint8(opcode)); // FIN: the server never fragments
    if (payloadSize <= 125) {
        header.bytes[1] = char(payloadSize);
        header.size = 2;
    } else if (payloadSize <= 0xFFFF) {
        header.bytes[1] = char(126);
        header.bytes[2] = char(payloadSize >> 8);
        header.bytes[3] = char(payloadSize);
        header.size = 4;
    } else {
        header.bytes[1] = char(127);
        for (int i = 0; i < 8; ++i)
            header.bytes[2 + i] = char(payloadSize >> (8 * (7 - i)));
        header.size = 10;
    }
    return header;
}

QByteArray closePayload(quint16 code, const QString &reason)
{
    if (code == QWebSocketProtocol::CloseCodeMissingStatusCode)
        return {};
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code));
    QByteArray text = reason.toUtf8();
    if (text.size() > maxControlPayload - 2) {
        qsizetype cut = maxControlPayload - 2;
        while (cut > 0 && (quint8(text[cut]) & 0xC0) == 0x80)
            --cut; // not inside a character
        text.truncate(cut);
    }
    return payload + text;
}

bool isValidWireCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

bool Utf8Validator::feed(QByteArrayView bytes)
{
    for (const char c : bytes) {
        const auto byte = quint8(c);
        if (m_pending > 0) {
            if (byte < m_low || byte > m_high)
                return false;
            --m_pending;
            m_low = 0x80;
            m_high = 0xBF;
            continue;
        }
        if (byte < 0x80)
            continue;
        if (byte >= 0xC2 && byte <= 0xDF) {
            m_pending = 1;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            m_pending = 2;
            if (byte == 0xE0)
                m_low = 0xA0; // overlong
            else if (byte == 0xED)
                m_high = 0x9F; // surrogates
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            m_pending = 3;
            if (byte == 0xF0)
                m_low = 0x90; // overlong
            else if (byte == 0xF4)
                m_high = 0x8F; // past U+10FFFF
        } else {
            return false; // a stray continuation byte, C0/C1 (overlong), F5..FF
        }
    }
    return true;
}

bool isValidUtf8(QByteArrayView bytes)
{
    Utf8Validator validator;
    return validator.feed(bytes) && validator.atCharacterBoundary();
}

} // namespace natter::server::websocket
