// SPDX-License-Identifier: MIT
#include "samplestats.h"

#include <QTest>

using namespace Reservo::Bench;

// Exact nearest-rank percentiles of connect times.
class tst_SampleStats : public QObject
{
    Q_OBJECT

private slots:
    void percentile_data();
    void percentile();
    void emptyIsZero();
    void mergeKeepsEveryValue();
};

void tst_SampleStats::percentile_data()
{
    QTest::addColumn<QList<qint64>>("values");
    QTest::addColumn<double>("p");
    QTest::addColumn<qint64>("expected");
    const QList<qint64> ten{10, 1, 9, 2, 8, 3, 7, 4, 6, 5};
    QTest::newRow("p50 of 10") << ten << 50.0 << qint64(5);
    QTest::newRow("p51 of 10") << ten << 51.0 << qint64(6);
    QTest::newRow("p90 of 10") << ten << 90.0 << qint64(9);
    QTest::newRow("p99 of 10") << ten << 99.0 << qint64(10);
    QTest::newRow("p0 of 10") << ten << 0.0 << qint64(1);
    QTest::newRow("one value") << QList<qint64>{42} << 99.9 << qint64(42);
    QTest::newRow("ties") << QList<qint64>{3, 3, 3, 1} << 50.0 << qint64(3);
    QTest::newRow("above 100 is the max") << ten << 150.0 << qint64(10);
}

void tst_SampleStats::percentile()
{
    QFETCH(QList<qint64>, values);
    QFETCH(double, p);
    QFETCH(qint64, expected);
    SampleStats stats;
    for (qint64 v : values)
        stats.add(v);
    QCOMPARE(stats.percentile(p), expected);
    QCOMPARE(stats.count(), size_t(values.size()));
}

void tst_SampleStats::emptyIsZero()
{
    const SampleStats stats;
    QCOMPARE(stats.percentile(99), qint64(0));
    QCOMPARE(stats.max(), qint64(0));
}

void tst_SampleStats::mergeKeepsEveryValue()
{
    SampleStats a, b;
    for (int i = 1; i <= 50; ++i)
        a.add(i * 2);
    for (int i = 1; i <= 50; ++i)
        b.add(i * 2 - 1);
    a.merge(b);
    QCOMPARE(a.count(), size_t(100));
    QCOMPARE(a.percentile(50), qint64(50));
    QCOMPARE(a.percentile(99), qint64(99));
    QCOMPARE(a.max(), qint64(100));
}

QTEST_GUILESS_MAIN(tst_SampleStats)
#include "tst_samplestats.moc"
