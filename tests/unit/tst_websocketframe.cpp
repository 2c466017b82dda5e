// SPDX-License-Identifier: MIT
#include "websocketframe.h"

#include <QTest>

#include <limits>

using namespace Reservo;
using WebSocketFrame::Opcode;
using WebSocketFrame::Reader;
using Kind = Reader::Event::Kind;

namespace {

const QByteArray RfcMask = QByteArray::fromHex("37fa213d"); // the key of RFC 6455 §5.7's examples
const QByteArray ZeroMask(4, '\0');                         // masks nothing: XOR with 0
const qint64 DefaultMax = 1000;

// The header of a client frame: `head` is its first byte (FIN, RSV1-3, opcode), then the mask bit
// and `length` in its shortest form, then the mask key.
QByteArray frameHeader(quint8 head, quint64 length, QByteArrayView mask = RfcMask)
{
    QByteArray header(1, char(head));
    if (length < 126) {
        header += char(0x80 | length);
    } else if (length <= 0xFFFF) {
        header += char(0x80 | 126);
        header += char(length >> 8);
        header += char(length);
    } else {
        header += char(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            header += char(length >> shift);
    }
    return header + mask.toByteArray();
}

// A whole client frame, its payload masked with `mask` (RFC 6455 §5.3).
QByteArray clientFrame(quint8 head, QByteArrayView payload, QByteArrayView mask = RfcMask)
{
    QByteArray frame = frameHeader(head, quint64(payload.size()), mask);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame += char(payload[i] ^ mask[i % 4]);
    return frame;
}

QByteArray closePayload(quint16 code, QByteArrayView reason = {})
{
    QByteArray payload(2, Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code);
    return payload + reason.toByteArray();
}

QString printable(QByteArrayView bytes)
{
    QString out = QStringLiteral("\"");
    for (char c : bytes) {
        if (c >= 32 && c < 127 && c != '"' && c != '\\')
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(uint(uchar(c)), 2, 16, QLatin1Char('0'));
    }
    return out + QLatin1Char('"');
}

// Events as one line each, so a table states them and a failure shows them.
QString textEvent(QByteArrayView payload)
{
    return "Text " + printable(payload);
}
QString binaryEvent(QByteArrayView payload)
{
    return "Binary " + printable(payload);
}
QString pingEvent(QByteArrayView payload)
{
    return "Ping " + printable(payload);
}
QString pongEvent(QByteArrayView payload)
{
    return "Pong " + printable(payload);
}
QString closeEvent(quint16 code, QByteArrayView reason = {})
{
    return QStringLiteral("Close %1 ").arg(code) + printable(reason);
}
QString errorEvent(quint16 code)
{
    return QStringLiteral("Error %1").arg(code);
}

QString describe(const Reader::Event &event)
{
    switch (event.kind) {
    case Kind::Text:
        return textEvent(event.payload);
    case Kind::Binary:
        return binaryEvent(event.payload);
    case Kind::Ping:
        return pingEvent(event.payload);
    case Kind::Pong:
        return pongEvent(event.payload);
    case Kind::Close:
        return closeEvent(event.closeCode, event.payload);
    case Kind::Error: // the reason is for the log: only its presence is checked
        return errorEvent(event.closeCode) + (event.payload.isEmpty() ? " without a reason" : "");
    }
    return QStringLiteral("unknown kind %1").arg(int(event.kind));
}

// Feeds `pieces` in turn to a fresh reader: the events, then the reader's state.
QStringList read(const QList<QByteArrayView> &pieces, qint64 maxMessageSize)
{
    Reader reader(maxMessageSize);
    std::vector<Reader::Event> events;
    for (QByteArrayView piece : pieces)
        reader.feed(piece, events);
    QStringList out;
    for (const Reader::Event &event : events)
        out << describe(event);
    if (reader.isFinished())
        out << QStringLiteral("finished");
    else if (reader.bufferedBytes() == 0)
        out << QStringLiteral("idle");
    else
        out << QStringLiteral("holding %1 bytes").arg(reader.bufferedBytes());
    return out;
}

void addReadColumns()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("maxMessageSize");
    QTest::addColumn<QStringList>("events");
}

void row(const char *name, const QByteArray &input, const QStringList &events,
         qint64 maxMessageSize = DefaultMax)
{
    QTest::newRow(name) << input << maxMessageSize << events;
}

// The row's input fed whole, one byte at a time and split in two at every position must give
// the same events; the reader ends finished after a Close or an Error, else holding nothing.
void checkReads()
{
    QFETCH(QByteArray, input);
    QFETCH(qint64, maxMessageSize);
    QFETCH(QStringList, events);

    const bool ends = !events.isEmpty() && (events.constLast().startsWith(QLatin1String("Close")) ||
                                            events.constLast().startsWith(QLatin1String("Error")));
    const QStringList expected = events + QStringList{ends ? "finished" : "idle"};
    QCOMPARE(read({input}, maxMessageSize), expected);

    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < input.size(); ++i)
        bytes << QByteArrayView(input).sliced(i, 1);
    QCOMPARE(read(bytes, maxMessageSize), expected);

