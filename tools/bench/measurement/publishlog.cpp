// SPDX-License-Identifier: MIT
#include "publishlog.h"

namespace Reservo::Bench {

namespace {
// k % 3: the first change of a seat makes it PENDING, then OCCUPIED, then AVAILABLE again.
constexpr std::string_view StateCycle[3] = {"AVAILABLE", "PENDING", "OCCUPIED"};
} // namespace

PublishLog::PublishLog(int rooms, int seats, uint32_t capacityPerRoom)
    : m_rooms(rooms), m_seats(seats), m_capacity(capacityPerRoom),
      m_sent(new std::atomic<int64_t>[size_t(rooms) * capacityPerRoom]()),
      m_published(new std::atomic<uint32_t>[size_t(rooms)]())
{
}

void PublishLog::recordSend(int room, int64_t sentNs)
{
    const uint32_t n = m_published[size_t(room)].load(std::memory_order_relaxed);
    m_sent[size_t(room) * m_capacity + n].store(sentNs, std::memory_order_relaxed);
    m_published[size_t(room)].store(n + 1, std::memory_order_release);
}

uint32_t PublishLog::published(int room) const
{
    return m_published[size_t(room)].load(std::memory_order_acquire);
}

uint64_t PublishLog::publishedTotal() const
{
    uint64_t total = 0;
    for (int room = 0; room < m_rooms; ++room)
        total += published(room);
    return total;
}

int64_t PublishLog::sentAt(int room, uint32_t seq) const
{
    if (seq == 0 || seq > published(room))
        return 0;
    return m_sent[size_t(room) * m_capacity + seq - 1].load(std::memory_order_relaxed);
}

uint32_t PublishLog::countOf(int seat, uint32_t published) const
{
    return published > uint32_t(seat) ? (published - uint32_t(seat) - 1) / uint32_t(m_seats) + 1
                                      : 0;
}

std::string_view PublishLog::stateName(uint32_t k)
{
    return StateCycle[k % 3];
}

int PublishLog::stateIndex(std::string_view name)
{
    for (int i = 0; i < 3; ++i) {
        if (StateCycle[i] == name)
            return i;
    }
    return -1;
}

} // namespace Reservo::Bench
