// SPDX-License-Identifier: MIT
#pragma once

#include "clientworker.h"
#include "seattracker.h"
#include "workerstats.h"

#include <memory>
#include <string>
#include <vector>

namespace Reservo::Bench {

// All bench clients, spread over worker threads: client i joins room i % rooms and runs on
// worker i % threads, and the given percentage of every room's members read slowly; newcomer j
// (join-storm) waits for a join order on worker j % threads. Sums what the workers count.
class ClientPool
{
public:
    struct Plan
    {
        int clients = 0;
        int rooms = 1;
        int slowPercent = 0;
        int threads = 1;
        int newcomers = 0; // in room 0, after the members
    };

    explicit ClientPool(const ClientSetup &setup) : m_setup(setup) {}
    ~ClientPool();

    bool start(const Plan &plan, std::string &error);
    // Whether the m-th member of a room is a slow reader: spreads `percent` evenly.
    static bool isSlow(int member, int percent);

    uint64_t joined() const;
    uint64_t ready() const;
    uint64_t failed() const;
    // Members joined, newcomers waiting, or either failed.
    uint64_t settled() const { return joined() + ready() + failed(); }
    uint64_t open() const;
    uint64_t deliveries() const { return deliveries(0) + deliveries(1); }
    uint64_t deliveries(int group) const;
    uint64_t closedByPeer(int group) const;
    uint64_t newcomersClosedByPeer() const;
    uint64_t joinsDone(JoinBatch batch) const;
    uint64_t late() const;
    int64_t cpuNs() const;
    // How the workers read (io_uring may have been refused).
    SocketBatch::Method readMethod() const;

    void setSlowReading(bool reading);
    // Up to `count` waiting newcomers send this join (all of them by default), then their wait
    // for the map starts.
    void orderJoins(const ClientWorker::JoinOrder &order);
    void closeNewcomers();
    void stop();
    // After stop():
    WorkerStats mergedStats() const;
    SeatTracker::Tally tally(int group) const;
    void closeAll();

private:
    template <typename F> uint64_t sum(F field) const;

    const ClientSetup &m_setup;
    std::vector<std::unique_ptr<ClientWorker>> m_workers;
};

} // namespace Reservo::Bench