    for (qsizetype at = 0; at <= input.size(); ++at) {
        const QByteArrayView whole(input);
        const QStringList split = read({whole.first(at), whole.sliced(at)}, maxMessageSize);
        QVERIFY2(split == expected,
                 qPrintable(QStringLiteral("split at %1: %2").arg(at).arg(split.join(", "))));
    }
}

QByteArray pattern(qsizetype length, char first = 'a')
{
    QByteArray bytes(length, Qt::Uninitialized);
    for (qsizetype i = 0; i < length; ++i)
        bytes[i] = char(first + i % 26);
    return bytes;
}

} // namespace

// Server frames: FIN set, no mask, the shortest length form RFC 6455 allows, payload verbatim.
// Client frames: read as they arrive, whatever the split, with every rule of RFC 6455 §5 checked.
class tst_WebSocketFrame : public QObject
{
    Q_OBJECT
private slots:
    void encodesHeaderAndPayload_data();
    void encodesHeaderAndPayload();
    void readsMessages_data();
    void readsMessages() { checkReads(); }
    void rejectsProtocolErrors_data();
    void rejectsProtocolErrors() { checkReads(); }
    void validatesUtf8_data();
    void validatesUtf8() { checkReads(); }
    void readsCloseFrames_data();
    void readsCloseFrames() { checkReads(); }
    void limitsMessageSize_data();
    void limitsMessageSize() { checkReads(); }
    void unmasksEveryLengthForm_data();
    void unmasksEveryLengthForm();
    void holdsOnlyIncompleteFrames_data();
    void holdsOnlyIncompleteFrames();
    void ignoresInputOnceFinished_data();
    void ignoresInputOnceFinished();
    void encodesCloseFrame_data();
    void encodesCloseFrame();
};

void tst_WebSocketFrame::encodesHeaderAndPayload_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<qsizetype>("length");
    QTest::addColumn<QByteArray>("header");

    QTest::newRow("empty text") << 1 << qsizetype(0) << QByteArray::fromHex("8100");
    QTest::newRow("one byte") << 1 << qsizetype(1) << QByteArray::fromHex("8101");
    QTest::newRow("125: longest short form") << 1 << qsizetype(125) << QByteArray::fromHex("817d");
    QTest::newRow("126: 16-bit form") << 1 << qsizetype(126) << QByteArray::fromHex("817e007e");
    QTest::newRow("65535: longest 16-bit form")
        << 1 << qsizetype(65535) << QByteArray::fromHex("817effff");
    QTest::newRow("65536: 64-bit form")
        << 1 << qsizetype(65536) << QByteArray::fromHex("817f0000000000010000");
    QTest::newRow("binary") << 2 << qsizetype(4) << QByteArray::fromHex("8204");
    QTest::newRow("binary 300") << 2 << qsizetype(300) << QByteArray::fromHex("827e012c");
}

void tst_WebSocketFrame::encodesHeaderAndPayload()
{
    QFETCH(int, opcode);
    QFETCH(qsizetype, length);
    QFETCH(QByteArray, header);

    const QByteArray payload = pattern(length);
    const QByteArray frame = WebSocketFrame::encodeServerFrame(Opcode(opcode), payload);

    QCOMPARE(frame.left(header.size()).toHex(), header.toHex());
    QCOMPARE(frame.size(), header.size() + length);
    QVERIFY(frame.sliced(header.size()) == payload);
}

