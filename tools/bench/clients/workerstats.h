// SPDX-License-Identifier: MIT
#pragma once

#include "deliveryhistogram.h"
#include "samplestats.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace Reservo::Bench {

struct RunWindows;

// Clients are either normal readers (group 0) or slow readers that stop reading (group 1).
inline constexpr int Groups = 2;

// Counters the orchestrator reads while a worker runs. Only the worker writes them, so an
// increment is a relaxed load and store, not a locked instruction.
struct WorkerCounters
{
    std::atomic<uint64_t> joined{0};
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> open{0};
    std::atomic<uint64_t> closedByPeer[Groups]{};
    std::atomic<uint64_t> deliveries[Groups]{};
    std::atomic<uint64_t> late{0};

    static void bump(std::atomic<uint64_t> &counter, uint64_t by = 1)
    {
        counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    }
    static void drop(std::atomic<uint64_t> &counter)
    {
        counter.store(counter.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    }
};

// Everything else a worker observed; read only after its thread has stopped, then merged.
struct WorkerStats
{
    DeliveryHistogram latency[Groups];    // changes published in the measured window
    std::vector<DeliveryHistogram> steps; // ramp steps, by publish time
    SampleStats connectNs;                // connect() to join ack, per client
    int64_t firstStartNs = 0;
    int64_t lastJoinNs = 0;
    uint64_t duplicates[Groups] = {0, 0};
    uint64_t unmatchedSeq = 0;   // a `seq` that does not name the change the bench published
    uint64_t foreignUpdates = 0; // another room's or an unknown seat's update
    uint64_t snapshots = 0;
    uint64_t presence = 0;
    uint64_t pings = 0;
    uint64_t otherMessages = 0;
    uint64_t failures = 0;
    std::string firstFailure;

    void recordLatency(int64_t sentNs, int64_t latencyNs, int group, const RunWindows &windows);
    void recordFailure(const std::string &why);
    void merge(const WorkerStats &other);
};

} // namespace Reservo::Bench
