// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include <QRegularExpression>
#include <QTest>
#include <algorithm>

using namespace Reservo::Bench;
using Scenario = BenchOptions::Scenario;
using Reservo::SocketBatch;

Q_DECLARE_METATYPE(Reservo::SocketBatch::Method)

// Flags, scenario defaults (which explicit flags override) and the limits the bench enforces.
class tst_BenchOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults_data();
    void defaults();
    void flagsOnly();
    void scenarioDefaultsThenFlags();
    void ramp();
    void summarize();
    void eventIds();
    void joinStorm();
    void joinStormFlags_data();
    void joinStormFlags();
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
    const Reservo::OptionResult<BenchOptions> result =
        BenchOptionsParser::table().read({{}, {}, args});
    if (error)
        *error = result.error;
    return result.options;
}

// The options as text by flag, so that one column can check any of them.
QString field(const BenchOptions &o, const QString &flag)
{
    const auto n = [](double value) { return QString::number(value); };
    const BenchOptions::Ramp &r = o.ramp;
    const QMap<QString, QString> fields{
        {"scenario", BenchOptions::scenarioName(o.scenario)},
        {"url", o.url},
        {"nats-server", o.natsServer},
        {"server-pid", n(o.serverPid)},
        {"clients", n(o.clients)},
        {"rooms", n(o.rooms)},
        {"seats", n(o.seats)},
        {"rate", n(o.rate)},
        {"ramp", QStringList{n(r.from), n(r.to), n(r.step), n(r.stepSeconds)}.join(u':')},
        {"p99-bound", n(o.p99BoundMs)},
        {"slow", n(o.slowPercent)},
        {"duration", n(o.durationS)},
        {"warmup", n(o.warmupS)},
        {"drain", n(o.drainS)},
        {"settle", n(o.settleS)},
        {"connect-timeout", n(o.connectTimeoutS)},
        {"threads", n(o.threads)},
        {"connect-concurrency", n(o.connectConcurrency)},
        {"slow-rcvbuf", n(o.slowReceiveBuffer)},
        {"reads", o.reads == SocketBatch::Method::IoUring ? "io_uring" : "recv"},
        {"event-prefix", o.eventPrefix.section(u'-', 0, 0)}, // bench-<pid>-<time>
        {"events", o.eventIds.join(u',')},
        {"newcomers", n(o.newcomers)},
        {"changes", n(o.changesPerSecond)},
        {"snapshot", o.compactSnapshots ? "compact" : "json"},
        {"layout-held", o.layoutHeld ? "yes" : "no"},
        {"storm-timeout", n(o.stormTimeoutS)},
        {"label", o.label},
        {"json", o.json ? "true" : "false"},
        {"summarize", o.summarize.join(u',')},
    };
    return fields.value(flag, QStringLiteral("<no such field>"));
}
} // namespace

void tst_BenchOptions::defaults_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("value");
    const QMap<QString, QString> expected{
        {"scenario", "fanout"},
        {"url", "ws://127.0.0.1:3000/socket.io/"},
        {"nats-server", "nats://127.0.0.1:4222"},
        {"server-pid", "0"},
        {"clients", "1000"},
        {"rooms", "10"},
        {"seats", "100"},
        {"rate", "10000"},
        {"ramp", "10000:200000:10000:3"},
        {"p99-bound", "50"},
        {"slow", "0"},
        {"duration", "10"},
        {"warmup", "2"},
        {"drain", "5"},
        {"settle", "2"},
        {"connect-timeout", "120"},
        {"threads", "1"},
        {"connect-concurrency", "256"},
        {"slow-rcvbuf", "4096"},
        {"reads", "io_uring"},
        {"event-prefix", "bench"},
        {"events", ""},
        {"newcomers", "1000"},
        {"changes", "50"},
        {"snapshot", "json"},
        {"layout-held", "yes"},
        {"storm-timeout", "120"},
        {"label", ""},
        {"json", "false"},
        {"summarize", ""},
    };
    for (const Reservo::Option<BenchOptions> &option : BenchOptionsParser::table().options())
        QTest::newRow(qPrintable(option.flag)) << option.flag << expected.value(option.flag, "?");
}

void tst_BenchOptions::defaults()
{
    QFETCH(QString, flag);
    QFETCH(QString, value);
    const auto o = parse({});
    QVERIFY(o);
    QCOMPARE(field(*o, flag), value);
    QVERIFY(o->budgetSeconds() > o->durationS);
    const auto &options = BenchOptionsParser::table().options();
    const auto option = std::find_if(options.cbegin(), options.cend(),
                                     [&](const auto &x) { return x.flag == flag; });
    if (!option->defaultValue.isEmpty()) // --help shows the default the table reads
        QCOMPARE(option->defaultValue, value);
}

