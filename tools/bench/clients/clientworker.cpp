// SPDX-License-Identifier: MIT
#include "clientworker.h"

#include "monotonicclock.h"
#include "publishlog.h"

#include <cerrno>
#include <cstring>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Reservo::Bench {

namespace {
constexpr uint32_t WakeToken = 0xFFFFFFFFu;
constexpr int MaxEvents = 512;
constexpr int64_t TimeoutScanNs = 100'000'000;
// Per socket and wake-up: a fan-out's messages are a few hundred bytes; a fuller socket is read
// on with recv() (BenchConnection::handleReceived).
constexpr size_t BatchSlotBytes = 8 * 1024;
} // namespace

ClientWorker::ClientWorker(const ClientSetup &setup, const std::vector<Client> &clients,
                           int concurrency, uint64_t seed)
    : m_reads(setup.reads, MaxEvents), m_batchBuffers(size_t(MaxEvents) * BatchSlotBytes),
      m_concurrency(std::max(1, concurrency))
{
    m_ctx.setup = &setup;
    m_ctx.random ^= seed * 0x9E3779B97F4A7C15ULL;
    m_connections.reserve(clients.size());
    for (size_t i = 0; i < clients.size(); ++i)
        m_connections.push_back(std::make_unique<BenchConnection>(
            m_ctx, uint32_t(i), clients[i].room, clients[i].slow, clients[i].newcomer));
}

ClientWorker::~ClientWorker()
{
    stop();
    closeAll();
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_ctx.epollFd >= 0)
        ::close(m_ctx.epollFd);
}

bool ClientWorker::start(std::string &error)
{
    m_ctx.epollFd = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_ctx.epollFd < 0 || m_wakeFd < 0) {
        error = std::string("epoll/eventfd: ") + std::strerror(errno);
        return false;
    }
    epoll_event event{EPOLLIN, {}};
    event.data.u32 = WakeToken;
    epoll_ctl(m_ctx.epollFd, EPOLL_CTL_ADD, m_wakeFd, &event);
    m_thread = std::thread([this] { run(); });
    return true;
}

void ClientWorker::run()
{
    epoll_event events[MaxEvents];
    while (!m_stopping.load(std::memory_order_acquire)) {
        m_ctx.nowNs = monotonicNs();
        startMore();
        const bool connecting = m_ctx.inFlight > 0 || m_next < m_connections.size();
        const int n = epoll_wait(m_ctx.epollFd, events, MaxEvents, connecting ? 5 : 100);
        m_ctx.nowNs = monotonicNs();
        for (int i = 0; i < n; ++i)
            if (!batchRead(events[i].data.u32, events[i].events))
                dispatch(events[i].data.u32, events[i].events);
        receiveBatch();
        applyCommands();
        if (connecting)
            checkTimeouts();
    }
}

void ClientWorker::dispatch(uint32_t token, uint32_t events)
{
    if (token != WakeToken) {
        m_connections[token]->handleEvents(events);
        return;
    }
    uint64_t ignored = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &ignored, sizeof ignored);
}

bool ClientWorker::batchRead(uint32_t token, uint32_t events)
{
    if (token == WakeToken || events != EPOLLIN || !m_connections[token]->readsInBatches())
        return false;
    char *slot = m_batchBuffers.data() + m_batch.size() * BatchSlotBytes;
    m_batch.push_back({m_connections[token]->descriptor(), slot, BatchSlotBytes});
    m_batchTokens.push_back(token);
    return true;
}

void ClientWorker::receiveBatch()
{
    m_reads.receive(m_batch);
    for (size_t i = 0; i < m_batch.size(); ++i)
        m_connections[m_batchTokens[i]]->handleReceived(m_batch[i].data, m_batch[i].result,
                                                        BatchSlotBytes);
    m_batch.clear();
    m_batchTokens.clear();
}

void ClientWorker::startMore()
{
    while (m_ctx.inFlight < m_concurrency && m_next < m_connections.size())
        m_connections[m_next++]->start();
}

void ClientWorker::checkTimeouts()
{
    if (m_ctx.nowNs - m_lastScanNs < TimeoutScanNs)
        return;
    m_lastScanNs = m_ctx.nowNs;
    using Phase = BenchConnection::Phase;
    while (m_scanFrom < m_next && (m_connections[m_scanFrom]->phase() == Phase::Joined ||
                                   m_connections[m_scanFrom]->phase() == Phase::Closed))
        ++m_scanFrom;
    for (size_t i = m_scanFrom; i < m_next; ++i)
        m_connections[i]->checkTimeout();
}

void ClientWorker::applyCommands()
{
    applyJoinOrders();
    if (m_closeNewcomers.exchange(false, std::memory_order_acq_rel)) {
        for (const auto &connection : m_connections)
            if (connection->isNewcomer())
                connection->close();
    }
    const bool wanted = m_slowReading.load(std::memory_order_acquire);
    if (wanted == m_slowReadingApplied)
        return;
    m_slowReadingApplied = wanted;
    for (const auto &connection : m_connections) {
        if (connection->isSlow())
            connection->setReading(wanted);
    }
}

// Each join is stamped when it leaves: the last of thousands goes a few milliseconds after the
// first, and its wait starts then.
void ClientWorker::applyJoinOrders()
{
    std::vector<JoinOrder> orders;
    {
        std::lock_guard lock(m_ordersMutex);
        orders.swap(m_orders);
    }
    for (const JoinOrder &order : orders) {
        size_t sent = 0;
        for (size_t i = 0; i < m_connections.size() && sent < order.count; ++i) {
            BenchConnection &connection = *m_connections[i];
            if (!connection.isNewcomer() || connection.phase() != BenchConnection::Phase::Ready)
                continue;
            m_ctx.nowNs = monotonicNs();
            connection.join(order.batch, order.payload, order.request);
            ++sent;
        }
    }
}

void ClientWorker::setSlowReading(bool reading)
{
    m_slowReading.store(reading, std::memory_order_release);
    wake();
}

void ClientWorker::order(const JoinOrder &order)
{
    {
        std::lock_guard lock(m_ordersMutex);
        m_orders.push_back(order);
    }
    wake();
}

void ClientWorker::closeNewcomers()
{
    m_closeNewcomers.store(true, std::memory_order_release);
    wake();
}

void ClientWorker::wake()
{
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
}

void ClientWorker::stop()
{
    if (!m_thread.joinable())
        return;
    m_stopping.store(true, std::memory_order_release);
    wake();
    m_thread.join();
}

int64_t ClientWorker::cpuNs() const
{
    clockid_t clock{};
    timespec ts{};
    if (!m_thread.joinable() ||
        pthread_getcpuclockid(const_cast<std::thread &>(m_thread).native_handle(), &clock) != 0 ||
        clock_gettime(clock, &ts) != 0)
        return 0;
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

SeatTracker::Tally ClientWorker::tally(int group) const
{
    SeatTracker::Tally total;
    const PublishLog &log = *m_ctx.setup->log;
    for (const auto &connection : m_connections) {
        if (!connection->hasJoined() || int(connection->isSlow()) != group)
            continue;
        const uint32_t published = log.published(connection->room());
        total.add(connection->tracker().tally(
            log.seats(), [&](int seat) { return log.countOf(seat, published); }));
    }
    return total;
}

void ClientWorker::closeAll()
{
    for (const auto &connection : m_connections)
        connection->close();
}

} // namespace Reservo::Bench
