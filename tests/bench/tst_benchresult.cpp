// SPDX-License-Identifier: MIT
#include "benchresult.h"
#include "deliveryhistogram.h"

#include <QTest>

using namespace Reservo::Bench;

// What --json writes, --summarize reads back, and how a ramp's saturation is called.
class tst_BenchResult : public QObject
{
    Q_OBJECT

private slots:
    void jsonRoundTrip();
    void stormRoundTrip();
    void cpuPerJoin_data();
    void cpuPerJoin();
    void latencyInMilliseconds();
    void saturation_data();
    void saturation();
};

void tst_BenchResult::jsonRoundTrip()
{
    BenchResult r;
    r.label = QStringLiteral("fanout 1k @10k");
    r.reads = QStringLiteral("io_uring");
    r.clients = 1000;
    r.rssBeforeKb = 17000;
    r.serverUsPerDelivery = 7.5;
    r.published = 123456789012ULL;
    r.slow.superseded = 42;
    r.slow.latency.p99 = 31004.3;
    r.steps.append(RampStep{20000, 19966, 0.001, 32, 20, false, {}});
    r.steps.append(RampStep{40000, 30000, 0.2, 80, 40, true, {}});
    const BenchResult back = BenchResult::fromJson(r.toJson());
    QCOMPARE(back.label, r.label);
    QCOMPARE(back.reads, r.reads);
    QCOMPARE(back.clients, 1000);
    QCOMPARE(back.rssBeforeKb, qint64(17000));
    QCOMPARE(back.serverUsPerDelivery, 7.5);
    QCOMPARE(back.published, r.published);
    QCOMPARE(back.slow.superseded, quint64(42));
    QCOMPARE(back.slow.latency.p99, 31004.3);
    QCOMPARE(back.steps.size(), 2);
    QCOMPARE(back.steps[1].saturated, true);
    QCOMPARE(back.steps[1].benchCpuPercent, 40.0);
    QCOMPARE(back.rssClosedKb, qint64(-1)); // unknown stays unknown
}

void tst_BenchResult::stormRoundTrip()
{
    BenchResult r;
    r.scenario = QStringLiteral("join-storm");
    r.storm.eventId = QStringLiteral("6df9e0b4");
    r.storm.snapshot = QStringLiteral("compact");
    r.storm.layoutHeld = true;
    r.storm.seats = 5000;
    r.storm.completed = 4999;
    r.storm.joinP99Ms = 12.5;
    r.storm.rssLeftKb = 90000;
    const BenchResult back = BenchResult::fromJson(r.toJson());
    QVERIFY(back.isJoinStorm());
    QCOMPARE(back.storm.eventId, r.storm.eventId);
    QCOMPARE(back.storm.snapshot, r.storm.snapshot);
    QCOMPARE(back.storm.layoutHeld, true);
    QCOMPARE(back.storm.seats, 5000);
    QCOMPARE(back.storm.completed, quint64(4999));
    QCOMPARE(back.storm.joinP99Ms, 12.5);
    QCOMPARE(back.storm.rssLeftKb, qint64(90000));
    QCOMPARE(back.storm.rssEndKb, qint64(-1));
    r.scenario = QStringLiteral("fanout"); // other scenarios carry no storm
    QVERIFY(!r.toJson().contains(QStringLiteral("storm")));
}

// The storm's server CPU less the baseline rate over the storm's window, per completed join.
void tst_BenchResult::cpuPerJoin_data()
{
    QTest::addColumn<double>("stormCpuS");
    QTest::addColumn<double>("windowS");
    QTest::addColumn<double>("baselinePercent");
    QTest::addColumn<quint64>("completed");
    QTest::addColumn<double>("msPerJoin");
    QTest::newRow("idle baseline") << 5.0 << 10.0 << 0.0 << quint64(5000) << 1.0;
    QTest::newRow("baseline taken off") << 3.0 << 10.0 << 10.0 << quint64(1000) << 2.0;
    QTest::newRow("no join completed") << 3.0 << 10.0 << 10.0 << quint64(0) << -1.0;
    QTest::newRow("server not probed") << -1.0 << 10.0 << -1.0 << quint64(10) << -1.0;
}

void tst_BenchResult::cpuPerJoin()
{
    QFETCH(double, stormCpuS);
    QFETCH(double, windowS);
    QFETCH(double, baselinePercent);
    QFETCH(quint64, completed);
    QFETCH(double, msPerJoin);
    StormResult s;
    s.stormCpuS = stormCpuS;
    s.stormWindowS = windowS;
    s.baselineCpuPercent = baselinePercent;
    s.completed = completed;
    s.computeCpuPerJoin();
    QCOMPARE(s.serverMsPerJoin, msPerJoin);
}

void tst_BenchResult::latencyInMilliseconds()
{
    DeliveryHistogram h;
    for (int i = 1; i <= 100; ++i)
        h.record(i); // nanoseconds
    const LatencySummary s = LatencySummary::from(h);
    QCOMPARE(s.count, quint64(100));
    QCOMPARE(s.p50, 50e-6);
    QCOMPARE(s.p99, 99e-6);
    QCOMPARE(s.max, 100e-6);
}

void tst_BenchResult::saturation_data()
{
    QTest::addColumn<QList<bool>>("saturated"); // per step, offered 10k, 20k, ...
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("lastGood");
    QTest::newRow("never") << QList<bool>{false, false, false} << -1.0 << -1.0;
    QTest::newRow("two at the end") << QList<bool>{false, false, true, true} << 30000.0 << 20000.0;
    QTest::newRow("noise then recovery") << QList<bool>{false, true, false, false} << -1.0 << -1.0;
    QTest::newRow("only the last") << QList<bool>{false, false, true} << -1.0 << -1.0;
    QTest::newRow("from the start") << QList<bool>{true, true} << 10000.0 << -1.0;
}

void tst_BenchResult::saturation()
{
    QFETCH(QList<bool>, saturated);
    QFETCH(double, rate);
    QFETCH(double, lastGood);
    BenchResult r;
    for (qsizetype i = 0; i < saturated.size(); ++i)
        r.steps.append(
            RampStep{10000.0 * double(i + 1), 0, saturated[i] ? 0.5 : 0, 50, 30, saturated[i], {}});
    r.markSaturation(50);
    QCOMPARE(r.saturationRate, rate);
    QCOMPARE(r.lastGoodRate, lastGood);
    QCOMPARE(r.saturationReason.isEmpty(), saturated.isEmpty() || !saturated.last());
}

QTEST_GUILESS_MAIN(tst_BenchResult)
#include "tst_benchresult.moc"
