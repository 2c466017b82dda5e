// SPDX-License-Identifier: MIT
#include "benchresult.h"
#include "childprocess.h"
#include "httpexchange.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "socketbatch.h"
#include "testhelpers.h"

#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;
using Reservo::Bench::BenchResult;
using Reservo::Bench::StormResult;

namespace {
constexpr int Clients = 60;
constexpr int RunTimeoutMs = 120000; // connect, warm-up, a 1 s window and the drain, on 2 cores
// The join storm: W viewers in a room of S seats at C changes/s, then N newcomers join at once.
constexpr int StormSeats = 200;
constexpr int StormViewers = 5;
constexpr int StormNewcomers = 50;
constexpr int StormChanges = 20;

QString io_uringOr(const char *fallback)
{
    return SocketBatch(SocketBatch::Method::IoUring).method() == SocketBatch::Method::IoUring
               ? QStringLiteral("io_uring")
               : QString::fromLatin1(fallback);
}

// reservo-bench-floor (RESERVO_FLOOR_EXE) on a free loopback port, awaited on /readyz.
class FloorProcess
{
public:
    bool start(const QString &natsUrl, const QString &writes)
    {
        m_port = freeLoopbackPort();
        m_process.setChannelMode(QProcess::MergedChannels);
        const auto ready = [this] {
            HttpExchange probe(m_port, "GET", "/readyz");
            probe.start();
            return probe.waitForFinished(2000) && probe.response().status == 200;
        };
        return m_process.findProgram(QStringLiteral("RESERVO_FLOOR_EXE")) &&
               m_process.start({"--port", QString::number(m_port), "--nats-server", natsUrl,
                                "--writes", writes}) &&
               m_process.waitUntil(ready, QStringLiteral("a 200 from /readyz"));
    }
    // SIGTERM; what it said at exit (its delivery and drop counts).
    QByteArray stop()
    {
        m_process.stop();
        return m_process.output();
    }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.pid(); }
    QString errorString() const { return m_process.errorString(); }

private:
    ChildProcess m_process{QStringLiteral("reservo-bench-floor")};
    quint16 m_port = 0;
};
} // namespace

// reservo-bench end to end against real servers: every client joins, every change reaches every
// client once, and the report says how the bench read and what the server cost. Against
// reservo-ws (io_uring writes, then send()) and against reservo-bench-floor (both ways), reading
// with io_uring and with recv(): the paths behind every figure in docs/BENCHMARKS.md. A small
// join storm, with the real events simulator serving the room's seats: every newcomer gets the
// room's complete snapshot in the format it asked for, and the viewers lose nothing.
class tst_BenchRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyDeliveryIsCounted_data();
    void everyDeliveryIsCounted();
    void joinStorm_data();
    void joinStorm();

private:
    std::optional<BenchResult> runBench(quint16 port, qint64 pid, const QString &reads);
    std::optional<BenchResult> runBench(quint16 port, qint64 pid, const QStringList &arguments);

    NatsServerProcess m_nats;
};

void tst_BenchRun::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_BenchRun::everyDeliveryIsCounted_data()
{
    QTest::addColumn<bool>("floor");
    QTest::addColumn<QString>("writes");
    QTest::addColumn<QString>("reads");
    QTest::newRow("reservo-ws, io_uring writes and reads") << false << "io_uring"
                                                           << "io_uring";
    QTest::newRow("reservo-ws, send() and recv()") << false << "send"
                                                   << "recv";
    QTest::newRow("floor, io_uring writes and reads") << true << "io_uring"
                                                      << "io_uring";
    QTest::newRow("floor, send() and recv()") << true << "send"
                                              << "recv";
}