void tst_WebSocketFrame::readsMessages_data()
{
    addReadColumns();
    const QByteArray euro = "\xe2\x82\xac";
    QByteArray everyByte;
    for (int b = 0; b < 256; ++b)
        everyByte += char(b);

    row("RFC 6455 5.7: masked Hello", QByteArray::fromHex("818537fa213d7f9f4d5158"),
        {textEvent("Hello")});
    row("zero mask key", clientFrame(0x81, "Hello", ZeroMask), {textEvent("Hello")});
    row("mask key ff", clientFrame(0x81, "Hello", QByteArray::fromHex("ffffffff")),
        {textEvent("Hello")});
    row("empty text", clientFrame(0x81, ""), {textEvent("")});
    row("empty binary", clientFrame(0x82, ""), {binaryEvent("")});
    row("UTF-8 text", clientFrame(0x81, "h\xc3\xa9llo " + euro + " \xf0\x9f\x98\x80"),
        {textEvent("h\xc3\xa9llo " + euro + " \xf0\x9f\x98\x80")});
    row("text with a NUL", clientFrame(0x81, QByteArray("a\0b", 3)),
        {textEvent(QByteArray("a\0b", 3))});
    row("binary of every byte value", clientFrame(0x82, everyByte), {binaryEvent(everyByte)});
    row("binary, not UTF-8", clientFrame(0x82, "\xc0\xaf\xff"), {binaryEvent("\xc0\xaf\xff")});
    row("text of 125 bytes: 7-bit length", clientFrame(0x81, pattern(125)),
        {textEvent(pattern(125))});
    row("text of 126 bytes: 16-bit length", clientFrame(0x81, pattern(126)),
        {textEvent(pattern(126))});
    row("ping", clientFrame(0x89, "are you there"), {pingEvent("are you there")});
    row("empty ping", clientFrame(0x89, ""), {pingEvent("")});
    row("ping of 125 bytes", clientFrame(0x89, pattern(125)), {pingEvent(pattern(125))});
    row("ping, not UTF-8", clientFrame(0x89, "\xff\xfe"), {pingEvent("\xff\xfe")});
    row("pong", clientFrame(0x8a, "x"), {pongEvent("x")});
    row("empty pong", clientFrame(0x8a, "", ZeroMask), {pongEvent("")});
    row("pipelined: text, binary, ping, pong",
        clientFrame(0x81, "a") + clientFrame(0x82, "b") + clientFrame(0x89, "c") +
            clientFrame(0x8a, "d"),
        {textEvent("a"), binaryEvent("b"), pingEvent("c"), pongEvent("d")});
    row("two fragments", clientFrame(0x01, "Hel") + clientFrame(0x80, "lo"), {textEvent("Hello")});
    row("three fragments, binary",
        clientFrame(0x02, "\x01") + clientFrame(0x00, "\x02") + clientFrame(0x80, "\x03"),
        {binaryEvent("\x01\x02\x03")});
    row("fragments with their own mask keys",
        clientFrame(0x01, "Hel", ZeroMask) +
            clientFrame(0x80, "lo", QByteArray::fromHex("a1b2c3d4")),
        {textEvent("Hello")});
    row("ping between fragments",
        clientFrame(0x01, "Hel") + clientFrame(0x89, "p") + clientFrame(0x80, "lo"),
        {pingEvent("p"), textEvent("Hello")});
    row("ping and pong between fragments",
        clientFrame(0x01, "a") + clientFrame(0x89, "1") + clientFrame(0x00, "b") +
            clientFrame(0x8a, "2") + clientFrame(0x80, "c"),
        {pingEvent("1"), pongEvent("2"), textEvent("abc")});
    row("close between fragments",
        clientFrame(0x01, "Hel") + clientFrame(0x88, closePayload(1000, "bye")) +
            clientFrame(0x80, "lo"),
        {closeEvent(1000, "bye")});
    row("empty fragments", clientFrame(0x01, "") + clientFrame(0x00, "") + clientFrame(0x80, ""),
        {textEvent("")});
    row("empty first fragment", clientFrame(0x02, "") + clientFrame(0x80, "xy"),
        {binaryEvent("xy")});
    row("UTF-8 character across fragments",
        clientFrame(0x01, "\xe2\x82") + clientFrame(0x80, "\xac"), {textEvent(euro)});
    row("UTF-8 character across three fragments, ping between",
        clientFrame(0x01, "\xf0\x9f") + clientFrame(0x00, "\x98") + clientFrame(0x89, "") +
            clientFrame(0x80, "\x80"),
        {pingEvent(""), textEvent("\xf0\x9f\x98\x80")});
    row("fragmented messages back to back",
        clientFrame(0x01, "a") + clientFrame(0x80, "b") + clientFrame(0x02, "c") +
            clientFrame(0x80, "d"),
        {textEvent("ab"), binaryEvent("cd")});
    row("whole message after a fragmented one",
        clientFrame(0x01, "a") + clientFrame(0x80, "b") + clientFrame(0x81, "c"),
        {textEvent("ab"), textEvent("c")});
}

