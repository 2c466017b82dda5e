// SPDX-License-Identifier: MIT
#include "joinstorm.h"

#include "clientpool.h"
#include "monotonicclock.h"
#include "resultcollector.h"
#include "seatpublisher.h"
#include "windowmeter.h"

namespace Reservo::Bench {

namespace {
constexpr double MapWaitS = 30; // the viewers' maps, the probe's: the events service answers
constexpr double PollS = 0.005;
constexpr double BusyWorkerPercent = 90;
constexpr double NsPerMs = 1e6;

int64_t toNs(double seconds)
{
    return int64_t(seconds * 1e9);
}
} // namespace

void JoinStorm::run(BenchResult &result)
{
    const BenchOptions &o = m_ctx.options;
    StormResult &s = result.storm;
    s.eventId = QString::fromStdString(m_ctx.setup.eventIds.front());
    s.snapshot = o.compactSnapshots ? QStringLiteral("compact") : QStringLiteral("json");
    s.layoutHeld = o.compactSnapshots && o.layoutHeld;
    s.newcomers = quint64(o.newcomers);
    s.viewers = result.joined;
    s.changesPerSecond = o.changesPerSecond;
    s.ready = m_ctx.pool.ready() - std::min<uint64_t>(m_ctx.pool.ready(), o.probes());
    if (!awaitJoins(JoinBatch::Members, uint64_t(result.joined),
                    QStringLiteral("the viewers' complete snapshots (does the events service "
                                   "answer events.get.id for %1?)")
                        .arg(s.eventId)) ||
        !prepareJoin(result))
        return;
    m_ctx.publisher.requestRate(o.changesPerSecond);
    if (!m_ctx.sleepFor(o.warmupS))
        return;
    measureBaseline(s);
    storm(result);
    afterStorm(s);
}

bool JoinStorm::awaitJoins(JoinBatch batch, uint64_t count, const QString &what)
{
    const int64_t until = monotonicNs() + toNs(MapWaitS);
    while (m_ctx.pool.joinsDone(batch) < count) {
        if (monotonicNs() > until) {
            m_ctx.abort(QStringLiteral("%1 did not arrive within %2 s").arg(what).arg(MapWaitS));
            return false;
        }
        if (!m_ctx.sleepFor(PollS))
            return false;
    }
    return true;
}

// The newcomers' payload: the original client's `{"eventId"}`, or a compact join naming the
// layout version that one compact join (the probe) got, as a returning visitor would.
bool JoinStorm::prepareJoin(BenchResult &result)
{
    const BenchOptions &o = m_ctx.options;
    const std::string event = "{\"eventId\":\"" + m_ctx.setup.eventIds.front() + "\"";
    m_request = {o.compactSnapshots, {}};
    m_payload = event + (o.compactSnapshots ? ",\"snapshot\":\"compact\"}" : "}");
    if (!o.compactSnapshots || !o.layoutHeld)
        return true;
    m_ctx.pool.orderJoins({JoinBatch::Probe, m_payload, m_request, 1});
    if (!awaitJoins(JoinBatch::Probe, 1, QStringLiteral("the probe's compact snapshot")))
        return false;
    ProbeOutcome &probe = *m_ctx.setup.probe;
    std::lock_guard lock(probe.mutex);
    result.storm.probeCompact = probe.compact;
    result.storm.layout = QString::fromStdString(probe.layout);
    if (probe.layout.empty()) {
        result.notes += QStringLiteral(" the server answered a compact join without a layout "
                                       "(it ignores the extension): newcomers name none;");
        return true;
    }
    m_request.heldLayout = probe.layout;
    m_payload = event + ",\"snapshot\":\"compact\",\"layout\":\"" + probe.layout + "\"}";
    return true;
}

void JoinStorm::measureBaseline(StormResult &s)
{
    WindowMeter meter(m_ctx.probe, m_ctx.pool);
    meter.open();
    m_ctx.sleepFor(m_ctx.options.durationS);
    meter.close();
    const WindowMeter::Delta d = meter.delta();
    s.baselineWindowS = d.seconds;
    s.baselineCpuPercent = d.serverCpuPercent();
    s.rssBeforeKb = d.serverEnd.ok ? d.serverEnd.rssKb : -1;
}

// From the joins ordered to the last complete snapshot (or a newcomer closed, or the timeout);
// the viewers' latency counts for the changes published in between.
void JoinStorm::storm(BenchResult &result)
{
    StormResult &s = result.storm;
    WindowMeter meter(m_ctx.probe, m_ctx.pool);
    const uint64_t closedBefore = m_ctx.pool.newcomersClosedByPeer();
    const uint64_t gone = closedBefore + uint64_t(m_ctx.options.probes());
    const uint64_t waiting = m_ctx.pool.ready() - std::min(m_ctx.pool.ready(), gone);
    const auto over = [&] {
        const uint64_t closed = m_ctx.pool.newcomersClosedByPeer() - closedBefore;
        return m_ctx.pool.joinsDone(JoinBatch::Storm) + closed >= waiting;
    };
    m_ctx.windows.measureFromNs.store(meter.open());
    m_ctx.pool.orderJoins({JoinBatch::Storm, m_payload, m_request, SIZE_MAX});
    const int64_t until = monotonicNs() + toNs(m_ctx.options.stormTimeoutS);
    bool running = true;
    while (!over() && monotonicNs() < until && (running = m_ctx.sleepFor(PollS))) {
    }
    m_ctx.windows.measureToNs.store(meter.close());
    const WindowMeter::Delta d = meter.delta();
    ResultCollector::fillWindow(result, d);
    s.closedByServer = m_ctx.pool.newcomersClosedByPeer() - closedBefore;
    s.stormCpuS = d.serverCpuS;
    s.stormWindowS = d.seconds;
    s.rssEndKb = d.serverEnd.ok ? d.serverEnd.rssKb : -1;
    s.benchCpuPercent = result.benchCpuPercent;
    s.workerCpuPercent = result.workerCpuPercent / m_ctx.options.threads;
    if (running && !over())
        result.notes += QStringLiteral(" the storm's timeout (%1 s) ended the wait;")
                            .arg(m_ctx.options.stormTimeoutS);
    if (s.workerCpuPercent >= BusyWorkerPercent)
        result.notes += QStringLiteral(" the bench's client workers were at %1% of a core each "
                                       "during the storm: the bench may be the bottleneck "
                                       "(more --threads);")
                            .arg(s.workerCpuPercent, 0, 'f', 0);
}

void JoinStorm::afterStorm(StormResult &s)
{
    if (!m_ctx.sleepFor(m_ctx.options.settleS))
        return;
    const ServerProbe::Sample settled = m_ctx.probe.sample();
    s.rssSettledKb = settled.ok ? settled.rssKb : -1;
    m_ctx.pool.closeNewcomers();
    if (!m_ctx.sleepFor(m_ctx.options.settleS))
        return;
    const ServerProbe::Sample left = m_ctx.probe.sample();
    s.rssLeftKb = left.ok ? left.rssKb : -1;
}

void JoinStorm::fillJoins(StormResult &s, const JoinStats &j)
{
    s.sent = j.sent;
    s.completed = j.completed;
    s.refused = j.refused;
    s.incomplete = j.sent - std::min(j.sent, j.completed + j.refused);
    s.jsonForCompact = j.jsonForCompact;
    s.layouts = j.layouts;
    s.unaskedLayouts = j.unaskedLayouts;
    s.layoutMismatches = j.layoutMismatches;
    s.partialSnapshots = j.partialSnapshots;
    if (j.completed > 0) {
        s.joinP50Ms = double(j.timeNs.percentile(50)) / NsPerMs;
        s.joinP99Ms = double(j.timeNs.percentile(99)) / NsPerMs;
        s.joinMaxMs = double(j.timeNs.max()) / NsPerMs;
        s.bytesPerJoin = double(j.bytes) / double(j.completed);
        s.mapBytesPerJoin = double(j.mapBytes) / double(j.completed);
    }
    if (j.firstSentNs > 0 && j.lastDoneNs > j.firstSentNs)
        s.stormSeconds = double(j.lastDoneNs - j.firstSentNs) / 1e9;
    s.computeCpuPerJoin();
}

} // namespace Reservo::Bench
