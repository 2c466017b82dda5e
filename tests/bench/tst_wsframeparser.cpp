// SPDX-License-Identifier: MIT
#include "wsframeencoder.h"
#include "wsframeparser.h"

#include <QTest>

using namespace Reservo::Bench;

namespace {
// Collects what the parser delivers as "<opcode>:<payload>" strings.
class Collector : public WsMessageSink
{
public:
    QStringList messages;
    void onWsMessage(WsOpcode opcode, std::string_view payload) override
    {
        messages.append(QString::number(int(opcode)) + u':' +
                        QString::fromUtf8(payload.data(), qsizetype(payload.size())));
    }
};

std::string frame(WsOpcode opcode, std::string_view payload, bool fin = true)
{
    std::string out;
    WsFrameEncoder::appendUnmasked(out, opcode, payload, fin);
    return out;
}

std::string masked(WsOpcode opcode, std::string_view payload, bool fin = true)
{
    std::string out;
    WsFrameEncoder::appendMasked(out, opcode, payload, 0xA1B2C3D4u, fin);
    return out;
}

QByteArray bytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}
} // namespace

// RFC 6455 decoding as a bench client sees it: any split of the stream, several frames per
// read, fragments with control frames between them, masked frames, and protocol errors.
class tst_WsFrameParser : public QObject
{
    Q_OBJECT

private slots:
    void decodes_data();
    void decodes();
    void decodesWhateverTheSplit_data();
    void decodesWhateverTheSplit();
    void rejects_data();
    void rejects();
    void staysFailed();
    void keepsOnlyTheIncompleteTail();
    void givesBackALargeFramesBuffer();
    void serverFrameSize_data();
    void serverFrameSize();
};

void tst_WsFrameParser::decodes_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    const std::string big(70000, 'x');
    const std::string medium(300, 'y');
    QTest::newRow("one text frame")
        << bytes(frame(WsOpcode::Text, "42[\"a\"]")) << QStringList{"1:42[\"a\"]"};
    QTest::newRow("empty text frame") << bytes(frame(WsOpcode::Text, "")) << QStringList{"1:"};
    QTest::newRow("three frames in one read")
        << bytes(frame(WsOpcode::Text, "2") + frame(WsOpcode::Text, "40") +
                 frame(WsOpcode::Binary, "b"))
        << QStringList{"1:2", "1:40", "2:b"};
    QTest::newRow("16-bit length") << bytes(frame(WsOpcode::Text, medium))
                                   << QStringList{"1:" + QString::fromStdString(medium)};
    QTest::newRow("64-bit length")
        << bytes(frame(WsOpcode::Text, big)) << QStringList{"1:" + QString::fromStdString(big)};
    QTest::newRow("fragmented with a ping between")
        << bytes(frame(WsOpcode::Text, "42[", false) +
                 frame(WsOpcode::Continuation, "\"x\"", false) + frame(WsOpcode::Ping, "p") +
                 frame(WsOpcode::Continuation, "]"))
        << QStringList{"9:p", "1:42[\"x\"]"};
    QTest::newRow("masked") << bytes(masked(WsOpcode::Text, "hello, masked world"))
                            << QStringList{"1:hello, masked world"};
    QTest::newRow("masked fragments")
        << bytes(masked(WsOpcode::Text, "ab", false) + masked(WsOpcode::Continuation, "cd"))
        << QStringList{"1:abcd"};
    QTest::newRow("close then text")
        << bytes(frame(WsOpcode::Close, "\x03\xe8") + frame(WsOpcode::Text, "x"))
        << QStringList{"8:\x03\xe8", "1:x"};
}

void tst_WsFrameParser::decodes()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    WsFrameParser parser;
    Collector sink;
    QVERIFY(parser.feed(std::string_view(stream.constData(), size_t(stream.size())), sink));
    QCOMPARE(sink.messages, expected);
    QCOMPARE(parser.bufferedBytes(), size_t(0));
}

void tst_WsFrameParser::decodesWhateverTheSplit_data()
{
    QTest::addColumn<int>("chunk");
    for (int chunk : {1, 2, 3, 5, 7, 13, 64, 1000})
        QTest::addRow("chunks of %d", chunk) << chunk;
}

// The same stream cut into pieces of every size gives the same messages.
void tst_WsFrameParser::decodesWhateverTheSplit()
{
    QFETCH(int, chunk);
    const std::string stream = frame(WsOpcode::Text, std::string(200, 'a')) +
                               masked(WsOpcode::Text, "m", false) + frame(WsOpcode::Pong, "") +
                               masked(WsOpcode::Continuation, "n") + frame(WsOpcode::Text, "2");
    WsFrameParser parser;
    Collector sink;
    for (size_t at = 0; at < stream.size(); at += size_t(chunk))
        QVERIFY(parser.feed(std::string_view(stream).substr(at, size_t(chunk)), sink));
    const QStringList expected{"1:" + QString(200, u'a'), "10:", "1:mn", "1:2"};
    QCOMPARE(sink.messages, expected);
}