void tst_WebSocketFrame::rejectsProtocolErrors_data()
{
    addReadColumns();
    const QString protocolError = errorEvent(WebSocketFrame::CloseProtocolError);

    row("unmasked text", QByteArray::fromHex("810548656c6c6f"), {protocolError});
    row("unmasked empty text", QByteArray::fromHex("8100"), {protocolError});
    row("unmasked ping", QByteArray::fromHex("8900"), {protocolError});
    row("unmasked close", QByteArray::fromHex("880203e8"), {protocolError});
    row("RSV1", clientFrame(0xc1, "a"), {protocolError});
    row("RSV2", clientFrame(0xa1, "a"), {protocolError});
    row("RSV3", clientFrame(0x91, "a"), {protocolError});
    row("RSV1 on a ping", clientFrame(0xc9, ""), {protocolError});
    row("RSV3 on a continuation", clientFrame(0x01, "a") + clientFrame(0x90, "b"), {protocolError});
    for (int opcode : {0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf}) {
        // Empty, and as a valid close payload: neither may pass for a data or a close frame.
        QTest::addRow("opcode 0x%x, empty", opcode)
            << clientFrame(quint8(0x80 | opcode), "") << DefaultMax << QStringList{protocolError};
        QTest::addRow("opcode 0x%x, close payload", opcode)
            << clientFrame(quint8(0x80 | opcode), closePayload(1000)) << DefaultMax
            << QStringList{protocolError};
    }
    row("opcode 0x3 without FIN", clientFrame(0x03, "a"), {protocolError});
    row("fragmented ping", clientFrame(0x09, "a"), {protocolError});
    row("fragmented pong", clientFrame(0x0a, "a"), {protocolError});
    row("fragmented close", clientFrame(0x08, closePayload(1000)), {protocolError});
    row("ping of 126 bytes", clientFrame(0x89, pattern(126)), {protocolError});
    row("pong of 126 bytes", clientFrame(0x8a, pattern(126)), {protocolError});
    row("close of 126 bytes", clientFrame(0x88, closePayload(1000, pattern(124))), {protocolError});
    row("continuation first", clientFrame(0x80, "a"), {protocolError});
    row("unfinished continuation first", clientFrame(0x00, "a"), {protocolError});
    row("continuation after a fragmented message",
        clientFrame(0x01, "a") + clientFrame(0x80, "b") + clientFrame(0x80, "c"),
        {textEvent("ab"), protocolError});
    row("continuation after a whole message", clientFrame(0x81, "a") + clientFrame(0x80, "b"),
        {textEvent("a"), protocolError});
    row("text inside a fragmented message", clientFrame(0x01, "a") + clientFrame(0x81, "b"),
        {protocolError});
    row("binary inside a fragmented text", clientFrame(0x01, "a") + clientFrame(0x82, "b"),
        {protocolError});
    row("new fragmented message inside one", clientFrame(0x02, "a") + clientFrame(0x01, "b"),
        {protocolError});
    row("64-bit length with its top bit set", frameHeader(0x82, 0x8000000000000000ULL),
        {protocolError});
    row("64-bit length of all ones", frameHeader(0x82, ~0ULL), {protocolError});
    row("64-bit length with its top bit set, no size limit",
        frameHeader(0x82, 0x8000000000000000ULL), {protocolError},
        std::numeric_limits<qint64>::max());
    row("error after a message", clientFrame(0x81, "a") + QByteArray::fromHex("8100"),
        {textEvent("a"), protocolError});
    row("nothing after an error",
        QByteArray::fromHex("8100") + clientFrame(0x81, "a") + clientFrame(0x89, ""),
        {protocolError});
}

