// SPDX-License-Identifier: MIT
#include "wsframeencoder.h"

#include <QTest>

using namespace Reservo::Bench;

// Client frames: the length encodings of RFC 6455 section 5.2 and the masking of every byte.
class tst_WsFrameEncoder : public QObject
{
    Q_OBJECT

private slots:
    void headerLength_data();
    void headerLength();
    void masksEveryByte();
    void finAndOpcode();
    void closePayload();
};

void tst_WsFrameEncoder::headerLength_data()
{
    QTest::addColumn<int>("payload");
    QTest::addColumn<int>("header"); // bytes before the payload, mask key included
    QTest::newRow("0") << 0 << 6;
    QTest::newRow("125") << 125 << 6;
    QTest::newRow("126") << 126 << 8;
    QTest::newRow("65535") << 65535 << 8;
    QTest::newRow("65536") << 65536 << 14;
}

void tst_WsFrameEncoder::headerLength()
{
    QFETCH(int, payload);
    QFETCH(int, header);
    std::string out;
    WsFrameEncoder::appendMasked(out, WsOpcode::Text, std::string(size_t(payload), 'a'), 1);
    QCOMPARE(int(out.size()), header + payload);
    QVERIFY(uint8_t(out[1]) & 0x80); // the mask bit
}

void tst_WsFrameEncoder::masksEveryByte()
{
    std::string out;
    WsFrameEncoder::appendMasked(out, WsOpcode::Text, "40", 0x01020304u);
    const std::string expected{char(0x81), char(0x82), 1, 2, 3, 4, char('4' ^ 1), char('0' ^ 2)};
    QCOMPARE(out, expected);
}

void tst_WsFrameEncoder::finAndOpcode()
{
    std::string out;
    WsFrameEncoder::appendUnmasked(out, WsOpcode::Continuation, "x", false);
    WsFrameEncoder::appendUnmasked(out, WsOpcode::Pong, "");
    const std::string expected{char(0x00), 1, 'x', char(0x8A), 0};
    QCOMPARE(out, expected);
}

void tst_WsFrameEncoder::closePayload()
{
    QCOMPARE(WsFrameEncoder::closePayload(1000, "bye"), std::string("\x03\xe8"
                                                                    "bye"));
}

QTEST_GUILESS_MAIN(tst_WsFrameEncoder)
#include "tst_wsframeencoder.moc"