// The bench reads no ./.env and no environment: its flags say everything.
void tst_BenchOptions::flagsOnly()
{
    const Reservo::OptionResult<BenchOptions> result = BenchOptionsParser::table().read(
        {{{"NATS_SERVER", "nats://10.0.0.1:1"}}, "not a .env", {"reservo-bench"}});
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(result.options->natsServer, QStringLiteral("nats://127.0.0.1:4222"));
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

void tst_BenchOptions::joinStorm()
{
    const auto o = parse({"--scenario", "join-storm"});
    QVERIFY(o);
    QCOMPARE(o->scenario, Scenario::JoinStorm);
    QCOMPARE(BenchOptions::scenarioName(o->scenario), QStringLiteral("join-storm"));
    QCOMPARE(o->clients, 100); // the viewers
    QCOMPARE(o->rooms, 1);
    QCOMPARE(o->newcomers, 1000);
    QCOMPARE(o->changesPerSecond, 50.0);
    QCOMPARE(o->compactSnapshots, false);
    QCOMPARE(o->layoutHeld, true);
    QCOMPARE(o->durationS, 3.0); // the baseline window
    QCOMPARE(o->probes(), 0);    // a JSON join has no layout to learn
    QCOMPARE(o->connections(), 1100);
    QVERIFY(o->publishes());
    QVERIFY(o->eventIds.isEmpty()); // the first upcoming event
    QVERIFY(o->budgetSeconds() > o->stormTimeoutS + o->connectTimeoutS);
    QVERIFY(!parse({})->isJoinStorm());
}

void tst_BenchOptions::joinStormFlags_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("newcomers");
    QTest::addColumn<double>("changes");
    QTest::addColumn<bool>("compact");
    QTest::addColumn<bool>("layoutHeld");
    QTest::addColumn<int>("connections");
    QTest::newRow("compact, layout held: one probe")
        << QStringList{"--snapshot", "compact", "--newcomers", "5000", "--clients", "100"} << 5000
        << 50.0 << true << true << 5101;
    QTest::newRow("compact, no layout held: no probe")
        << QStringList{"--snapshot=compact", "--layout-held=no", "--newcomers=50"} << 50 << 50.0
        << true << false << 150;
    QTest::newRow("json, changes") << QStringList{"--snapshot", "json", "--changes", "0"} << 1000
                                   << 0.0 << false << true << 1100;
    QTest::newRow("an event named")
        << QStringList{"--events", "6df9e0b4-5155-5c9a-9976-dc99974df849", "--clients", "5"} << 1000
        << 50.0 << false << true << 1005;
}

void tst_BenchOptions::joinStormFlags()
{
    QFETCH(QStringList, args);
    QFETCH(int, newcomers);
    QFETCH(double, changes);
    QFETCH(bool, compact);
    QFETCH(bool, layoutHeld);
    QFETCH(int, connections);
    QString error;
    const auto o = parse(QStringList{"--scenario", "join-storm"} + args, &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->newcomers, newcomers);
    QCOMPARE(o->changesPerSecond, changes);
    QCOMPARE(o->compactSnapshots, compact);
    QCOMPARE(o->layoutHeld, layoutHeld);
    QCOMPARE(o->connections(), connections);
    QCOMPARE(o->rooms, 1);
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
    QTest::newRow("join-storm: two events")
        << QStringList{"--scenario", "join-storm", "--events", "a,b"} << "join-storm";
    QTest::newRow("join-storm: two rooms")
        << QStringList{"--scenario", "join-storm", "--rooms", "2"} << "join-storm";
    QTest::newRow("join-storm: snapshot neither json nor compact")
        << QStringList{"--scenario", "join-storm", "--snapshot", "binary"} << "--snapshot";
    QTest::newRow("join-storm: layout-held maybe")
        << QStringList{"--scenario", "join-storm", "--layout-held", "maybe"} << "--layout-held";
    QTest::newRow("join-storm: no newcomers")
        << QStringList{"--scenario", "join-storm", "--newcomers", "0"} << "--newcomers";
    QTest::newRow("join-storm: negative changes")
        << QStringList{"--scenario", "join-storm", "--changes", "-1"} << "--changes";
    QTest::newRow("join-storm: storm timeout unbounded")
        << QStringList{"--scenario", "join-storm", "--storm-timeout", "3600"} << "--storm-timeout";
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
    const QString help = BenchOptionsParser::table().helpText(QStringLiteral("reservo-bench"));
    QVERIFY(help.startsWith(QLatin1String("Usage: reservo-bench [options]\n")));
    for (const Reservo::Option<BenchOptions> &option : BenchOptionsParser::table().options()) {
        const QRegularExpression line("\\n  --" + QRegularExpression::escape(option.flag) +
                                      "[ \\n]");
        QVERIFY2(help.contains(line), qPrintable(option.flag));
    }
    QVERIFY(help.contains(QLatin1String("\n  --help ")));
    QVERIFY(help.contains(QLatin1String("join-storm")));
}

QTEST_GUILESS_MAIN(tst_BenchOptions)
#include "tst_benchoptions.moc"