void tst_WebSocketFrame::validatesUtf8_data()
{
    addReadColumns();
    const QString invalid = errorEvent(WebSocketFrame::CloseInvalidPayload);
    const std::pair<const char *, const char *> valid[] = {
        {"U+0080", "c280"},
        {"U+07FF", "dfbf"},
        {"U+0800", "e0a080"},
        {"U+D7FF", "ed9fbf"},
        {"U+E000", "ee8080"},
        {"U+FEFF BOM", "efbbbf"},
        {"U+FFFE noncharacter", "efbfbe"},
        {"U+10000", "f0908080"},
        {"U+10FFFF", "f48fbfbf"},
        {"NUL", "00"},
    };
    for (const auto &[name, hex] : valid) {
        const QByteArray text = "a" + QByteArray::fromHex(hex) + "z";
        QTest::addRow("valid %s", name)
            << clientFrame(0x81, text) << DefaultMax << QStringList{textEvent(text)};
    }
    const std::pair<const char *, const char *> invalidText[] = {
        {"lone continuation byte", "80"},
        {"overlong NUL C0 80", "c080"},
        {"overlong C1 BF", "c1bf"},
        {"overlong 3 bytes", "e09fbf"},
        {"overlong 4 bytes", "f08fbfbf"},
        {"surrogate U+D800", "eda080"},
        {"surrogate U+DFFF", "edbfbf"},
        {"above U+10FFFF", "f4908080"},
        {"F5 lead byte", "f5808080"},
        {"FE", "fe"},
        {"FF", "ff"},
        {"truncated 3-byte character", "e282"},
        {"lead byte then ASCII", "e28241"},
        {"two lead bytes", "c2c2"},
    };
    for (const auto &[name, hex] : invalidText)
        QTest::addRow("invalid %s", name) << clientFrame(0x81, "a" + QByteArray::fromHex(hex))
                                          << DefaultMax << QStringList{invalid};
    row("invalid fragment, ping between",
        clientFrame(0x01, "a") + clientFrame(0x89, "p") + clientFrame(0x80, "\xff"),
        {pingEvent("p"), invalid});
    row("message ends inside a character", clientFrame(0x01, "a\xe2\x82") + clientFrame(0x80, ""),
        {invalid});
    row("invalid text after a valid one", clientFrame(0x81, "ok") + clientFrame(0x81, "\xc0\x80"),
        {textEvent("ok"), invalid});
    row("invalid bytes in binary", clientFrame(0x82, "\xed\xa0\x80\xff"),
        {binaryEvent("\xed\xa0\x80\xff")});
}

void tst_WebSocketFrame::readsCloseFrames_data()
{
    addReadColumns();
    const QString protocolError = errorEvent(WebSocketFrame::CloseProtocolError);

    row("no payload", clientFrame(0x88, ""), {closeEvent(WebSocketFrame::CloseNoStatus)});
    row("no payload, zero mask key", clientFrame(0x88, "", ZeroMask),
        {closeEvent(WebSocketFrame::CloseNoStatus)});
    row("one byte", clientFrame(0x88, "\x03"), {protocolError});
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000,
                     3999, 4000, 4999})
        QTest::addRow("code %d", code) << clientFrame(0x88, closePayload(quint16(code)))
                                       << DefaultMax << QStringList{closeEvent(quint16(code))};
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        QTest::addRow("invalid code %d", code)
            << clientFrame(0x88, closePayload(quint16(code), "x")) << DefaultMax
            << QStringList{protocolError};
    row("code and reason", clientFrame(0x88, closePayload(1000, "bye")), {closeEvent(1000, "bye")});
    row("UTF-8 reason", clientFrame(0x88, closePayload(1001, "\xe2\x82\xac")),
        {closeEvent(1001, "\xe2\x82\xac")});
    row("reason of 123 bytes", clientFrame(0x88, closePayload(4000, pattern(123))),
        {closeEvent(4000, pattern(123))});
    row("reason not UTF-8", clientFrame(0x88, closePayload(1000, "\xff")),
        {errorEvent(WebSocketFrame::CloseInvalidPayload)});
    row("reason ends inside a character", clientFrame(0x88, closePayload(1000, "a\xe2\x82")),
        {errorEvent(WebSocketFrame::CloseInvalidPayload)});
    row("reason with a surrogate", clientFrame(0x88, closePayload(1000, "\xed\xa0\x80")),
        {errorEvent(WebSocketFrame::CloseInvalidPayload)});
    row("after messages",
        clientFrame(0x81, "a") + clientFrame(0x89, "") + clientFrame(0x88, closePayload(1001)),
        {textEvent("a"), pingEvent(""), closeEvent(1001)});
    row("nothing after a close",
        clientFrame(0x88, closePayload(1000)) + clientFrame(0x81, "a") + clientFrame(0x89, ""),
        {closeEvent(1000)});
}

