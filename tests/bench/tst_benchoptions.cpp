// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include <QTest>

using namespace Reservo::Bench;
using Scenario = BenchOptions::Scenario;
using Reservo::SocketBatch;

Q_DECLARE_METATYPE(Reservo::SocketBatch::Method)

// Flags, scenario defaults (which explicit flags override) and the limits the bench enforces.
class tst_BenchOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void scenarioDefaultsThenFlags();
    void ramp();
    void summarize();
    void eventIds();
    void reads_data();
    void reads();
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

void tst_BenchOptions::eventIds()
{
    const auto o = parse({"--scenario", "idle", "--clients", "50", "--rooms", "7", "--events",
                          "018bc508-30a3-5c61-a3b2-a4b2fc662885,,sim-2"});
    QVERIFY(o);
    QCOMPARE(o->eventIds, (QStringList{"018bc508-30a3-5c61-a3b2-a4b2fc662885", "sim-2"}));
    QCOMPARE(o->rooms, 2); // the ids decide, whatever --rooms said
    QVERIFY(parse({})->eventIds.isEmpty());
}

void tst_BenchOptions::reads_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<SocketBatch::Method>("method");
    QTest::newRow("default") << QStringList{} << SocketBatch::Method::IoUring;
    QTest::newRow("io_uring") << QStringList{"--reads", "io_uring"} << SocketBatch::Method::IoUring;
    QTest::newRow("recv") << QStringList{"--reads=recv"} << SocketBatch::Method::Syscalls;
}

void tst_BenchOptions::reads()
{
    QFETCH(QStringList, args);
    QFETCH(SocketBatch::Method, method);
    const auto o = parse(args);
    QVERIFY(o);
    QCOMPARE(o->reads, method);
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
    QTest::newRow("reads with send") << QStringList{"--reads", "send"} << "--reads";
    QTest::newRow("reads empty") << QStringList{"--reads="} << "--reads";
    QTest::newRow("events while publishing") << QStringList{"--events", "e1"} << "--events";
    QTest::newRow("event id with a quote")
        << QStringList{"--scenario", "idle", "--events", "e1,e\"2"} << "--events";
    QTest::newRow("event id too long")
        << QStringList{"--scenario", "idle", "--events", QString(129, u'e')} << "--events";
    QTest::newRow("more event ids than clients")
        << QStringList{"--scenario", "idle", "--clients", "1", "--events", "a,b"} << "--rooms";
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
    for (const char *flag : {"--scenario",        "--url",     "--nats-server",
                             "--server-pid",      "--clients", "--rooms",
                             "--seats",           "--rate",    "--ramp",
                             "--p99-bound",       "--slow",    "--duration",
                             "--warmup",          "--drain",   "--settle",
                             "--connect-timeout", "--threads", "--connect-concurrency",
                             "--slow-rcvbuf",     "--reads",   "--event-prefix",
                             "--events",          "--label",   "--json",
                             "--summarize",       "--help"})
        QVERIFY2(help.contains(QLatin1String(flag)), flag);
}

QTEST_GUILESS_MAIN(tst_BenchOptions)
#include "tst_benchoptions.moc"
