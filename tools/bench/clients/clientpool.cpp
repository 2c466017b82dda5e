// SPDX-License-Identifier: MIT
#include "clientpool.h"

namespace Reservo::Bench {

ClientPool::~ClientPool()
{
    stop();
    closeAll();
}

bool ClientPool::isSlow(int member, int percent)
{
    // Bresenham: member m is slow when floor((m+1)p/100) steps past floor(mp/100).
    return (int64_t(member) + 1) * percent / 100 > int64_t(member) * percent / 100;
}

bool ClientPool::start(const Plan &plan, std::string &error)
{
    const int threads = std::max(1, plan.threads);
    std::vector<std::vector<ClientWorker::Client>> shares(static_cast<size_t>(threads));
    for (int i = 0; i < plan.clients; ++i) {
        const int room = i % plan.rooms;
        const bool slow = isSlow(i / plan.rooms, plan.slowPercent);
        shares[size_t(i % threads)].push_back({room, slow, false});
    }
    for (int j = 0; j < plan.newcomers; ++j)
        shares[size_t(j % threads)].push_back({0, false, true});
    const int concurrency = std::max(1, m_setup.connectConcurrency / threads);
    for (int t = 0; t < threads; ++t) {
        m_workers.push_back(std::make_unique<ClientWorker>(m_setup, shares[size_t(t)], concurrency,
                                                           uint64_t(t) + 1));
        if (!m_workers.back()->start(error))
            return false;
    }
    return true;
}

SocketBatch::Method ClientPool::readMethod() const
{
    for (const auto &worker : m_workers)
        if (worker->readMethod() != SocketBatch::Method::IoUring)
            return worker->readMethod();
    return m_setup.reads;
}

template <typename F> uint64_t ClientPool::sum(F field) const
{
    uint64_t total = 0;
    for (const auto &worker : m_workers)
        total += field(worker->counters()).load(std::memory_order_relaxed);
    return total;
}

uint64_t ClientPool::joined() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.joined; });
}

uint64_t ClientPool::ready() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.ready; });
}

uint64_t ClientPool::newcomersClosedByPeer() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.newcomersClosedByPeer; });
}

uint64_t ClientPool::joinsDone(JoinBatch batch) const
{
    return sum([batch](const WorkerCounters &c) -> const auto & {
        return c.joinsDone[int(batch)];
    });
}

uint64_t ClientPool::failed() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.failed; });
}

uint64_t ClientPool::open() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.open; });
}

uint64_t ClientPool::deliveries(int group) const
{
    return sum([group](const WorkerCounters &c) -> const auto & { return c.deliveries[group]; });
}

uint64_t ClientPool::closedByPeer(int group) const
{
    return sum([group](const WorkerCounters &c) -> const auto & { return c.closedByPeer[group]; });
}

uint64_t ClientPool::late() const
{
    return sum([](const WorkerCounters &c) -> const auto & { return c.late; });
}

int64_t ClientPool::cpuNs() const
{
    int64_t total = 0;
    for (const auto &worker : m_workers)
        total += worker->cpuNs();
    return total;
}

void ClientPool::setSlowReading(bool reading)
{
    for (const auto &worker : m_workers)
        worker->setSlowReading(reading);
}

// Newcomer j is on worker j % threads: the first `count` are spread the same way.
void ClientPool::orderJoins(const ClientWorker::JoinOrder &order)
{
    const size_t workers = m_workers.size();
    for (size_t w = 0; w < workers && w < order.count; ++w) {
        ClientWorker::JoinOrder share = order;
        if (order.count != SIZE_MAX)
            share.count = order.count / workers + (w < order.count % workers ? 1 : 0);
        m_workers[w]->order(share);
    }
}

void ClientPool::closeNewcomers()
{
    for (const auto &worker : m_workers)
        worker->closeNewcomers();
}

void ClientPool::stop()
{
    for (const auto &worker : m_workers)
        worker->stop();
}

WorkerStats ClientPool::mergedStats() const
{
    WorkerStats total;
    for (const auto &worker : m_workers)
        total.merge(worker->stats());
    return total;
}

SeatTracker::Tally ClientPool::tally(int group) const
{
    SeatTracker::Tally total;
    for (const auto &worker : m_workers)
        total.add(worker->tally(group));
    return total;
}

void ClientPool::closeAll()
{
    for (const auto &worker : m_workers)
        worker->closeAll();
}

} // namespace Reservo::Bench