void tst_WebSocketFrame::limitsMessageSize_data()
{
    addReadColumns();
    const QString tooBig = errorEvent(WebSocketFrame::CloseTooBig);

    row("text of exactly the maximum", clientFrame(0x81, pattern(10)), {textEvent(pattern(10))},
        10);
    row("text one byte over", clientFrame(0x81, pattern(11)), {tooBig}, 10);
    row("binary one byte over", clientFrame(0x82, pattern(11)), {tooBig}, 10);
    row("maximum 0, empty message", clientFrame(0x81, ""), {textEvent("")}, 0);
    row("maximum 0, one byte", clientFrame(0x82, "a"), {tooBig}, 0);
    row("7-bit length over, header only", frameHeader(0x81, 11), {tooBig}, 10);
    row("16-bit length over, header only", frameHeader(0x82, 200), {tooBig}, 100);
    row("64-bit length over, header only", frameHeader(0x82, 1ULL << 40), {tooBig}, 100);
    row("fragments of exactly the maximum",
        clientFrame(0x01, pattern(4)) + clientFrame(0x80, pattern(6, 'A')),
        {textEvent(pattern(4) + pattern(6, 'A'))}, 10);
    row("fragments one byte over", clientFrame(0x01, pattern(4)) + clientFrame(0x80, pattern(7)),
        {tooBig}, 10);
    row("three fragments one byte over",
        clientFrame(0x02, pattern(4)) + clientFrame(0x00, pattern(4)) +
            clientFrame(0x80, pattern(3)),
        {tooBig}, 10);
    row("first fragment over", clientFrame(0x01, pattern(11)), {tooBig}, 10);
    row("fragment over, header only", clientFrame(0x01, pattern(6)) + frameHeader(0x80, 5),
        {tooBig}, 10);
    row("pings between fragments do not count",
        clientFrame(0x01, pattern(5)) + clientFrame(0x89, pattern(8)) +
            clientFrame(0x80, pattern(5)),
        {pingEvent(pattern(8)), textEvent(pattern(5) + pattern(5))}, 10);
    row("each message counts from zero",
        clientFrame(0x81, pattern(10)) + clientFrame(0x01, pattern(5)) +
            clientFrame(0x80, pattern(5)),
        {textEvent(pattern(10)), textEvent(pattern(5) + pattern(5))}, 10);
    row("over after a message of the maximum",
        clientFrame(0x81, pattern(10)) + clientFrame(0x81, pattern(11)),
        {textEvent(pattern(10)), tooBig}, 10);
}

void tst_WebSocketFrame::unmasksEveryLengthForm_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<int>("length");

    for (const char *mask : {"00000000", "37fa213d", "ffffffff", "807f01fe"}) {
        for (int length : {0, 1, 3, 4, 5, 7, 8, 9, 125, 126, 127, 65535, 65536, 70001})
            QTest::addRow("key %s, %d bytes", mask, length) << QByteArray::fromHex(mask) << length;
    }
}

