// SPDX-License-Identifier: MIT
#include "benchreport.h"

#include "stormreport.h"

#include <QFile>
#include <QJsonDocument>

namespace Reservo::Bench {

namespace {
QString num(double value, int decimals = 1)
{
    return value < 0 ? QStringLiteral("-") : QString::number(value, 'f', decimals);
}

QString mb(qint64 kb)
{
    return kb < 0 ? QStringLiteral("-") : QString::number(double(kb) / 1024.0, 'f', 1) + " MB";
}
} // namespace

QString BenchReport::connectLine(const BenchResult &r)
{
    return QStringLiteral("connect    %1/%2 joined, %3 failed, in %4 s; per client p50 %5 ms, "
                          "p99 %6 ms, max %7 ms\n")
        .arg(r.joined)
        .arg(r.clients)
        .arg(r.failed)
        .arg(num(r.connectTotalS, 2))
        .arg(num(r.connectP50Ms, 2), num(r.connectP99Ms, 2), num(r.connectMaxMs, 2));
}

QString BenchReport::latencyLine(const QString &name, const LatencySummary &l)
{
    return QStringLiteral("%1 p50 %2 ms  p99 %3 ms  p99.9 %4 ms  max %5 ms  (mean %6 ms, %7 "
                          "samples)\n")
        .arg(name.leftJustified(10), num(l.p50, 3), num(l.p99, 3), num(l.p999, 3), num(l.max, 3),
             num(l.mean, 3))
        .arg(l.count);
}

QString BenchReport::checkLine(const QString &name, const GroupResult &g)
{
    return QStringLiteral("%1 %2 clients: expected %3, received %4, lost %5, duplicated %6, "
                          "superseded %7, stale seats %8, closed by server %9\n")
        .arg(name.leftJustified(10))
        .arg(g.clients)
        .arg(g.expected)
        .arg(g.received)
        .arg(g.lost)
        .arg(g.duplicated)
        .arg(g.superseded)
        .arg(g.staleSeats)
        .arg(g.closedByServer);
}

QString BenchReport::serverLines(const BenchResult &r)
{
    if (r.rssBeforeKb < 0)
        return QStringLiteral("server     not probed (give --server-pid)\n");
    QString text = QStringLiteral("server RSS %1 before, %2 connected (%3 KB per connection), "
                                  "%4 at the end, %5 after close, peak %6\n")
                       .arg(mb(r.rssBeforeKb), mb(r.rssConnectedKb), num(r.rssPerConnectionKb, 2),
                            mb(r.rssEndKb), mb(r.rssClosedKb), mb(r.rssPeakKb));
    text += QStringLiteral("server CPU %1 s in the window (%2% of one core), %3 us per delivery, "
                           "%4 threads; %5 s while all clients closed\n")
                .arg(num(r.serverCpuS, 2), num(r.serverCpuPercent), num(r.serverUsPerDelivery, 2))
                .arg(r.serverThreads)
                .arg(num(r.serverCloseCpuS, 2));
    return text;
}

QString BenchReport::deliveryLines(const BenchResult &r)
{
    QString text =
        QStringLiteral("window     %1 s: %2 changes published (%3 failed), %4 deliveries, "
                       "%5 deliveries/s\n")
            .arg(num(r.windowSeconds, 2))
            .arg(r.published)
            .arg(r.publishFailures)
            .arg(r.deliveriesInWindow)
            .arg(num(r.deliveriesPerSecond, 0));
    text += latencyLine(QStringLiteral("latency"), r.normal.latency);
    if (r.slowPercent > 0)
        text += latencyLine(QStringLiteral("slow"), r.slow.latency);
    text += latencyLine(QStringLiteral("nats hop"), r.natsHop);
    text += checkLine(QStringLiteral("check"), r.normal);
    if (r.slowPercent > 0)
        text += checkLine(QStringLiteral("slow"), r.slow);
    text += QStringLiteral("other      %1 snapshots, %2 presence, %3 pings, %4 unmatched seq, "
                           "%5 foreign updates\n")
                .arg(r.snapshots)
                .arg(r.presence)
                .arg(r.pings)
                .arg(r.unmatchedSeq)
                .arg(r.foreignUpdates);
    return text;
}

QString BenchReport::details(const BenchResult &r)
{
    if (r.isJoinStorm())
        return StormReport::details(r);
    QString text = QStringLiteral("reservo-bench %1: %2 clients in %3 rooms, %4 seats each, "
                                  "target %5 deliveries/s (%6 changes/s)\n")
                       .arg(r.label)
                       .arg(r.clients)
                       .arg(r.rooms)
                       .arg(r.seats)
                       .arg(num(r.targetRate, 0), num(r.changesPerSecond, 1));
    text +=
        QStringLiteral("run        %1, load average %2, %3\n").arg(r.date, r.machineLoad, r.url);
    if (!r.error.isEmpty())
        text += QStringLiteral("ERROR      %1\n").arg(r.error);
    text += connectLine(r);
    if (!r.firstFailure.isEmpty())
        text += QStringLiteral("           first failure: %1\n").arg(r.firstFailure);
    text += deliveryLines(r);
    text += serverLines(r);
    text += QStringLiteral("bench CPU  %1 s in the window (%2% of one core; client workers %3%, "
                           "reading with %5), max RSS %4 MB\n")
                .arg(num(r.benchCpuS, 2), num(r.benchCpuPercent), num(r.workerCpuPercent),
                     num(r.benchMaxRssMb), r.reads.isEmpty() ? QStringLiteral("recv") : r.reads);
    if (!r.notes.isEmpty())
        text += QStringLiteral("notes      %1\n").arg(r.notes);
    return text + rampTable(r);
}

QString BenchReport::rampTable(const BenchResult &r)
{
    if (r.steps.isEmpty())
        return {};
    QString text =
        QStringLiteral("\n| offered/s | delivered/s | p50 ms | p99 ms | max ms | late "
                       "| server CPU % | bench CPU % | saturated |\n|---:|---:|---:|---:|"
                       "---:|---:|---:|---:|:--|\n");
    for (const RampStep &s : r.steps)
        text += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6% | %7 | %8 | %9 |\n")
                    .arg(num(s.offered, 0), num(s.delivered, 0), num(s.latency.p50, 2),
                         num(s.latency.p99, 2), num(s.latency.max, 1), num(s.lateFraction * 100, 2),
                         num(s.serverCpuPercent, 0), num(s.benchCpuPercent, 0),
                         s.saturated ? QStringLiteral("yes") : QString());
    if (r.saturationRate < 0)
        return text +
               QStringLiteral("\nsaturation: not reached up to %1 deliveries/s%2\n")
                   .arg(num(r.steps.last().offered, 0),
                        r.saturationReason.isEmpty() ? QString() : " (" + r.saturationReason + ")");
    return text + QStringLiteral("\nsaturation: %1 deliveries/s (last good step %2): %3\n")
                      .arg(num(r.saturationRate, 0), num(r.lastGoodRate, 0), r.saturationReason);
}

QString BenchReport::summaryRow(const BenchResult &r)
{
    const GroupResult &n = r.normal;
    const bool idle = r.scenario == QLatin1String("idle");
    return QStringLiteral("| %1 | %2/%3 | %4 | %5 | %6 | %7 | %8 | %9 | %10 | %11 | %12 | %13 | "
                          "%14 | %15 | %16 |\n")
        .arg(r.label)
        .arg(r.joined)
        .arg(r.rooms)
        .arg(idle ? QStringLiteral("-") : num(r.targetRate, 0),
             idle ? QStringLiteral("-") : num(r.deliveriesPerSecond, 0),
             idle ? QStringLiteral("-") : num(n.latency.p50, 2),
             idle ? QStringLiteral("-") : num(n.latency.p99, 2),
             idle ? QStringLiteral("-") : num(n.latency.p999, 2),
             idle ? QStringLiteral("-") : num(n.latency.max, 1))
        .arg(QStringLiteral("%1/%2/%3")
                 .arg(n.lost + r.slow.lost)
                 .arg(n.duplicated + r.slow.duplicated)
                 .arg(n.superseded + r.slow.superseded))
        .arg(num(r.serverUsPerDelivery, 2), num(r.serverCpuPercent, 0),
             num(r.rssPerConnectionKb, 1), num(r.benchCpuPercent, 0), num(r.connectP99Ms, 1),
             r.error.isEmpty() ? r.machineLoad : "ERROR " + r.error);
}

QString BenchReport::idleLine(const BenchResult &r)
{
    return QStringLiteral("\n%1: server RSS %2 before, %3 with %4 idle connections (%5 KB each), "
                          "%6 after they all closed; %7% CPU while idle, %8 s of CPU to close "
                          "them; connecting all took %9 s\n")
        .arg(r.label, mb(r.rssBeforeKb), mb(r.rssConnectedKb))
        .arg(r.joined)
        .arg(num(r.rssPerConnectionKb, 1), mb(r.rssClosedKb), num(r.serverCpuPercent, 1),
             num(r.serverCloseCpuS, 2), num(r.connectTotalS, 1));
}

// Join-storms have columns of their own: their table follows the others'.
QString BenchReport::summaryTable(const QList<BenchResult> &all)
{
    QList<BenchResult> results, storms;
    for (const BenchResult &r : all)
        (r.isJoinStorm() ? storms : results).append(r);
    const QString stormTable = storms.isEmpty() ? QString() : StormReport::table(storms);
    if (results.isEmpty())
        return stormTable;
    QString text = QStringLiteral(
        "| run | clients/rooms | target/s | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms | "
        "lost/dup/superseded | srv us/delivery | srv CPU % | srv KB/conn | bench CPU % | "
        "connect p99 ms | load (1/5/15 min) |\n"
        "|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n");
    for (const BenchResult &r : results)
        text += summaryRow(r);
    for (const BenchResult &r : results) {
        if (r.scenario == QLatin1String("idle"))
            text += idleLine(r);
        if (!r.steps.isEmpty())
            text += QStringLiteral("\n%1:\n").arg(r.label) + rampTable(r);
        if (r.slowPercent > 0)
            text += QStringLiteral("\n%1: normal readers p99 %2 ms (%3 clients), slow readers p99 "
                                   "%4 ms (%5 clients), slow: superseded %6, lost %7, stale seats "
                                   "%8, closed by server %9\n")
                        .arg(r.label, num(r.normal.latency.p99, 2))
                        .arg(r.normal.clients)
                        .arg(num(r.slow.latency.p99, 2))
                        .arg(r.slow.clients)
                        .arg(r.slow.superseded)
                        .arg(r.slow.lost)
                        .arg(r.slow.staleSeats)
                        .arg(r.slow.closedByServer);
    }
    return stormTable.isEmpty() ? text : text + u'\n' + stormTable;
}

bool BenchReport::load(const QStringList &files, QList<BenchResult> &results, QString &error)
{
    for (const QString &path : files) {
        QFile file(path);
        QJsonParseError parseError;
        const QJsonDocument doc = file.open(QIODevice::ReadOnly)
                                      ? QJsonDocument::fromJson(file.readAll(), &parseError)
                                      : QJsonDocument();
        if (!doc.isObject()) {
            error = QStringLiteral("%1: not a reservo-bench JSON report").arg(path);
            return false;
        }
        results.append(BenchResult::fromJson(doc.object()));
    }
    return true;
}

} // namespace Reservo::Bench
