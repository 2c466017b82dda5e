// SPDX-License-Identifier: MIT
#include "workerstats.h"

#include "clientsetup.h"

#include <algorithm>

namespace Reservo::Bench {

void WorkerStats::recordLatency(int64_t sentNs, int64_t latencyNs, int group,
                                const RunWindows &windows)
{
    if (sentNs >= windows.measureFromNs.load(std::memory_order_relaxed) &&
        sentNs < windows.measureToNs.load(std::memory_order_relaxed))
        latency[group].record(latencyNs);
    const int64_t rampStart = windows.rampStartNs.load(std::memory_order_relaxed);
    if (rampStart == 0 || windows.stepNs <= 0 || sentNs < rampStart)
        return;
    const int64_t step = (sentNs - rampStart) / windows.stepNs;
    if (step >= windows.steps)
        return;
    if (steps.size() < size_t(windows.steps))
        steps.resize(size_t(windows.steps));
    steps[size_t(step)].record(latencyNs);
}

void JoinStats::recordSent(int64_t sentNs)
{
    ++sent;
    if (!firstSentNs || sentNs < firstSentNs)
        firstSentNs = sentNs;
}

void JoinStats::record(const JoinProgress &join)
{
    if (join.state() == JoinProgress::State::Refused) {
        ++refused;
        return;
    }
    ++completed;
    timeNs.add(join.elapsedNs());
    jsonForCompact += join.jsonForCompact() ? 1 : 0;
    layouts += join.receivedLayout() ? 1 : 0;
    unaskedLayouts += uint64_t(join.unaskedLayouts());
    layoutMismatches += uint64_t(join.layoutMismatches());
    partialSnapshots += uint64_t(join.partialSnapshots());
    bytes += join.bytes();
    mapBytes += join.mapBytes();
    lastDoneNs = std::max(lastDoneNs, join.doneNs());
    layout = join.layout();
    snapshotSeq = std::max(snapshotSeq, join.snapshotSeq());
}

void JoinStats::merge(const JoinStats &o)
{
    timeNs.merge(o.timeNs);
    sent += o.sent;
    completed += o.completed;
    refused += o.refused;
    jsonForCompact += o.jsonForCompact;
    layouts += o.layouts;
    unaskedLayouts += o.unaskedLayouts;
    layoutMismatches += o.layoutMismatches;
    partialSnapshots += o.partialSnapshots;
    bytes += o.bytes;
    mapBytes += o.mapBytes;
    if (o.firstSentNs && (!firstSentNs || o.firstSentNs < firstSentNs))
        firstSentNs = o.firstSentNs;
    lastDoneNs = std::max(lastDoneNs, o.lastDoneNs);
    if (!o.layout.empty())
        layout = o.layout;
    snapshotSeq = std::max(snapshotSeq, o.snapshotSeq);
}

void WorkerStats::recordFailure(const std::string &why)
{
    if (failures++ == 0)
        firstFailure = why;
}

void WorkerStats::merge(const WorkerStats &other)
{
    for (int g = 0; g < Groups; ++g) {
        latency[g].merge(other.latency[g]);
        duplicates[g] += other.duplicates[g];
    }
    if (steps.size() < other.steps.size())
        steps.resize(other.steps.size());
    for (size_t i = 0; i < other.steps.size(); ++i)
        steps[i].merge(other.steps[i]);
    for (int b = 0; b < JoinBatches; ++b)
        joins[b].merge(other.joins[b]);
    connectNs.merge(other.connectNs);
    if (other.firstStartNs && (!firstStartNs || other.firstStartNs < firstStartNs))
        firstStartNs = other.firstStartNs;
    lastJoinNs = std::max(lastJoinNs, other.lastJoinNs);
    unmatchedSeq += other.unmatchedSeq;
    foreignUpdates += other.foreignUpdates;
    snapshots += other.snapshots;
    presence += other.presence;
    pings += other.pings;
    otherMessages += other.otherMessages;
    if (failures == 0 && other.failures)
        firstFailure = other.firstFailure;
    failures += other.failures;
}

} // namespace Reservo::Bench