// Whole, and in three pieces cut inside the header, the mask key and the payload.
void tst_WebSocketFrame::unmasksEveryLengthForm()
{
    QFETCH(QByteArray, mask);
    QFETCH(int, length);

    QByteArray payload(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        payload[i] = char(i * 7 + i / 256);
    const QByteArray frame = clientFrame(0x82, payload, mask);
    const QByteArrayView bytes(frame);
    const qsizetype header = frame.size() - length;
    const qsizetype cuts[] = {1, header - 2, header + length / 2};

    const QList<QList<QByteArrayView>> ways = {
        {bytes},
        {bytes.first(cuts[0]), bytes.sliced(cuts[0], cuts[1] - cuts[0]),
         bytes.sliced(cuts[1], cuts[2] - cuts[1]), bytes.sliced(cuts[2])},
    };
    for (const QList<QByteArrayView> &pieces : ways) {
        Reader reader(1 << 20);
        std::vector<Reader::Event> events;
        for (QByteArrayView piece : pieces)
            reader.feed(piece, events);
        QCOMPARE(events.size(), size_t(1));
        QCOMPARE(int(events[0].kind), int(Kind::Binary));
        QCOMPARE(events[0].payload.size(), payload.size());
        QVERIFY(events[0].payload == payload);
        QCOMPARE(reader.bufferedBytes(), qsizetype(0));
        QVERIFY(!reader.isFinished());
    }
}

void tst_WebSocketFrame::holdsOnlyIncompleteFrames_data()
{
    QTest::addColumn<QByteArrayList>("pieces");
    QTest::addColumn<QList<int>>("buffered"); // bufferedBytes() after each piece

    const QByteArray hello = clientFrame(0x81, "Hello");
    QByteArrayList bytes;
    QList<int> held;
    for (qsizetype i = 0; i < hello.size(); ++i) {
        bytes << hello.sliced(i, 1);
        held << (i + 1 < hello.size() ? int(i + 1) : 0);
    }
    QTest::newRow("a frame byte by byte") << bytes << held;

    const QByteArray ping = clientFrame(0x89, "pp");
    const QByteArray last = clientFrame(0x80, "lo");
    QTest::newRow("fragments until the message ends")
        << QByteArrayList{clientFrame(0x01, "Hel"), clientFrame(0x89, "p"), last}
        << QList<int>{3, 3, 0};
    QTest::newRow("part of a continuation on top of the fragments")
        << QByteArrayList{clientFrame(0x01, "Hel"), last.first(2), last.sliced(2)}
        << QList<int>{3, 5, 0};
    QTest::newRow("part of a ping between fragments")
        << QByteArrayList{clientFrame(0x01, "Hel") + ping.first(3), ping.sliced(3), last}
        << QList<int>{6, 3, 0};
    const QByteArray third = clientFrame(0x81, "def");
    QTest::newRow("pipelined frames, the last one incomplete")
        << QByteArrayList{clientFrame(0x81, "a") + clientFrame(0x82, "bc") + third.first(4),
                          third.sliced(4)}
        << QList<int>{4, 0};
    QTest::newRow("pipelined complete frames")
        << QByteArrayList{clientFrame(0x81, "a") + clientFrame(0x89, "") + clientFrame(0x82, "bc")}
        << QList<int>{0};
}

void tst_WebSocketFrame::holdsOnlyIncompleteFrames()
{
    QFETCH(QByteArrayList, pieces);
    QFETCH(QList<int>, buffered);

    Reader reader(DefaultMax);
    QCOMPARE(reader.bufferedBytes(), qsizetype(0));
    std::vector<Reader::Event> events;
    QList<int> held;
    for (const QByteArray &piece : pieces) {
        reader.feed(piece, events);
        held << int(reader.bufferedBytes());
    }
    QCOMPARE(held, buffered);
    QVERIFY(!reader.isFinished());
    QVERIFY(!events.empty());
}

void tst_WebSocketFrame::ignoresInputOnceFinished_data()
{
    QTest::addColumn<QByteArray>("input");

    QTest::newRow("close") << clientFrame(0x88, closePayload(1000, "bye"));
    QTest::newRow("close without a code") << clientFrame(0x88, "");
    QTest::newRow("close between fragments")
        << clientFrame(0x01, "Hel") + clientFrame(0x88, closePayload(1001));
    QTest::newRow("protocol error") << QByteArray::fromHex("810548656c6c6f");
    QTest::newRow("invalid UTF-8") << clientFrame(0x81, "\xff");
    QTest::newRow("too big, header only") << frameHeader(0x82, DefaultMax + 1);
    QTest::newRow("too big after a fragment")
        << clientFrame(0x02, pattern(600)) + frameHeader(0x80, 401);
}

void tst_WebSocketFrame::ignoresInputOnceFinished()
{
    QFETCH(QByteArray, input);

    Reader reader(DefaultMax);
    std::vector<Reader::Event> events;
    reader.feed(input, events);
    QVERIFY(reader.isFinished());
    QCOMPARE(events.size(), size_t(1));
    const Kind kind = events[0].kind;
    QVERIFY(kind == Kind::Close || kind == Kind::Error);
    const qsizetype held = reader.bufferedBytes();

    const QByteArray later = clientFrame(0x81, "more") + clientFrame(0x89, "") +
                             clientFrame(0x88, closePayload(1000)) + pattern(DefaultMax * 2);
    reader.feed(later, events);
    for (qsizetype i = 0; i < later.size(); i += 7)
        reader.feed(QByteArrayView(later).sliced(i, std::min<qsizetype>(7, later.size() - i)),
                    events);
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(int(events[0].kind), int(kind));
    QVERIFY(reader.isFinished());
    QVERIFY(reader.bufferedBytes() <= held);
}

void tst_WebSocketFrame::encodesCloseFrame_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("frame");

    const QByteArray e = "\xc3\xa9", euro = "\xe2\x82\xac", smile = "\xf0\x9f\x98\x80";
    auto frame = [](quint16 code, const QByteArray &sent) {
        return QByteArray(1, char(0x88)) + char(2 + sent.size()) + closePayload(code, sent);
    };
    auto add = [&](const char *name, int code, const QByteArray &reason, const QByteArray &sent) {
        QTest::newRow(name) << code << reason << frame(quint16(code), sent);
    };
    QTest::newRow("code only, literal") << 1000 << QByteArray() << QByteArray::fromHex("880203e8");
    QTest::newRow("code and reason, literal")
        << 4000 << QByteArray("bye") << QByteArray::fromHex("88050fa0627965");
    add("1009", 1009, "too big", "too big");
    add("UTF-8 reason", 1001, "Tsch\xc3\xbc\xc3\x9f", "Tsch\xc3\xbc\xc3\x9f");
    add("123 bytes fit", 1000, pattern(123), pattern(123));
    add("124 bytes: cut to 123", 1000, pattern(124), pattern(123));
    add("300 bytes: cut to 123", 1002, pattern(300), pattern(123));
    add("2-byte character at the limit", 1000, pattern(121) + e, pattern(121) + e);
    add("2-byte character over by 1", 1000, pattern(122) + e, pattern(122));
    add("3-byte character at the limit", 1000, pattern(120) + euro, pattern(120) + euro);
    add("3-byte character over by 1", 1000, pattern(121) + euro, pattern(121));
    add("3-byte character over by 2", 1000, pattern(122) + euro + "x", pattern(122));
    add("4-byte character at the limit", 1000, pattern(119) + smile, pattern(119) + smile);
    add("4-byte character over by 1", 1000, pattern(120) + smile, pattern(120));
    add("4-byte character over by 2", 1000, pattern(121) + smile, pattern(121));
    add("4-byte character over by 3", 1000, pattern(122) + smile + "x", pattern(122));
    add("41 of 50 3-byte characters", 1000, euro.repeated(50), euro.repeated(41));
    add("61 of 70 2-byte characters", 1000, e.repeated(70), e.repeated(61));
}

// Byte for byte, and read back by a Reader once masked as a client would send it.
void tst_WebSocketFrame::encodesCloseFrame()
{
    QFETCH(int, code);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, frame);

    const QByteArray encoded = WebSocketFrame::encodeCloseFrame(quint16(code), reason);
    QCOMPARE(encoded.toHex(), frame.toHex());

    const QByteArray sent = frame.sliced(4);
    QCOMPARE(read({clientFrame(0x88, encoded.sliced(2))}, DefaultMax),
             (QStringList{closeEvent(quint16(code), sent), "finished"}));
}

QTEST_APPLESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
