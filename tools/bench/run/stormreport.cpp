// SPDX-License-Identifier: MIT
#include "stormreport.h"

namespace Reservo::Bench {

namespace {
QString num(double value, int decimals = 1)
{
    return value < 0 ? QStringLiteral("-") : QString::number(value, 'f', decimals);
}

QString mb(qint64 kb)
{
    return kb < 0 ? QStringLiteral("-") : QString::number(double(kb) / 1024.0, 'f', 1);
}

QString kb(double bytes)
{
    return bytes < 0 ? QStringLiteral("-") : QString::number(bytes / 1024.0, 'f', 1);
}

QString mode(const StormResult &s)
{
    if (s.snapshot != QLatin1String("compact"))
        return s.snapshot;
    return s.layoutHeld ? QStringLiteral("compact, layout held") : QStringLiteral("compact");
}
} // namespace

QString StormReport::headLines(const BenchResult &r)
{
    const StormResult &s = r.storm;
    QString text = QStringLiteral("reservo-bench %1: join-storm of %2 newcomers, event %3 (%4 "
                                  "seats), %5 viewers, %6 changes/s, snapshot %7\n")
                       .arg(r.label)
                       .arg(s.newcomers)
                       .arg(s.eventId)
                       .arg(s.seats)
                       .arg(s.viewers)
                       .arg(num(s.changesPerSecond, 0), mode(s));
    text +=
        QStringLiteral("run        %1, load average %2, %3\n").arg(r.date, r.machineLoad, r.url);
    if (!r.error.isEmpty())
        text += QStringLiteral("ERROR      %1\n").arg(r.error);
    text += QStringLiteral("connect    %1 viewers joined, %2 newcomers connected, %3 failed, in "
                           "%4 s; per client p50 %5 ms, p99 %6 ms\n")
                .arg(r.joined)
                .arg(s.ready)
                .arg(r.failed)
                .arg(num(r.connectTotalS, 2), num(r.connectP50Ms, 2), num(r.connectP99Ms, 2));
    if (!r.firstFailure.isEmpty())
        text += QStringLiteral("           first failure: %1\n").arg(r.firstFailure);
    return text;
}

QString StormReport::joinLines(const BenchResult &r)
{
    const StormResult &s = r.storm;
    QString text =
        QStringLiteral("storm      %1 of %2 joins complete in %3 s (refused %4, incomplete %5, "
                       "newcomers closed by the server %6); join to complete snapshot p50 %7 "
                       "ms, p99 %8 ms, max %9 ms\n")
            .arg(s.completed)
            .arg(s.sent)
            .arg(num(s.stormSeconds, 2))
            .arg(s.refused)
            .arg(s.incomplete)
            .arg(s.closedByServer)
            .arg(num(s.joinP50Ms, 2), num(s.joinP99Ms, 2), num(s.joinMaxMs, 2));
    text += QStringLiteral("bytes      %1 per join on the wire (framing included), of which %2 "
                           "the layout and snapshot frames; layout %3\n")
                .arg(num(s.bytesPerJoin, 0), num(s.mapBytesPerJoin, 0),
                     s.layout.isEmpty() ? QStringLiteral("-") : s.layout);
    text += QStringLiteral("answers    %1 JSON snapshots for compact joins, %2 layouts received, "
                           "%3 layouts sent though held, %4 compact snapshots of a layout not "
                           "held, %5 partial snapshots\n")
                .arg(s.jsonForCompact)
                .arg(s.layouts)
                .arg(s.unaskedLayouts)
                .arg(s.layoutMismatches)
                .arg(s.partialSnapshots);
    const LatencySummary &l = r.normal.latency;
    text += QStringLiteral("viewers    during the storm p50 %1 ms, p99 %2 ms, max %3 ms (%4 "
                           "deliveries); over the run: expected %5, received %6, lost %7, "
                           "duplicated %8, stale seats %9\n")
                .arg(num(l.p50, 2), num(l.p99, 2), num(l.max, 2))
                .arg(l.count)
                .arg(r.normal.expected)
                .arg(r.normal.received)
                .arg(r.normal.lost)
                .arg(r.normal.duplicated)
                .arg(r.normal.staleSeats);
    return text;
}

QString StormReport::serverLines(const BenchResult &r)
{
    const StormResult &s = r.storm;
    if (r.rssBeforeKb < 0)
        return QStringLiteral("server     not probed (give --server-pid)\n");
    QString text =
        QStringLiteral("server CPU %1 ms per join: %2 s in the storm's %3 s, less the baseline "
                       "%4% of a core (measured over %5 s before it)\n")
            .arg(num(s.serverMsPerJoin, 3), num(s.stormCpuS, 2), num(s.stormWindowS, 2),
                 num(s.baselineCpuPercent, 1), num(s.baselineWindowS, 1));
    text += QStringLiteral("server RSS %1 MB before the storm, %2 MB at its end, %3 MB settled "
                           "with the newcomers, %4 MB after they left; peak %5 MB\n")
                .arg(mb(s.rssBeforeKb), mb(s.rssEndKb), mb(s.rssSettledKb), mb(s.rssLeftKb),
                     mb(r.rssPeakKb));
    return text;
}

QString StormReport::details(const BenchResult &r)
{
    const StormResult &s = r.storm;
    QString text = headLines(r) + joinLines(r) + serverLines(r);
    text += QStringLiteral("bench CPU  %1% of one core during the storm (client workers %2% "
                           "each, reading with %3), max RSS %4 MB; NATS hop p50 %5 ms\n")
                .arg(num(s.benchCpuPercent, 0), num(s.workerCpuPercent, 0),
                     r.reads.isEmpty() ? QStringLiteral("recv") : r.reads, num(r.benchMaxRssMb),
                     num(r.natsHop.p50, 2));
    if (!r.notes.isEmpty())
        text += QStringLiteral("notes      %1\n").arg(r.notes);
    return text;
}

QString StormReport::row(const BenchResult &r)
{
    const StormResult &s = r.storm;
    const LatencySummary &l = r.normal.latency;
    return QStringLiteral("| %1 | %2/%3/%4 | %5 | %6/%7 | %8 | %9 | %10 | %11 | %12 | %13 | %14 | "
                          "%15 | %16 | %17 | %18 | %19 | %20 |\n")
        .arg(r.label)
        .arg(s.seats)
        .arg(s.viewers)
        .arg(s.newcomers)
        .arg(mode(s))
        .arg(s.completed)
        .arg(s.sent)
        .arg(num(s.joinP50Ms, 1), num(s.joinP99Ms, 1), num(s.joinMaxMs, 1), num(s.stormSeconds, 2),
             num(s.serverMsPerJoin, 3), kb(s.bytesPerJoin), num(l.p50, 1), num(l.p99, 1),
             num(l.max, 1))
        .arg(r.normal.lost)
        .arg(QStringLiteral("%1/%2/%3/%4")
                 .arg(mb(s.rssBeforeKb), mb(s.rssEndKb), mb(s.rssSettledKb), mb(s.rssLeftKb)))
        .arg(QStringLiteral("%1 (%2)").arg(num(s.benchCpuPercent, 0), num(s.workerCpuPercent, 0)),
             r.error.isEmpty() ? r.machineLoad : "ERROR " + r.error);
}

QString StormReport::table(const QList<BenchResult> &results)
{
    QString text = QStringLiteral(
        "| join-storm | seats/viewers/newcomers | snapshot | complete | join p50 ms | join p99 "
        "ms | join max ms | storm s | srv CPU ms/join | KB/join | viewers p50 ms | viewers p99 "
        "ms | viewers max ms | viewers lost | srv RSS MB before/end/settled/left | bench CPU % "
        "(workers) | load (1/5/15 min) |\n"
        "|:--|--:|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:--|\n");
    for (const BenchResult &r : results)
        text += row(r);
    for (const BenchResult &r : results) {
        if (!r.notes.trimmed().isEmpty())
            text += QStringLiteral("\n%1: %2").arg(r.label, r.notes.trimmed());
    }
    return text + u'\n';
}

} // namespace Reservo::Bench
