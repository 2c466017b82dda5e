// SPDX-License-Identifier: MIT
#include "benchresult.h"
#include "childprocess.h"
#include "httpexchange.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "socketbatch.h"
#include "testhelpers.h"

#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;
using Reservo::Bench::BenchResult;

namespace {
constexpr int Clients = 60;
constexpr int RunTimeoutMs = 120000; // connect, warm-up, a 1 s window and the drain, on 2 cores

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
// with io_uring and with recv(): the paths behind every figure in docs/BENCHMARKS.md.
class tst_BenchRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyDeliveryIsCounted_data();
    void everyDeliveryIsCounted();

private:
    std::optional<BenchResult> runBench(quint16 port, qint64 pid, const QString &reads);

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

std::optional<BenchResult> tst_BenchRun::runBench(quint16 port, qint64 pid, const QString &reads)
{
    ChildProcess bench(QStringLiteral("reservo-bench"));
    const bool done =
        bench.findProgram(QStringLiteral("RESERVO_BENCH_EXE")) &&
        bench.start({"--url",         QStringLiteral("ws://127.0.0.1:%1/socket.io/").arg(port),
                     "--nats-server", m_nats.url(),
                     "--server-pid",  QString::number(pid),
                     "--clients",     QString::number(Clients),
                     "--rooms",       "3",
                     "--rate",        "3000",
                     "--duration",    "1",
                     "--warmup",      "0.5",
                     "--settle",      "0.2",
                     "--reads",       reads,
                     "--json"}) &&
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
