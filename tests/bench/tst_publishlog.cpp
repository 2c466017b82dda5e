// SPDX-License-Identifier: MIT
#include "publishlog.h"

#include <QTest>

using namespace Reservo::Bench;

// The publish schedule: seq <-> (seat, k), the state cycle that makes every change a real
// change, and send times by room.
class tst_PublishLog : public QObject
{
    Q_OBJECT

private slots:
    void scheduleRoundTrip();
    void countOf();
    void stateCycle();
    void sendTimes();
};

void tst_PublishLog::scheduleRoundTrip()
{
    const PublishLog log(1, 7, 100);
    for (uint32_t seq = 1; seq <= 100; ++seq) {
        const int seat = log.seatOf(seq);
        const uint32_t k = log.kOf(seq);
        QVERIFY(seat >= 0 && seat < 7);
        QVERIFY(k >= 1);
        QCOMPARE(log.seqOf(seat, k), seq);
    }
    QCOMPARE(log.seatOf(1), 0);
    QCOMPARE(log.kOf(1), 1u);
    QCOMPARE(log.seatOf(8), 0);
    QCOMPARE(log.kOf(8), 2u);
}

void tst_PublishLog::countOf()
{
    const PublishLog log(1, 3, 100);
    // 7 published: seats 0,1,2,0,1,2,0
    QCOMPARE(log.countOf(0, 7), 3u);
    QCOMPARE(log.countOf(1, 7), 2u);
    QCOMPARE(log.countOf(2, 7), 2u);
    QCOMPARE(log.countOf(2, 2), 0u);
    QCOMPARE(log.countOf(0, 0), 0u);
}

void tst_PublishLog::stateCycle()
{
    QCOMPARE(PublishLog::stateName(1), std::string_view("PENDING"));
    QCOMPARE(PublishLog::stateName(2), std::string_view("OCCUPIED"));
    QCOMPARE(PublishLog::stateName(3), std::string_view("AVAILABLE"));
    for (uint32_t k = 1; k < 20; ++k) // consecutive changes of a seat always differ
        QVERIFY(PublishLog::stateName(k) != PublishLog::stateName(k + 1));
    QCOMPARE(PublishLog::stateIndex("OCCUPIED"), 2);
    QCOMPARE(PublishLog::stateIndex("SOLD"), -1);
}

void tst_PublishLog::sendTimes()
{
    PublishLog log(2, 5, 3);
    QCOMPARE(log.sentAt(0, 1), qint64(0));
    log.recordSend(0, 100);
    log.recordSend(0, 200);
    log.recordSend(1, 300);
    QCOMPARE(log.published(0), 2u);
    QCOMPARE(log.publishedTotal(), quint64(3));
    QCOMPARE(log.sentAt(0, 2), qint64(200));
    QCOMPARE(log.sentAt(0, 3), qint64(0)); // not published yet
    QCOMPARE(log.sentAt(1, 1), qint64(300));
    QVERIFY(!log.isFull(0));
    log.recordSend(0, 400);
    QVERIFY(log.isFull(0));
}

QTEST_GUILESS_MAIN(tst_PublishLog)
#include "tst_publishlog.moc"
