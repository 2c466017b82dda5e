// SPDX-License-Identifier: MIT
#include "deliveryhistogram.h"

#include <QTest>
#include <cmath>

using namespace Reservo::Bench;

// Percentiles by nearest rank from log-linear buckets: exact for small values, within 1/128 of
// the value for large ones, and the same after merging per-thread histograms.
class tst_DeliveryHistogram : public QObject
{
    Q_OBJECT

private slots:
    void emptyIsZero();
    void nearestRank_data();
    void nearestRank();
    void bucketsStayWithinPrecision();
    void percentileOfLargeValues();
    void mergeEqualsOneHistogram();
    void clampsOutOfRange();
};

void tst_DeliveryHistogram::emptyIsZero()
{
    const DeliveryHistogram h;
    QCOMPARE(h.count(), quint64(0));
    QCOMPARE(h.percentile(50), qint64(0));
    QCOMPARE(h.max(), qint64(0));
    QCOMPARE(h.mean(), 0.0);
}

void tst_DeliveryHistogram::nearestRank_data()
{
    QTest::addColumn<int>("n"); // values 1..n
    QTest::addColumn<double>("p");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("p50 of 1..100") << 100 << 50.0 << qint64(50);
    QTest::newRow("p99 of 1..100") << 100 << 99.0 << qint64(99);
    QTest::newRow("p100 of 1..100") << 100 << 100.0 << qint64(100);
    QTest::newRow("p0 is the minimum") << 100 << 0.0 << qint64(1);
    QTest::newRow("p99.9 of 1..200") << 200 << 99.9 << qint64(200);
    QTest::newRow("p50 of 1..201") << 201 << 50.0 << qint64(101);
    QTest::newRow("p99 of one value") << 1 << 99.0 << qint64(1);
    QTest::newRow("p25 of 1..4") << 4 << 25.0 << qint64(1);
    QTest::newRow("p26 of 1..4") << 4 << 26.0 << qint64(2);
}

void tst_DeliveryHistogram::nearestRank()
{
    QFETCH(int, n);
    QFETCH(double, p);
    QFETCH(qint64, expected);
    DeliveryHistogram h;
    for (int v = n; v >= 1; --v) // order does not matter
        h.record(v);
    QCOMPARE(h.percentile(p), expected);
    QCOMPARE(h.count(), quint64(n));
    QCOMPARE(h.mean(), (n + 1) / 2.0);
}

void tst_DeliveryHistogram::bucketsStayWithinPrecision()
{
    for (int64_t v = 1; v < (int64_t(1) << 40); v = v * 3 / 2 + 1) {
        const int64_t upper = DeliveryHistogram::bucketUpperBound(DeliveryHistogram::bucketOf(v));
        QVERIFY2(upper >= v, qPrintable(QString::number(v)));
        QVERIFY2(double(upper - v) <= double(v) / 128.0, qPrintable(QString::number(v)));
        QCOMPARE(DeliveryHistogram::bucketOf(upper), DeliveryHistogram::bucketOf(v));
        QCOMPARE(DeliveryHistogram::bucketOf(upper + 1), DeliveryHistogram::bucketOf(v) + 1);
    }
}

void tst_DeliveryHistogram::percentileOfLargeValues()
{
    DeliveryHistogram h;
    for (int i = 1; i <= 1000; ++i)
        h.record(int64_t(i) * 1'000'000); // 1..1000 ms
    const auto near = [](int64_t got, int64_t want) {
        return std::abs(double(got - want)) <= want / 128.0;
    };
    QVERIFY(near(h.percentile(50), 500'000'000));
    QVERIFY(near(h.percentile(99), 990'000'000));
    QVERIFY(near(h.percentile(99.9), 999'000'000));
    QCOMPARE(h.percentile(100), qint64(1'000'000'000)); // never above the exact max
    QCOMPARE(h.max(), qint64(1'000'000'000));
    QCOMPARE(h.min(), qint64(1'000'000));
}

void tst_DeliveryHistogram::mergeEqualsOneHistogram()
{
    DeliveryHistogram all, a, b;
    for (int i = 0; i < 5000; ++i) {
        const int64_t v = (int64_t(i) * 7919) % 100'000'000;
        all.record(v);
        (i % 3 ? a : b).record(v);
    }
    a.merge(b);
    QCOMPARE(a.count(), all.count());
    QCOMPARE(a.max(), all.max());
    QCOMPARE(a.min(), all.min());
    for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
        QCOMPARE(a.percentile(p), all.percentile(p));
}

void tst_DeliveryHistogram::clampsOutOfRange()
{
    DeliveryHistogram h;
    h.record(-5); // a clock step backwards must not index out of range
    h.record(int64_t(1) << 50);
    QCOMPARE(h.count(), quint64(2));
    QCOMPARE(DeliveryHistogram::bucketOf(-5), size_t(0));
}

QTEST_GUILESS_MAIN(tst_DeliveryHistogram)
#include "tst_deliveryhistogram.moc"
