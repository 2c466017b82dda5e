// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"
#include "benchresult.h"
#include "windowmeter.h"

namespace Reservo::Bench {

class ClientPool;
class SeatPublisher;
struct WorkerStats;

// Turns what the workers and the publisher counted into the figures of a BenchResult, once the
// workers have stopped: connect times, both groups' checks and latencies, ramp steps.
class ResultCollector
{
public:
    static void fill(BenchResult &result, const BenchOptions &options, const ClientPool &pool,
                     const SeatPublisher *publisher);
    // The figures of a measured window: deliveries/s, server and bench CPU, server RSS.
    static void fillWindow(BenchResult &result, const WindowMeter::Delta &window);

private:
    static void fillHeader(BenchResult &result, const BenchOptions &options);
    static void fillConnect(BenchResult &result, const WorkerStats &stats);
    static void fillStorm(BenchResult &result, const WorkerStats &stats);
    static GroupResult group(const ClientPool &pool, const WorkerStats &stats, int group);
};

} // namespace Reservo::Bench
