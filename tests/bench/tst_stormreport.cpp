// SPDX-License-Identifier: MIT
#include "benchreport.h"
#include "stormreport.h"

#include <QTest>

using namespace Reservo::Bench;

namespace {
BenchResult storm(const QString &label, const QString &snapshot, bool probed)
{
    BenchResult r;
    r.scenario = QStringLiteral("join-storm");
    r.label = label;
    r.machineLoad = QStringLiteral("1.00 2.00 3.00");
    r.joined = 100;
    r.rssBeforeKb = probed ? 20000 : -1;
    r.normal.latency.p99 = 12.5;
    StormResult &s = r.storm;
    s.snapshot = snapshot;
    s.layoutHeld = snapshot == QLatin1String("compact");
    s.seats = 5000;
    s.viewers = 100;
    s.newcomers = s.sent = s.completed = 5000;
    s.joinP50Ms = 3.25;
    s.serverMsPerJoin = probed ? 0.042 : -1;
    s.bytesPerJoin = 1536;
    s.rssBeforeKb = probed ? 51200 : -1;
    return r;
}
} // namespace

// Join storms in words and in their own table, beside the fan-out table when both are given.
class tst_StormReport : public QObject
{
    Q_OBJECT

private slots:
    void tableRow_data();
    void tableRow();
    void summaryKeepsStormsApart();
    void details();
};

void tst_StormReport::tableRow_data()
{
    QTest::addColumn<QString>("snapshot");
    QTest::addColumn<bool>("probed");
    QTest::addColumn<QStringList>("cells"); // some of the row's cells, in order
    QTest::newRow("json, probed")
        << "json" << true
        << QStringList{"join-storm json", "5000/100/5000", "json", "5000/5000",  "3.3",
                       "0.042",           "1.5",           "12.5", "50.0/-/-/-", "1.00 2.00 3.00"};
    QTest::newRow("compact, not probed")
        << "compact" << false
        << QStringList{"join-storm compact", "compact, layout held", "-", "-/-/-/-"};
}

void tst_StormReport::tableRow()
{
    QFETCH(QString, snapshot);
    QFETCH(bool, probed);
    QFETCH(QStringList, cells);
    const QString text = StormReport::table({storm("join-storm " + snapshot, snapshot, probed)});
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // header, rule, one row
    QCOMPARE(lines[2].count(u'|'), lines[0].count(u'|'));
    QVERIFY2(!lines[2].contains(u'%'), qPrintable(lines[2]));
    qsizetype at = 0;
    for (const QString &cell : cells) {
        at = lines[2].indexOf(QStringLiteral("| %1 |").arg(cell), at);
        QVERIFY2(at >= 0, qPrintable(cell + " in " + lines[2]));
    }
}

void tst_StormReport::summaryKeepsStormsApart()
{
    BenchResult fanout;
    fanout.scenario = QStringLiteral("fanout");
    fanout.label = QStringLiteral("fanout 1k @10k");
    const QString text = BenchReport::summaryTable({storm("storm", "json", true), fanout});
    const qsizetype fanoutTable = text.indexOf(QLatin1String("| run |"));
    const qsizetype stormTable = text.indexOf(QLatin1String("| join-storm |"));
    QVERIFY(fanoutTable >= 0 && stormTable > fanoutTable);
    QVERIFY(text.indexOf(QLatin1String("| fanout 1k @10k |")) < stormTable);
    QVERIFY(text.indexOf(QLatin1String("| storm |")) > stormTable);
    QVERIFY(BenchReport::summaryTable({storm("storm", "json", true)}).startsWith("| join-storm |"));
}

void tst_StormReport::details()
{
    const QString text = BenchReport::details(storm("storm", "compact", true));
    for (const char *line : {"join-storm of 5000 newcomers", "storm      5000 of 5000 joins",
                             "bytes      1536 per join", "server CPU 0.042 ms per join",
                             "viewers    during the storm p50"})
        QVERIFY2(text.contains(QLatin1String(line)), line);
    QVERIFY(!text.contains(u'%') || !text.contains(QLatin1String("%1")));
    QVERIFY(BenchReport::details(storm("storm", "json", false))
                .contains(QLatin1String("server     not probed")));
}

QTEST_GUILESS_MAIN(tst_StormReport)
#include "tst_stormreport.moc"
