// SPDX-License-Identifier: MIT
#include "resultcollector.h"

#include "clientpool.h"
#include "joinstorm.h"
#include "seatpublisher.h"
#include "serverprobe.h"

namespace Reservo::Bench {

namespace {
constexpr double NsPerMs = 1e6;
}

void ResultCollector::fill(BenchResult &result, const BenchOptions &options, const ClientPool &pool,
                           const SeatPublisher *publisher)
{
    fillHeader(result, options);
    const WorkerStats stats = pool.mergedStats();
    fillConnect(result, stats);
    result.normal = group(pool, stats, 0);
    result.slow = group(pool, stats, 1);
    result.unmatchedSeq = stats.unmatchedSeq;
    result.foreignUpdates = stats.foreignUpdates;
    result.snapshots = stats.snapshots;
    result.presence = stats.presence;
    result.pings = stats.pings;
    for (qsizetype i = 0; i < result.steps.size() && size_t(i) < stats.steps.size(); ++i)
        result.steps[i].latency = LatencySummary::from(stats.steps[size_t(i)]);
    if (publisher) {
        result.published = publisher->published();
        result.publishFailures = publisher->failed();
        result.natsHop = LatencySummary::from(publisher->natsHop());
    }
    if (options.isJoinStorm())
        fillStorm(result, stats);
    result.benchMaxRssMb = double(SelfUsage::now().maxRssKb) / 1024.0;
    result.reads = pool.readMethod() == SocketBatch::Method::IoUring ? QStringLiteral("io_uring")
                                                                     : QStringLiteral("recv");
}

// A room that is not fresh (an earlier run's changes) has seats in other states than the event
// says: some of this run's changes alter nothing, are not broadcast, and count as lost.
void ResultCollector::fillStorm(BenchResult &result, const WorkerStats &stats)
{
    JoinStorm::fillJoins(result.storm, stats.joins[int(JoinBatch::Storm)]);
    const int64_t seq = stats.joins[int(JoinBatch::Members)].snapshotSeq;
    if (seq > 0)
        result.notes += QStringLiteral(" the room was at seq %1 when the viewers joined, not 0: "
                                       "not fresh (start a new server), so lost updates are "
                                       "not meaningful;")
                            .arg(seq);
}

void ResultCollector::fillWindow(BenchResult &r, const WindowMeter::Delta &d)
{
    r.windowSeconds = d.seconds;
    r.deliveriesInWindow = d.deliveries;
    r.deliveriesPerSecond = d.perSecond(d.deliveries);
    r.serverCpuS = d.serverCpuS;
    r.serverCpuPercent = d.serverCpuPercent();
    if (d.serverCpuS >= 0 && d.deliveries > 0)
        r.serverUsPerDelivery = d.serverCpuS * 1e6 / double(d.deliveries);
    if (d.serverEnd.ok) {
        r.rssEndKb = d.serverEnd.rssKb;
        r.serverThreads = d.serverEnd.threads;
    }
    r.benchCpuS = d.benchCpuS;
    r.benchCpuPercent = d.seconds > 0 ? d.benchCpuS / d.seconds * 100 : 0;
    r.workerCpuPercent = d.seconds > 0 ? d.workerCpuS / d.seconds * 100 : 0;
}

void ResultCollector::fillHeader(BenchResult &r, const BenchOptions &o)
{
    const bool ramp = o.scenario == BenchOptions::Scenario::Ramp;
    r.scenario = BenchOptions::scenarioName(o.scenario);
    r.label = !o.label.isEmpty()
                  ? o.label
                  : QStringLiteral("%1 %2c/%3r").arg(r.scenario).arg(o.clients).arg(o.rooms);
    if (o.label.isEmpty() && o.isJoinStorm())
        r.label = QStringLiteral("join-storm %1 newcomers, %2 viewers, %3")
                      .arg(o.newcomers)
                      .arg(o.clients)
                      .arg(o.compactSnapshots ? QStringLiteral("compact") : QStringLiteral("json"));
    else if (o.label.isEmpty() && o.publishes())
        r.label += ramp ? QStringLiteral(" ramp to %1/s").arg(o.ramp.to)
                        : QStringLiteral(" @%1/s").arg(o.rate);
    r.url = o.url;
    r.clients = o.clients;
    r.rooms = o.rooms;
    r.seats = o.seats;
    r.threads = o.threads;
    r.slowPercent = o.slowPercent;
    r.targetRate = !o.publishes()    ? 0
                   : o.isJoinStorm() ? o.changesPerSecond * o.clients // to the viewers
                   : ramp            ? o.ramp.to
                                     : o.rate;
    r.changesPerSecond = r.targetRate / o.clientsPerRoom();
}

void ResultCollector::fillConnect(BenchResult &r, const WorkerStats &stats)
{
    r.connectP50Ms = double(stats.connectNs.percentile(50)) / NsPerMs;
    r.connectP99Ms = double(stats.connectNs.percentile(99)) / NsPerMs;
    r.connectMaxMs = double(stats.connectNs.max()) / NsPerMs;
    if (stats.lastJoinNs > stats.firstStartNs && stats.firstStartNs > 0)
        r.connectTotalS = double(stats.lastJoinNs - stats.firstStartNs) / 1e9;
    r.firstFailure = QString::fromStdString(stats.firstFailure);
}

GroupResult ResultCollector::group(const ClientPool &pool, const WorkerStats &stats, int group)
{
    const SeatTracker::Tally tally = pool.tally(group);
    GroupResult g;
    g.clients = int(tally.clients);
    g.expected = tally.expected;
    g.received = tally.received;
    g.lost = tally.lost;
    g.superseded = tally.superseded;
    g.staleSeats = tally.staleSeats;
    g.duplicated = stats.duplicates[group];
    g.closedByServer = pool.closedByPeer(group);
    g.latency = LatencySummary::from(stats.latency[group]);
    return g;
}

} // namespace Reservo::Bench
