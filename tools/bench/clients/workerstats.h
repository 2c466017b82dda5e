// SPDX-License-Identifier: MIT
#pragma once

#include "deliveryhistogram.h"
#include "joinprogress.h"
#include "samplestats.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace Reservo::Bench {

struct RunWindows;

// Clients are either normal readers (group 0) or slow readers that stop reading (group 1).
inline constexpr int Groups = 2;

// Joins are counted by who sent them: members as they connect, a join-storm's probe (the one
// join that learns the room's layout), and the storm's newcomers.
enum class JoinBatch { Members, Probe, Storm };
inline constexpr int JoinBatches = 3;

// Counters the orchestrator reads while a worker runs. Only the worker writes them, so an
// increment is a relaxed load and store, not a locked instruction.
struct WorkerCounters
{
    std::atomic<uint64_t> joined{0};
    std::atomic<uint64_t> ready{0}; // newcomers connected, waiting to join
    std::atomic<uint64_t> failed{0};
    std::atomic<uint64_t> open{0};
    std::atomic<uint64_t> closedByPeer[Groups]{};
    std::atomic<uint64_t> newcomersClosedByPeer{0};
    // Joins whose wait is over: the map in hand, or the join refused.
    std::atomic<uint64_t> joinsDone[JoinBatches]{};
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

// What the joins of one batch came to (JoinProgress, summed): the time from each join sent to
// the room's map in hand, the bytes it took, and whatever the server did otherwise.
struct JoinStats
{
    SampleStats timeNs;
    uint64_t sent = 0;
    uint64_t completed = 0;
    uint64_t refused = 0;
    uint64_t jsonForCompact = 0;
    uint64_t layouts = 0; // joins that received a room-layout
    uint64_t unaskedLayouts = 0;
    uint64_t layoutMismatches = 0;
    uint64_t partialSnapshots = 0;
    uint64_t bytes = 0;    // every frame from the join to its map, framing included
    uint64_t mapBytes = 0; // the layout and snapshot frames alone
    int64_t firstSentNs = 0;
    int64_t lastDoneNs = 0;
    std::string layout; // the layout version the joins ended up holding (compact)
    int64_t snapshotSeq = -1;

    void recordSent(int64_t sentNs);
    // A join whose wait is over.
    void record(const JoinProgress &join);
    void merge(const JoinStats &other);
};

// Everything else a worker observed; read only after its thread has stopped, then merged.
struct WorkerStats
{
    DeliveryHistogram latency[Groups];    // changes published in the measured window
    std::vector<DeliveryHistogram> steps; // ramp steps, by publish time
    JoinStats joins[JoinBatches];
    SampleStats connectNs; // connect() to join ack, per client
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
