// SPDX-License-Identifier: MIT
#include "websocketframe.h"

#include <algorithm>
#include <utility>

namespace Reservo::WebSocketFrame {

QByteArray encodeServerFrame(Opcode opcode, QByteArrayView payload)
{
    const quint64 length = quint64(payload.size());
    const qsizetype header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    QByteArray frame(header + payload.size(), Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(frame.data());
    out[0] = uchar(0x80 | quint8(opcode)); // FIN, no extensions
    if (length < 126) {
        out[1] = uchar(length);
    } else if (length <= 0xFFFF) {
        out[1] = 126;
        out[2] = uchar(length >> 8);
        out[3] = uchar(length);
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = uchar(length >> (8 * (7 - i)));
    }
    if (!payload.isEmpty())
        memcpy(out + header, payload.data(), size_t(payload.size()));
    return frame;
}

QByteArray encodeCloseFrame(quint16 code, QByteArrayView reasonUtf8)
{
    constexpr qsizetype MaxReason = 125 - 2;
    qsizetype length = std::min(reasonUtf8.size(), MaxReason);
    // Never end inside a character: back off continuation bytes (10xxxxxx) and their lead byte.
    if (length < reasonUtf8.size()) {
        while (length > 0 && (uchar(reasonUtf8[length]) & 0xC0) == 0x80)
            --length;
    }
    QByteArray payload(2, Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xFF);
    payload.append(reasonUtf8.first(length));
    return encodeServerFrame(Opcode::Close, payload);
}

namespace {
bool isKnownOpcode(quint8 opcode)
{
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

// RFC 6455 §7.4: the codes a peer may send (1004-1006 and 1015 are reserved, 1016-2999 unassigned).
bool isValidReceivedCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}
} // namespace

Reader::Reader(qint64 maxMessageSize) : m_maxMessageSize(maxMessageSize) {}

void Reader::feed(QByteArrayView bytes, std::vector<Event> &events)
{
    if (m_finished || bytes.isEmpty())
        return;
    // Usually a read holds whole frames: parse them in place and keep only an incomplete tail. A
    // tail grows in place, so a frame trickling in byte by byte costs no copy per byte.
    const bool held = !m_partial.isEmpty();
    if (held)
        m_partial.append(bytes);
    QByteArrayView data = held ? QByteArrayView(m_partial) : bytes;
    qsizetype consumed = 0;
    while (consumed < data.size() && !m_finished) {
        const qsizetype used = parseFrame(data.sliced(consumed), events);
        if (used < 0)
            return; // fail() dropped what was held
        if (used == 0)
            break;
        consumed += used;
    }
    if (m_finished)
        m_partial = QByteArray();
    else if (held)
        m_partial.remove(0, consumed);
    else
        m_partial = data.sliced(consumed).toByteArray();
    if (m_partial.isEmpty())
        m_partial = QByteArray(); // an idle connection holds no buffer
}

qsizetype Reader::parseFrame(QByteArrayView data, std::vector<Event> &events)
{
    if (data.size() < 2)
        return 0;
    const auto *in = reinterpret_cast<const uchar *>(data.data());
    const bool fin = in[0] & 0x80;
    const quint8 opcode = in[0] & 0x0F;
    if (in[0] & 0x70)
        return failed(CloseProtocolError, "reserved bits set (no extension was negotiated)",
                      events);
    if (!isKnownOpcode(opcode))
        return failed(CloseProtocolError, "unknown opcode", events);
    if (!(in[1] & 0x80))
        return failed(CloseProtocolError, "client frame not masked", events);
    const bool control = opcode >= 0x8;
    quint64 length = in[1] & 0x7F;
    qsizetype header = 2;
    if (control && (!fin || length > 125))
        return failed(CloseProtocolError, "fragmented or oversized control frame", events);
    if (length == 126) {
        if (data.size() < 4)
            return 0;
        length = quint64(in[2]) << 8 | in[3];
        header = 4;
    } else if (length == 127) {
        if (data.size() < 10)
            return 0;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = length << 8 | in[2 + i];
        if (length >> 63)
            return failed(CloseProtocolError, "frame length out of range", events);
        header = 10;
    }
    if (!control && length + quint64(m_message.size()) > quint64(m_maxMessageSize))
        return failed(CloseTooBig, "message larger than the maximum payload", events);
    if (quint64(data.size()) < quint64(header) + 4 + length)
        return 0;
    const uchar *mask = in + header;
    QByteArray payload(qsizetype(length), Qt::Uninitialized);
    const uchar *source = mask + 4;
    auto *target = reinterpret_cast<uchar *>(payload.data());
    for (qsizetype i = 0; i < qsizetype(length); ++i)
        target[i] = source[i] ^ mask[i & 3];
    if (control)
        handleControl(Opcode(opcode), std::move(payload), events);
    else
        handleData(Opcode(opcode), fin, std::move(payload), events);
    return m_finished && !events.empty() && events.back().kind == Event::Kind::Error
               ? -1
               : header + 4 + qsizetype(length);
}

void Reader::handleControl(Opcode opcode, QByteArray payload, std::vector<Event> &events)
{
    if (opcode == Opcode::Ping)
        return events.push_back({Event::Kind::Ping, std::move(payload), 0});
    if (opcode == Opcode::Pong)
        return events.push_back({Event::Kind::Pong, std::move(payload), 0});
    if (payload.isEmpty()) {
        m_finished = true;
        return events.push_back({Event::Kind::Close, {}, CloseNoStatus});
    }
    if (payload.size() == 1)
        return fail(CloseProtocolError, "close frame with a one-byte payload", events);
    const quint16 code = quint16(uchar(payload[0]) << 8 | uchar(payload[1]));
    if (!isValidReceivedCloseCode(code))
        return fail(CloseProtocolError, "invalid close code", events);
    QByteArray reason = payload.sliced(2);
    if (!QByteArrayView(reason).isValidUtf8())
        return fail(CloseInvalidPayload, "close reason is not UTF-8", events);
    m_finished = true;
    events.push_back({Event::Kind::Close, std::move(reason), code});
}

void Reader::handleData(Opcode opcode, bool fin, QByteArray payload, std::vector<Event> &events)
{
    const bool inMessage = m_messageOpcode != Opcode::Continuation;
    if (opcode == Opcode::Continuation && !inMessage)
        return fail(CloseProtocolError, "continuation frame without a message", events);
    if (opcode != Opcode::Continuation && inMessage)
        return fail(CloseProtocolError, "new message before the last one ended", events);
    if (opcode != Opcode::Continuation)
        m_messageOpcode = opcode;
    if (!fin) {
        m_message.append(payload);
        return;
    }
    QByteArray message = m_message.isEmpty() ? std::move(payload) : m_message.append(payload);
    m_message = QByteArray();
    const Opcode kind = std::exchange(m_messageOpcode, Opcode::Continuation);
    if (kind == Opcode::Text && !QByteArrayView(message).isValidUtf8())
        return fail(CloseInvalidPayload, "text message is not UTF-8", events);
    events.push_back(
        {kind == Opcode::Text ? Event::Kind::Text : Event::Kind::Binary, std::move(message), 0});
}

qsizetype Reader::failed(quint16 code, const char *what, std::vector<Event> &events)
{
    fail(code, what, events);
    return -1;
}

void Reader::fail(quint16 code, const char *what, std::vector<Event> &events)
{
    m_finished = true;
    m_partial.clear();
    m_message.clear();
    events.push_back({Event::Kind::Error, QByteArray(what), code});
}

} // namespace Reservo::WebSocketFrame
