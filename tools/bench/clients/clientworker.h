// SPDX-License-Identifier: MIT
#pragma once

#include "benchconnection.h"
#include "seattracker.h"
#include "workercontext.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace Reservo::Bench {

// One thread with one epoll loop driving a share of the bench clients: it starts their connects
// a few at a time, then reads and checks everything they receive, and has its newcomers join or
// leave when told. Other threads steer it only through atomics, a locked list of join orders and
// an eventfd; its statistics are read after stop().
class ClientWorker
{
public:
    struct Client
    {
        int room = 0;
        bool slow = false;
        bool newcomer = false; // connects, then waits for a join order
    };
    // Up to `count` of this worker's waiting newcomers send this join, in their order.
    struct JoinOrder
    {
        JoinBatch batch = JoinBatch::Storm;
        std::string payload; // the join-event-room payload, e.g. {"eventId":"…"}
        JoinProgress::Request request;
        size_t count = SIZE_MAX;
    };

    ClientWorker(const ClientSetup &setup, const std::vector<Client> &clients, int concurrency,
                 uint64_t seed);
    ~ClientWorker();
    ClientWorker(const ClientWorker &) = delete;
    ClientWorker &operator=(const ClientWorker &) = delete;

    bool start(std::string &error);
    // Slow readers stop (false) or resume (true) reading.
    void setSlowReading(bool reading);
    // From any thread: newcomers join, or close.
    void order(const JoinOrder &order);
    void closeNewcomers();
    void stop();

    const WorkerCounters &counters() const { return m_ctx.counters; }
    // CPU time of the worker thread so far (any thread may ask while it runs).
    int64_t cpuNs() const;
    SocketBatch::Method readMethod() const { return m_reads.method(); }

    // Only after stop():
    const WorkerStats &stats() const { return m_ctx.stats; }
    SeatTracker::Tally tally(int group) const;
    void closeAll();

private:
    void run();
    void dispatch(uint32_t token, uint32_t events);
    // Joined clients with only bytes to read go into one SocketBatch receive per wake-up.
    bool batchRead(uint32_t token, uint32_t events);
    void receiveBatch();
    void startMore();
    void checkTimeouts();
    void applyCommands();
    void applyJoinOrders();
    void wake();

    WorkerContext m_ctx;
    std::vector<std::unique_ptr<BenchConnection>> m_connections;
    SocketBatch m_reads;
    std::vector<SocketBatch::Transfer> m_batch;
    std::vector<uint32_t> m_batchTokens;
    std::vector<char> m_batchBuffers; // one slot per event of a wake-up
    int m_concurrency;
    size_t m_next = 0;     // next connection to start
    size_t m_scanFrom = 0; // connections before this one have finished their handshake
    int64_t m_lastScanNs = 0;
    int m_wakeFd = -1;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_slowReading{true};
    bool m_slowReadingApplied = true;
    std::atomic<bool> m_closeNewcomers{false};
    std::mutex m_ordersMutex;
    std::vector<JoinOrder> m_orders;
    std::thread m_thread;
};

} // namespace Reservo::Bench
