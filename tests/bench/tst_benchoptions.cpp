// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include <QTest>

using namespace Reservo::Bench;
using Scenario = BenchOptions::Scenario;

// Flags, scenario defaults (which explicit flags override) and the limits the bench enforces.
class tst_BenchOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void scenarioDefaultsThenFlags();
    void ramp();
    void summarize();
    void rejects_data();
    void rejects();
    void helpNamesEveryFlag();
};

namespace {
std::optional<BenchOptions> parse(QStringList args, QString *error = nullptr)
{
    args.prepend(QStringLiteral("reservo-bench"));
    BenchOptionsParser parser;
    const auto options = parser.parse(args);
    if (error)
        *error = parser.errorString();
    return options;
}
} // namespace

void tst_BenchOptions::defaults()
{
    const auto o = parse({});
    QVERIFY(o);
    QCOMPARE(o->scenario, Scenario::Fanout);
    QCOMPARE(o->clients, 1000);
    QCOMPARE(o->rooms, 10);
    QCOMPARE(o->rate, 10000.0);
    QVERIFY(o->eventPrefix.startsWith(QLatin1String("bench-")));
    QVERIFY(o->budgetSeconds() > o->durationS);
}

void tst_BenchOptions::scenarioDefaultsThenFlags()
{
    const auto hot = parse({"--clients", "300", "--scenario", "hot-room"});
    QVERIFY(hot);
    QCOMPARE(hot->scenario, Scenario::HotRoom);
    QCOMPARE(hot->rooms, 1);
    QCOMPARE(hot->clients, 300); // an explicit flag wins, wherever it stands
    const auto slow = parse({"--scenario=slow-readers", "--slow=25"});
    QVERIFY(slow);
    QCOMPARE(slow->slowPercent, 25);
    QCOMPARE(parse({"--scenario", "slow-readers"})->slowPercent, 10);
    QCOMPARE(parse({"--scenario", "idle"})->publishes(), false);
}

void tst_BenchOptions::ramp()
{
    const auto o = parse({"--scenario", "ramp", "--ramp", "1000:5000:1000:2.5"});
    QVERIFY(o);
    QCOMPARE(o->ramp.from, 1000.0);
    QCOMPARE(o->ramp.stepSeconds, 2.5);
    QCOMPARE(o->ramp.steps(), 5);
}

void tst_BenchOptions::summarize()
{
    const auto o = parse({"--summarize", "a.json", "b.json"});
    QVERIFY(o);
    QCOMPARE(o->summarize, (QStringList{"a.json", "b.json"}));
}

void tst_BenchOptions::rejects_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown flag") << QStringList{"--fast"} << "--fast";
    QTest::newRow("missing value") << QStringList{"--clients"} << "--clients";
    QTest::newRow("too many clients") << QStringList{"--clients", "2000000"} << "--clients";
    QTest::newRow("duration unbounded") << QStringList{"--duration", "3600"} << "--duration";
    QTest::newRow("bad ramp") << QStringList{"--ramp", "1:2:3"} << "--ramp";
    QTest::newRow("ramp downwards") << QStringList{"--ramp", "5000:1000:1000:1"} << "--ramp";
    QTest::newRow("ramp too long")
        << QStringList{"--scenario", "ramp", "--ramp", "1:100:1:10"} << "--ramp";
    QTest::newRow("more rooms than clients")
        << QStringList{"--clients", "5", "--rooms", "6"} << "--rooms";
    QTest::newRow("unknown scenario") << QStringList{"--scenario", "storm"} << "storm";
    QTest::newRow("zero rate") << QStringList{"--rate", "0"} << "--rate";
    QTest::newRow("bad prefix") << QStringList{"--event-prefix", "a b"} << "--event-prefix";
    QTest::newRow("slow over 100") << QStringList{"--slow", "101"} << "--slow";
}

void tst_BenchOptions::rejects()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!parse(args, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void tst_BenchOptions::helpNamesEveryFlag()
{
    const QString help = BenchOptionsParser::helpText();
    for (const char *flag : {"--scenario",    "--url",
                             "--nats-server", "--server-pid",
                             "--clients",     "--rooms",
                             "--seats",       "--rate",
                             "--ramp",        "--p99-bound",
                             "--slow",        "--duration",
                             "--warmup",      "--drain",
                             "--settle",      "--connect-timeout",
                             "--threads",     "--connect-concurrency",
                             "--slow-rcvbuf", "--event-prefix",
                             "--label",       "--json",
                             "--summarize",   "--help"})
        QVERIFY2(help.contains(QLatin1String(flag)), flag);
}

QTEST_GUILESS_MAIN(tst_BenchOptions)
#include "tst_benchoptions.moc"
