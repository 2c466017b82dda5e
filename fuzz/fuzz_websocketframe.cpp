// SPDX-License-Identifier: MIT
// WebSocket frames as a client sends them. The Reader must give the same events however the bytes
// are split, hold at most a message and a frame for an incomplete frame, deliver only valid UTF-8
// text and valid close codes, and read each event it gave back the same once re-encoded as client
// frames. encodeCloseFrame must cut a reason only where a whole character would not fit.
#include "fuzzcheck.h"
#include "websocketframe.h"

#include <algorithm>
#include <vector>

using namespace Reservo::WebSocketFrame;
using Reservo::Fuzz::quoted;
using Event = Reader::Event;
using Kind = Event::Kind;

namespace {

// Small, so that inputs of a few hundred bytes reach it both ways, with all their length forms.
constexpr qint64 MaxMessage = 200;

// RFC 3629, written out again so that the reader's check is not its own judge.
bool isValidUtf8(QByteArrayView bytes)
{
    for (qsizetype i = 0; i < bytes.size();) {
        const uchar lead = uchar(bytes[i]);
        const int more = lead < 0x80                    ? 0
                         : lead >= 0xC2 && lead <= 0xF4 ? 1 + (lead >= 0xE0) + (lead >= 0xF0)
                                                        : -1;
        if (more < 0 || i + more >= bytes.size() + (more == 0))
            return false;
        uint cp = lead & (0x7F >> more);
        for (int k = 1; k <= more; ++k) {
            if ((uchar(bytes[i + k]) & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (uchar(bytes[i + k]) & 0x3F);
        }
        const uint shortest[] = {0, 0x80, 0x800, 0x10000};
        if (cp < shortest[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += 1 + more;
    }
    return true;
}

bool isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

QByteArray describe(const std::vector<Event> &events)
{
    static const char *const kinds[] = {"Text", "Binary", "Ping", "Pong", "Close", "Error"};
    QByteArray out;
    for (const Event &event : events)
        out += QByteArray(kinds[int(event.kind)]) + ' ' + QByteArray::number(event.closeCode) +
               ' ' + quoted(event.payload) + "; ";
    return out;
}

// An Error's payload is only for the log: its code is what matters.
bool sameEvents(const std::vector<Event> &a, const std::vector<Event> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Event &x, const Event &y) {
        return x.kind == y.kind && x.closeCode == y.closeCode &&
               (x.kind == Kind::Error || x.payload == y.payload);
    });
}

QByteArray clientFrame(quint8 head, QByteArrayView payload, QByteArrayView mask)
{
    const quint64 length = quint64(payload.size());
    QByteArray frame(1, char(head));
    if (length < 126) {
        frame += char(0x80 | length);
    } else {
        frame += char(0x80 | (length <= 0xFFFF ? 126 : 127));
        for (int shift = length <= 0xFFFF ? 8 : 56; shift >= 0; shift -= 8)
            frame += char(length >> shift);
    }
    frame += mask;
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame += char(payload[i] ^ mask[i % 4]);
    return frame;
}

// Whether `fed` ends inside a control frame, which the reader holds (up to 6 + 125 bytes) on top
// of a fragmented message's parts. Only for a reader not finished: every whole frame was valid.
bool endsInsideControlFrame(QByteArrayView fed)
{
    const auto *in = reinterpret_cast<const uchar *>(fed.data());
    qsizetype at = 0;
    while (fed.size() - at >= 2) {
        const quint8 code = in[at + 1] & 0x7F;
        const qsizetype header = code < 126 ? 6 : code == 126 ? 8 : 14;
        if (fed.size() - at < header)
            break;
        quint64 length = code < 126 ? code : 0;
        for (qsizetype i = 2; i < header - 4; ++i)
            length = length << 8 | in[at + i];
        if (quint64(fed.size() - at - header) < length)
            break;
        at += header + qsizetype(length);
    }
    return at < fed.size() && (in[at] & 0x08);
}

void checkEvents(const std::vector<Event> &events, bool finished, QByteArrayView bytes)
{
    for (size_t i = 0; i < events.size(); ++i) {
        const Event &e = events[i];
        const QByteArray where = describe({e}) + "from " + quoted(bytes);
        const bool last = e.kind == Kind::Close || e.kind == Kind::Error;
        FUZZ_CHECK(!last || i + 1 == events.size(), "event after the end: " + where);
        if (e.kind == Kind::Text || e.kind == Kind::Binary)
            FUZZ_CHECK(e.payload.size() <= MaxMessage, "message over the maximum: " + where);
        if (e.kind == Kind::Text || e.kind == Kind::Close)
            FUZZ_CHECK(isValidUtf8(e.payload), "not UTF-8: " + where);
        if (e.kind == Kind::Ping || e.kind == Kind::Pong || e.kind == Kind::Close)
            FUZZ_CHECK(e.payload.size() <= (e.kind == Kind::Close ? 123 : 125), "long: " + where);
        if (e.kind == Kind::Close)
            FUZZ_CHECK(isValidCloseCode(e.closeCode) ||
                           (e.closeCode == CloseNoStatus && e.payload.isEmpty()),
                       "close code: " + where);
        if (e.kind == Kind::Error)
            FUZZ_CHECK(e.closeCode == CloseProtocolError || e.closeCode == CloseInvalidPayload ||
                           e.closeCode == CloseTooBig,
                       "error code: " + where);
    }
    const bool ended =
        !events.empty() && (events.back().kind == Kind::Close || events.back().kind == Kind::Error);
    FUZZ_CHECK(finished == ended, "finished without a Close or an Error, or not after one: " +
                                      describe(events) + "from " + quoted(bytes));
}

// Feeds `bytes` in pieces of the given lengths, checking what the reader holds after each.
std::vector<Event> read(QByteArrayView bytes, const std::vector<qsizetype> &lengths)
{
    Reader reader(MaxMessage);
    std::vector<Event> events;
    qsizetype fed = 0;
    for (qsizetype length : lengths) {
        reader.feed(bytes.sliced(fed, length), events);
        fed += length;
        if (reader.isFinished())
            continue;
        // Walking the frames costs a pass over the input: only when the short bound is passed.
        const qsizetype held = reader.bufferedBytes();
        FUZZ_CHECK(held <= MaxMessage + 14 ||
                       (held <= MaxMessage + 130 && endsInsideControlFrame(bytes.first(fed))),
                   "holds " + QByteArray::number(held) + " bytes after " +
                       quoted(bytes.first(fed)));
    }
    checkEvents(events, reader.isFinished(), bytes);
    return events;
}

void checkReadBack(const std::vector<QByteArray> &frames, const std::vector<Event> &expected)
{
    Reader reader(MaxMessage);
    std::vector<Event> events;
    for (const QByteArray &frame : frames)
        reader.feed(frame, events);
    QByteArray sent;
    for (const QByteArray &frame : frames)
        sent += frame;
    FUZZ_CHECK(sameEvents(events, expected), "read back " + describe(events) + "instead of " +
                                                 describe(expected) + "from " + quoted(sent));
    const bool ends = expected.back().kind == Kind::Close;
    FUZZ_CHECK(reader.isFinished() == ends && (ends || reader.bufferedBytes() == 0),
               "wrong state after reading back " + quoted(sent));
}

// Every event, encoded again as a client would (messages also in two fragments around a ping).
void checkRoundTrip(const Event &e, QByteArrayView mask)
{
    switch (e.kind) {
    case Kind::Text:
    case Kind::Binary: {
        const quint8 opcode = e.kind == Kind::Text ? 0x1 : 0x2;
        checkReadBack({clientFrame(0x80 | opcode, e.payload, mask)}, {e});
        const qsizetype half = e.payload.size() / 2;
        const QByteArrayView whole(e.payload);
        const Event ping{Kind::Ping, e.payload.first(std::min<qsizetype>(half, 125)), 0};
        checkReadBack({clientFrame(opcode, whole.first(half), mask),
                       clientFrame(0x89, ping.payload, mask),
                       clientFrame(0x80, whole.sliced(half), mask)},
                      {ping, e});
        return;
    }
    case Kind::Ping:
    case Kind::Pong:
        return checkReadBack({clientFrame(e.kind == Kind::Ping ? 0x89 : 0x8A, e.payload, mask)},
                             {e});
    case Kind::Close: {
        const QByteArray payload = e.closeCode == CloseNoStatus
                                       ? QByteArray()
                                       : encodeCloseFrame(e.closeCode, e.payload).sliced(2);
        return checkReadBack({clientFrame(0x88, payload, mask)}, {e});
    }
    case Kind::Error:
        return;
    }
}

void checkCloseEncoding(quint16 code, QByteArrayView reason)
{
    const QByteArray frame = encodeCloseFrame(code, reason);
    FUZZ_CHECK(frame.size() >= 4 && frame.size() <= 127 && uchar(frame[0]) == 0x88 &&
                   uchar(frame[1]) == frame.size() - 2 && uchar(frame[2]) == code >> 8 &&
                   uchar(frame[3]) == (code & 0xFF),
               "close frame " + quoted(frame));
    const QByteArrayView sent = QByteArrayView(frame).sliced(4);
    FUZZ_CHECK(reason.startsWith(sent), "reason changed: " + quoted(frame));
    if (reason.size() <= 123)
        FUZZ_CHECK(sent.size() == reason.size(), "reason cut: " + quoted(frame));
    if (sent.size() == reason.size() || !isValidUtf8(reason))
        return;
    const uchar next = uchar(reason[sent.size()]);
    const int nextLength = next < 0x80 ? 1 : next < 0xE0 ? 2 : next < 0xF0 ? 3 : 4;
    FUZZ_CHECK(isValidUtf8(sent) && (next & 0xC0) != 0x80 && sent.size() + nextLength > 123,
               "reason not cut at the last whole character: " + quoted(frame));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Reservo::Fuzz::input(data, size);
    const std::vector<Event> whole = read(bytes, {bytes.size()});

    std::vector<qsizetype> oneByOne(size_t(bytes.size()), 1);
    std::vector<qsizetype> pieces; // 1 to 32 bytes each, their lengths read from the input
    for (qsizetype at = 0, k = 0; at < bytes.size(); ++k) {
        pieces.push_back(
            std::min<qsizetype>(1 + uchar(bytes[k % bytes.size()]) % 32, bytes.size() - at));
        at += pieces.back();
    }
    for (const std::vector<qsizetype> &lengths : {oneByOne, pieces}) {
        const std::vector<Event> split = read(bytes, lengths);
        FUZZ_CHECK(sameEvents(split, whole), "split gives " + describe(split) + "instead of " +
                                                 describe(whole) + "from " + quoted(bytes));
    }

    const QByteArray mask =
        bytes.first(std::min<qsizetype>(4, bytes.size())).toByteArray().leftJustified(4, '\x5a');
    for (const Event &event : whole) {
        checkRoundTrip(event, mask);
        if (event.kind == Kind::Text) // valid UTF-8, and often longer than a close reason
            checkCloseEncoding(CloseGoingAway, event.payload);
    }
    if (bytes.size() >= 2) // the input's first two bytes as a code, the rest as a reason
        checkCloseEncoding(quint16(uchar(bytes[0]) << 8 | uchar(bytes[1])), bytes.sliced(2));
    return 0;
}
