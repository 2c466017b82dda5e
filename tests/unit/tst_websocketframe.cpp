// SPDX-License-Identifier: MIT
#include "websocketframe.h"

#include <QTest>

using namespace Reservo;
using WebSocketFrame::Opcode;

// Server frames: FIN set, no mask, the shortest length form RFC 6455 allows, payload verbatim.
class tst_WebSocketFrame : public QObject
{
    Q_OBJECT
private slots:
    void encodesHeaderAndPayload_data();
    void encodesHeaderAndPayload();
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

    QByteArray payload(length, Qt::Uninitialized);
    for (qsizetype i = 0; i < length; ++i)
        payload[i] = char('a' + i % 26);
    const QByteArray frame = WebSocketFrame::encodeServerFrame(Opcode(opcode), payload);

    QCOMPARE(frame.left(header.size()).toHex(), header.toHex());
    QCOMPARE(frame.size(), header.size() + length);
    QVERIFY(frame.sliced(header.size()) == payload);
}

QTEST_APPLESS_MAIN(tst_WebSocketFrame)
#include "tst_websocketframe.moc"
