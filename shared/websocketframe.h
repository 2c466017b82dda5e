// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <vector>

namespace Reservo::WebSocketFrame {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes of RFC 6455 §7.4.1 that this side sends.
enum CloseCode : quint16 {
    CloseNormal = 1000,
    CloseGoingAway = 1001,
    CloseProtocolError = 1002,
    CloseNoStatus = 1005, // never on the wire: "the peer gave no code"
    CloseInvalidPayload = 1007,
    ClosePolicyViolated = 1008,
    CloseTooBig = 1009,
};

// One complete, unfragmented, unmasked frame (RFC 6455 §5.2) as a server sends it: encoded once
// and written as is to every client of a room.
QByteArray encodeServerFrame(Opcode opcode, QByteArrayView payload);

// A server's close frame: the code, then as much of the UTF-8 reason as fits a control frame
// (125 bytes in all), cut at a character boundary.
QByteArray encodeCloseFrame(quint16 code, QByteArrayView reasonUtf8);

// Reads what a client sends, as it arrives (RFC 6455 §5): masked frames, messages fragmented over
// several frames, control frames between fragments. Holds only an incomplete frame's bytes and a
// fragmented message's parts; nothing when the peer is idle.
class Reader
{
public:
    struct Event
    {
        enum class Kind : quint8 { Text, Binary, Ping, Pong, Close, Error };
        Kind kind = Kind::Error;
        // Text/Binary: the whole message, unmasked; Ping/Pong: the payload; Close: the reason
        // (UTF-8); Error: what was wrong, for the log.
        QByteArray payload;
        // Close: the peer's code (CloseNoStatus if it gave none); Error: the code to close with
        // (CloseProtocolError, CloseInvalidPayload or CloseTooBig).
        quint16 closeCode = 0;
    };

    // A message (all its fragments together) longer than maxMessageSize is an Error (CloseTooBig),
    // found as soon as a frame header announces it: such a frame is never buffered.
    explicit Reader(qint64 maxMessageSize);

    // Appends to `events` every event completed by `bytes`, in order. After a Close or an Error
    // the reader is finished: the rest of the input, now and later, is ignored.
    void feed(QByteArrayView bytes, std::vector<Event> &events);
    bool isFinished() const { return m_finished; }
    // Bytes held for an incomplete frame or message.
    qsizetype bufferedBytes() const { return m_partial.size() + m_message.size(); }

private:
    // Parses one frame at the start of data: its size, 0 if incomplete, -1 after an error.
    qsizetype parseFrame(QByteArrayView data, std::vector<Event> &events);
    void handleControl(Opcode opcode, QByteArray payload, std::vector<Event> &events);
    void handleData(Opcode opcode, bool fin, QByteArray payload, std::vector<Event> &events);
    void fail(quint16 code, const char *what, std::vector<Event> &events);
    qsizetype failed(quint16 code, const char *what, std::vector<Event> &events); // fail(), -1

    qint64 m_maxMessageSize;
    QByteArray m_partial;                          // an incomplete frame's bytes
    QByteArray m_message;                          // a fragmented message's parts so far
    Opcode m_messageOpcode = Opcode::Continuation; // Continuation: no message in progress
    bool m_finished = false;
};

} // namespace Reservo::WebSocketFrame
