// SPDX-License-Identifier: MIT
// FrameCache: a large message is framed once however often it is sent, small ones every time,
// and the cache stays within its entries and bytes and lets go of messages nobody holds.
#include "framecache.h"

#include <QTest>

using namespace Reservo;
using Opcode = WebSocketFrame::Opcode;

namespace {
QByteArray message(qsizetype size, char fill)
{
    return QByteArray(size, fill);
}
} // namespace

class tst_FrameCache : public QObject
{
    Q_OBJECT
private slots:
    void framesAsTheEncoderDoes_data();
    void framesAsTheEncoderDoes();
    void largeMessageFramedOnce();
    void sameBytesElsewhereAreAnotherMessage();
    void opcodeIsPartOfTheKey();
    void staysWithinBounds_data();
    void staysWithinBounds();
    void trimLetsGoOfUnheldMessages();
};

void tst_FrameCache::framesAsTheEncoderDoes_data()
{
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<bool>("cached");
    QTest::newRow("empty") << qsizetype(0) << false;
    QTest::newRow("small") << qsizetype(100) << false;
    QTest::newRow("just below") << FrameCache::MinMessageSize - 1 << false;
    QTest::newRow("threshold") << FrameCache::MinMessageSize << true;
    QTest::newRow("16-bit length") << qsizetype(60000) << true;
    QTest::newRow("64-bit length") << qsizetype(400000) << true;
}

void tst_FrameCache::framesAsTheEncoderDoes()
{
    QFETCH(qsizetype, size);
    QFETCH(bool, cached);
    FrameCache cache;
    const QByteArray m = message(size, 'x');
    QCOMPARE(cache.framed(Opcode::Text, m), WebSocketFrame::encodeServerFrame(Opcode::Text, m));
    QCOMPARE(cache.size(), cached ? 1 : 0);
}

void tst_FrameCache::largeMessageFramedOnce()
{
    FrameCache cache;
    const QByteArray snapshot = message(100000, 's');
    const QByteArray first = cache.framed(Opcode::Text, snapshot);
    const QByteArray copy = snapshot; // another joiner's reference: the same bytes, shared
    const QByteArray second = cache.framed(Opcode::Text, copy);
    QCOMPARE(second.constData(), first.constData());
    QCOMPARE(cache.hits(), quint64(1));
    QCOMPARE(cache.size(), 1);
    QCOMPARE(cache.bytes(), first.size());
}

void tst_FrameCache::sameBytesElsewhereAreAnotherMessage()
{
    FrameCache cache;
    const QByteArray a = message(8000, 'a');
    QByteArray b = a;
    b.detach(); // equal content at another address: the cache keys by address, not content
    const QByteArray fa = cache.framed(Opcode::Text, a);
    const QByteArray fb = cache.framed(Opcode::Text, b);
    QCOMPARE(fb, fa);
    QVERIFY(fb.constData() != fa.constData());
    QCOMPARE(cache.hits(), quint64(0));
    QCOMPARE(cache.size(), 2);
}

void tst_FrameCache::opcodeIsPartOfTheKey()
{
    FrameCache cache;
    const QByteArray m = message(8000, 'b');
    const QByteArray text = cache.framed(Opcode::Text, m);
    const QByteArray binary = cache.framed(Opcode::Binary, m);
    QCOMPARE(binary, WebSocketFrame::encodeServerFrame(Opcode::Binary, m));
    QVERIFY(binary != text);
    QCOMPARE(cache.hits(), quint64(0));
}

void tst_FrameCache::staysWithinBounds_data()
{
    QTest::addColumn<int>("entries");
    QTest::addColumn<qsizetype>("bytes");
    QTest::addColumn<int>("messages");
    QTest::addColumn<qsizetype>("size");
    QTest::addColumn<int>("expectedEntries");
    QTest::newRow("by entries") << 4 << qsizetype(1 << 20) << 10 << qsizetype(5000) << 4;
    QTest::newRow("by bytes") << 8 << qsizetype(12000) << 5 << qsizetype(5000) << 2;
    QTest::newRow("larger than the budget") << 4 << qsizetype(5000) << 3 << qsizetype(8000) << 0;
    QTest::newRow("no entries") << 0 << qsizetype(1 << 20) << 3 << qsizetype(5000) << 0;
}

void tst_FrameCache::staysWithinBounds()
{
    QFETCH(int, entries);
    QFETCH(qsizetype, bytes);
    QFETCH(int, messages);
    QFETCH(qsizetype, size);
    QFETCH(int, expectedEntries);
    FrameCache cache({entries, bytes});
    QList<QByteArray> held; // every message still held by a sender
    for (int i = 0; i < messages; ++i) {
        held.append(message(size, char('a' + i)));
        QCOMPARE(cache.framed(Opcode::Text, held.last()),
                 WebSocketFrame::encodeServerFrame(Opcode::Text, held.last()));
        QVERIFY(cache.size() <= std::max(entries, 0));
        QVERIFY(cache.bytes() <= bytes);
    }
    QCOMPARE(cache.size(), expectedEntries);
    // The most recent message is the one kept when only one fits.
    if (expectedEntries > 0) {
        const quint64 hits = cache.hits();
        cache.framed(Opcode::Text, held.last());
        QCOMPARE(cache.hits(), hits + 1);
    }
}

void tst_FrameCache::trimLetsGoOfUnheldMessages()
{
    FrameCache cache;
    QByteArray old = message(9000, 'o');
    const QByteArray current = message(9000, 'c');
    cache.framed(Opcode::Text, old);
    cache.framed(Opcode::Text, current);
    QCOMPARE(cache.size(), 2);
    old = QByteArray(); // the room moved on: nobody sends the old snapshot any more
    cache.trim();
    QCOMPARE(cache.size(), 1);
    QCOMPARE(cache.bytes(), WebSocketFrame::encodeServerFrame(Opcode::Text, current).size());
    const quint64 hits = cache.hits();
    cache.framed(Opcode::Text, current);
    QCOMPARE(cache.hits(), hits + 1);
}

QTEST_APPLESS_MAIN(tst_FrameCache)
#include "tst_framecache.moc"