void tst_BenchRun::everyDeliveryIsCounted()
{
    QFETCH(bool, floor);
    QFETCH(QString, writes);
    QFETCH(QString, reads);
    ServiceProcess service;
    FloorProcess floorServer;
    if (floor)
        QVERIFY2(floorServer.start(m_nats.url(), writes), qPrintable(floorServer.errorString()));
    else
        QVERIFY2(service.start(m_nats.url(), {{"RESERVO_SOCKET_WRITES", writes}}),
                 qPrintable(service.errorString()));
    const std::optional<BenchResult> r =
        floor ? runBench(floorServer.port(), floorServer.pid(), reads)
              : runBench(service.port(), service.pid(), reads);
    QVERIFY(r);
    QCOMPARE(r->error, QString());
    QCOMPARE(r->joined, Clients);
    QCOMPARE(r->failed, 0);
    QVERIFY(r->deliveriesInWindow > 0);
    QVERIFY(r->normal.expected > r->deliveriesInWindow);
    QCOMPARE(r->normal.received, r->normal.expected);
    QCOMPARE(r->normal.lost, quint64(0));
    QCOMPARE(r->normal.duplicated, quint64(0));
    QCOMPARE(r->normal.staleSeats, quint64(0));
    QCOMPARE(r->normal.closedByServer, quint64(0));
    QCOMPARE(r->reads, reads == "recv" ? reads : io_uringOr("recv"));
    QVERIFY2(r->serverUsPerDelivery > 0, "the server's CPU was read from /proc");
    if (floor) {
        const QByteArray said = floorServer.stop();
        QVERIFY2(said.contains(" 0 clients dropped"), said.constData());
    } else {
        const QByteArray expected =
            "writes with " +
            (writes == "send" ? QByteArray("send()") : io_uringOr("send()").toUtf8());
        QVERIFY2(service.output().contains(expected), service.output().constData());
    }
}

void tst_BenchRun::joinStorm_data()
{
    QTest::addColumn<bool>("floor");
    QTest::addColumn<QString>("snapshot");
    QTest::addColumn<QString>("layoutHeld");
    QTest::newRow("reservo-ws, JSON") << false << "json"
                                      << "yes";
    QTest::newRow("reservo-ws, compact, layout held") << false << "compact"
                                                      << "yes";
    QTest::newRow("reservo-ws, compact, no layout held") << false << "compact"
                                                         << "no";
    QTest::newRow("floor, compact, layout held") << true << "compact"
                                                 << "yes";
}