void tst_WsFrameParser::rejects_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("accepted"); // messages delivered before the error

    std::string reserved = frame(WsOpcode::Text, "x");
    reserved[0] = char(reserved[0] | 0x40);
    std::string unknownOpcode = frame(WsOpcode::Text, "x");
    unknownOpcode[0] = char(0x83);
    std::string longPing = frame(WsOpcode::Ping, std::string(126, 'p'));
    QTest::newRow("reserved bit") << bytes(reserved) << 0;
    QTest::newRow("unknown opcode") << bytes(unknownOpcode) << 0;
    QTest::newRow("continuation first") << bytes(frame(WsOpcode::Continuation, "x")) << 0;
    QTest::newRow("fragmented ping") << bytes(frame(WsOpcode::Ping, "x", false)) << 0;
    QTest::newRow("ping over 125 bytes") << bytes(longPing) << 0;
    QTest::newRow("text inside fragments")
        << bytes(frame(WsOpcode::Text, "a", false) + frame(WsOpcode::Text, "b")) << 0;
    QTest::newRow("error after a good frame")
        << bytes(frame(WsOpcode::Text, "ok") + frame(WsOpcode::Continuation, "x")) << 1;
    QTest::newRow("over the message limit")
        << bytes(frame(WsOpcode::Text, std::string(2000, 'z'))) << 0;
    QTest::newRow("fragments over the limit")
        << bytes(frame(WsOpcode::Text, std::string(600, 'a'), false) +
                 frame(WsOpcode::Continuation, std::string(600, 'b')))
        << 0;
}

void tst_WsFrameParser::rejects()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, accepted);
    WsFrameParser parser(1024);
    Collector sink;
    QVERIFY(!parser.feed(std::string_view(stream.constData(), size_t(stream.size())), sink));
    QVERIFY(!parser.errorString().empty());
    QCOMPARE(sink.messages.size(), accepted);
}

void tst_WsFrameParser::staysFailed()
{
    WsFrameParser parser;
    Collector sink;
    QVERIFY(!parser.feed(frame(WsOpcode::Continuation, "x"), sink));
    QVERIFY(!parser.feed(frame(WsOpcode::Text, "fine"), sink));
    QVERIFY(sink.messages.isEmpty());
}

void tst_WsFrameParser::keepsOnlyTheIncompleteTail()
{
    const std::string two = frame(WsOpcode::Text, "first") + frame(WsOpcode::Text, "second");
    WsFrameParser parser;
    Collector sink;
    QVERIFY(parser.feed(std::string_view(two).substr(0, two.size() - 3), sink));
    QCOMPARE(sink.messages, QStringList{"1:first"});
    QCOMPARE(parser.bufferedBytes(), size_t(two.size() - 3 - 7));
    QVERIFY(parser.feed(std::string_view(two).substr(two.size() - 3), sink));
    QCOMPARE(sink.messages, (QStringList{"1:first", "1:second"}));
    QCOMPARE(parser.bufferedBytes(), size_t(0));
}

// A 400 KB snapshot arrives in 64 KB reads: the parser holds it whole, then lets the memory go,
// or thousands of joiners would each keep their largest frame.
void tst_WsFrameParser::givesBackALargeFramesBuffer()
{
    const std::string big(400 * 1024, 'x');
    const std::string stream = frame(WsOpcode::Text, big) + frame(WsOpcode::Text, "after");
    WsFrameParser parser;
    Collector sink;
    for (size_t at = 0; at < stream.size(); at += 64 * 1024)
        QVERIFY(parser.feed(std::string_view(stream).substr(at, 64 * 1024), sink));
    QCOMPARE(sink.messages.size(), 2);
    QCOMPARE(sink.messages[0].size(), qsizetype(big.size() + 2));
    QCOMPARE(sink.messages[1], QStringLiteral("1:after"));
    QCOMPARE(parser.bufferedBytes(), size_t(0));
    QVERIFY2(parser.bufferCapacity() <= 64 * 1024,
             qPrintable(QString::number(parser.bufferCapacity())));
}

void tst_WsFrameParser::serverFrameSize_data()
{
    QTest::addColumn<qulonglong>("payload");
    QTest::addColumn<qulonglong>("wire");
    QTest::newRow("empty") << 0ull << 2ull;
    QTest::newRow("125: 7-bit length") << 125ull << 127ull;
    QTest::newRow("126: 16-bit length") << 126ull << 130ull;
    QTest::newRow("65535") << 65535ull << 65539ull;
    QTest::newRow("65536: 64-bit length") << 65536ull << 65546ull;
}

void tst_WsFrameParser::serverFrameSize()
{
    QFETCH(qulonglong, payload);
    QFETCH(qulonglong, wire);
    QCOMPARE(qulonglong(WsFrameParser::serverFrameSize(payload)), wire);
    QCOMPARE(qulonglong(frame(WsOpcode::Text, std::string(payload, 'p')).size()), wire);
}

QTEST_GUILESS_MAIN(tst_WsFrameParser)
#include "tst_wsframeparser.moc"
