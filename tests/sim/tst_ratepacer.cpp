// SPDX-License-Identifier: MIT
#include "ratepacer.h"

#include <QTest>

using namespace Reservo;

namespace {
constexpr qint64 Ms = 1'000'000;

// Ticks every tickMs from t=0 to durationMs and returns how many changes were due in total.
qint64 run(RatePacer &pacer, qint64 durationMs, qint64 tickMs, qint64 &largestTick)
{
    qint64 total = 0;
    largestTick = 0;
    for (qint64 t = tickMs; t <= durationMs; t += tickMs) {
        const qint64 due = pacer.take(t * Ms);
        largestTick = qMax(largestTick, due);
        total += due;
    }
    return total;
}
} // namespace

// How many seat changes each timer tick publishes for a given rate and limit.
class tst_RatePacer : public QObject
{
    Q_OBJECT

private slots:
    void rate_data();
    void rate();
    void limit_data();
    void limit();
    void zeroRateIsIdle();
    void stallDropsBacklog();
    void restartDoesNotCatchUp();
};

void tst_RatePacer::rate_data()
{
    QTest::addColumn<double>("perSecond");
    QTest::addColumn<qint64>("durationMs");
    QTest::addColumn<qint64>("tickMs");
    QTest::addColumn<qint64>("expected");
    QTest::addColumn<qint64>("maxPerTick");

    QTest::newRow("default 2/s for 10 s")
        << 2.0 << qint64(10000) << qint64(10) << qint64(20) << qint64(1);
    QTest::newRow("half per second")
        << 0.5 << qint64(10000) << qint64(10) << qint64(5) << qint64(1);
    QTest::newRow("5/s with late ticks")
        << 5.0 << qint64(3000) << qint64(13) << qint64(14) << qint64(1);
    QTest::newRow("1000/s") << 1000.0 << qint64(2000) << qint64(10) << qint64(2000) << qint64(10);
    QTest::newRow("50000/s") << 50000.0 << qint64(1000) << qint64(10) << qint64(50000)
                             << qint64(500);
    QTest::newRow("1e6/s") << 1e6 << qint64(100) << qint64(10) << qint64(100000) << qint64(10000);
}

void tst_RatePacer::rate()
{
    QFETCH(double, perSecond);
    QFETCH(qint64, durationMs);
    QFETCH(qint64, tickMs);
    QFETCH(qint64, expected);
    QFETCH(qint64, maxPerTick);

    RatePacer pacer(perSecond, -1);
    pacer.restart(0);
    qint64 largestTick = 0;
    QCOMPARE(run(pacer, durationMs, tickMs, largestTick), expected);
    QCOMPARE(pacer.sent(), expected);
    QVERIFY2(largestTick <= maxPerTick, qPrintable(QString::number(largestTick)));
    QVERIFY(!pacer.isFinished());
}

void tst_RatePacer::limit_data()
{
    QTest::addColumn<double>("perSecond");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("stops at the count") << 100.0 << qint64(37) << qint64(37);
    QTest::newRow("count larger than run") << 10.0 << qint64(1000) << qint64(20);
    QTest::newRow("count zero") << 100.0 << qint64(0) << qint64(0);
    QTest::newRow("fast, stops mid-tick") << 50000.0 << qint64(12345) << qint64(12345);
}

void tst_RatePacer::limit()
{
    QFETCH(double, perSecond);
    QFETCH(qint64, limit);
    QFETCH(qint64, expected);

    RatePacer pacer(perSecond, limit);
    pacer.restart(0);
    qint64 largestTick = 0;
    QCOMPARE(run(pacer, 2000, 10, largestTick), expected);
    QCOMPARE(pacer.isFinished(), expected == limit);
    QCOMPARE(pacer.isIdle(), expected == limit);
    QCOMPARE(pacer.take(60'000 * Ms), expected == limit ? 0 : qint64(perSecond));
}

void tst_RatePacer::zeroRateIsIdle()
{
    RatePacer pacer(0, -1);
    pacer.restart(0);
    QVERIFY(pacer.isIdle());
    QCOMPARE(pacer.take(3600'000 * Ms), 0);
    QCOMPARE(pacer.sent(), 0);
}

void tst_RatePacer::stallDropsBacklog()
{
    RatePacer pacer(100, -1);
    pacer.restart(0);
    QCOMPARE(pacer.take(5000 * Ms), 100); // five seconds late: one second's worth only
    QCOMPARE(pacer.take(5010 * Ms), 1);   // then back on schedule
    QCOMPARE(pacer.take(6000 * Ms), 99);
}

void tst_RatePacer::restartDoesNotCatchUp()
{
    RatePacer pacer(10, -1);
    pacer.restart(0);
    QCOMPARE(pacer.take(500 * Ms), 5);
    pacer.restart(800 * Ms); // paused while NATS was away
    QCOMPARE(pacer.take(800 * Ms), 0);
    QCOMPARE(pacer.take(1100 * Ms), 3);
    QCOMPARE(pacer.sent(), 8);
}

QTEST_GUILESS_MAIN(tst_RatePacer)
#include "tst_ratepacer.moc"