void tst_BenchRun::joinStorm()
{
    QFETCH(bool, floor);
    QFETCH(QString, snapshot);
    QFETCH(QString, layoutHeld);
    SimProcess sim;
    SimProcess::Options events;
    events.seats = StormSeats;
    QVERIFY2(sim.start(m_nats.url(), events), qPrintable(sim.errorString()));
    ServiceProcess service;
    FloorProcess floorServer;
    if (floor)
        QVERIFY2(floorServer.start(m_nats.url(), "io_uring"),
                 qPrintable(floorServer.errorString()));
    else
        QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    const std::optional<BenchResult> r = runBench(
        floor ? floorServer.port() : service.port(), floor ? floorServer.pid() : service.pid(),
        {"--scenario",      "join-storm",
         "--events",        sim.eventIds().value(0),
         "--clients",       QString::number(StormViewers),
         "--newcomers",     QString::number(StormNewcomers),
         "--changes",       QString::number(StormChanges),
         "--snapshot",      snapshot,
         "--layout-held",   layoutHeld,
         "--duration",      "1",
         "--warmup",        "0.5",
         "--settle",        "0.5",
         "--storm-timeout", "30"});
    QVERIFY(r);
    QCOMPARE(r->error, QString());
    QVERIFY2(r->notes.isEmpty(), qPrintable(r->notes));
    const StormResult &s = r->storm;
    QCOMPARE(s.eventId, sim.eventIds().value(0));
    QCOMPARE(s.seats, StormSeats);
    QCOMPARE(s.viewers, StormViewers);
    QCOMPARE(r->joined, StormViewers);
    QCOMPARE(s.ready, quint64(StormNewcomers));
    // Every newcomer has the complete map, in the format it asked for.
    QCOMPARE(s.sent, quint64(StormNewcomers));
    QCOMPARE(s.completed, quint64(StormNewcomers));
    QCOMPARE(s.refused + s.incomplete + s.closedByServer, quint64(0));
    QCOMPARE(s.jsonForCompact + s.unaskedLayouts + s.layoutMismatches, quint64(0));
    const bool compact = snapshot == QLatin1String("compact");
    const bool held = compact && layoutHeld == QLatin1String("yes");
    QCOMPARE(s.layouts, compact && !held ? quint64(StormNewcomers) : quint64(0));
    QCOMPARE(s.layout.size(), held ? 16 : 0);
    QCOMPARE(s.probeCompact, held);
    // A seat takes ~60 bytes of a JSON snapshot and a quarter of a byte of a compact one.
    QVERIFY2(compact ? s.mapBytesPerJoin < (held ? 400 : StormSeats * 60)
                     : s.mapBytesPerJoin > StormSeats * 60,
             qPrintable(QString::number(s.mapBytesPerJoin)));
    QVERIFY(s.bytesPerJoin >= s.mapBytesPerJoin);
    QVERIFY(s.joinP50Ms > 0 && s.joinP50Ms <= s.joinP99Ms && s.joinP99Ms <= s.joinMaxMs);
    QVERIFY(s.stormSeconds > 0 && s.stormSeconds * 1000 >= s.joinMaxMs * 0.99);
    // The viewers lost nothing, before, during and after the storm.
    QVERIFY(r->normal.expected > 0);
    QCOMPARE(r->normal.received, r->normal.expected);
    QCOMPARE(r->normal.lost + r->normal.duplicated + r->normal.staleSeats, quint64(0));
    QCOMPARE(r->unmatchedSeq + r->foreignUpdates, quint64(0));
    // The server was probed around the storm.
    QVERIFY(s.stormCpuS >= 0 && s.baselineCpuPercent >= 0 && s.stormWindowS > 0);
    QVERIFY(s.rssBeforeKb > 0 && s.rssEndKb > 0 && s.rssSettledKb > 0 && s.rssLeftKb > 0);
    QVERIFY(s.workerCpuPercent >= 0 && s.benchCpuPercent >= 0);
}

std::optional<BenchResult> tst_BenchRun::runBench(quint16 port, qint64 pid, const QString &reads)
{
    return runBench(port, pid,
                    {"--clients", QString::number(Clients), "--rooms", "3", "--rate", "3000",
                     "--duration", "1", "--warmup", "0.5", "--settle", "0.2", "--reads", reads});
}

std::optional<BenchResult> tst_BenchRun::runBench(quint16 port, qint64 pid,
                                                  const QStringList &arguments)
{
    ChildProcess bench(QStringLiteral("reservo-bench"));
    const bool done =
        bench.findProgram(QStringLiteral("RESERVO_BENCH_EXE")) &&
        bench.start(QStringList{"--url", QStringLiteral("ws://127.0.0.1:%1/socket.io/").arg(port),
                                "--nats-server", m_nats.url(), "--server-pid", QString::number(pid),
                                "--json"} +
                    arguments) &&
        bench.waitForExit(RunTimeoutMs);
    if (!done || bench.exitStatus() != QProcess::NormalExit || bench.exitCode() != 0) {
        qWarning().noquote() << "reservo-bench failed:" << bench.exitCode() << bench.errorString()
                             << bench.standardError();
        return std::nullopt;
    }
    const QJsonDocument json = QJsonDocument::fromJson(bench.standardOutput());
    if (!json.isObject()) {
        qWarning().noquote() << "reservo-bench printed no JSON report:" << bench.standardError();
        return std::nullopt;
    }
    return BenchResult::fromJson(json.object());
}

QTEST_GUILESS_MAIN(tst_BenchRun)
#include "tst_benchrun.moc"
