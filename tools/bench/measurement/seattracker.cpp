// SPDX-License-Identifier: MIT
#include "seattracker.h"

namespace Reservo::Bench {

void SeatTracker::Tally::add(const Tally &other)
{
    clients += other.clients;
    expected += other.expected;
    received += other.received;
    superseded += other.superseded;
    lost += other.lost;
    staleSeats += other.staleSeats;
}

void SeatTracker::grow(int seat)
{
    if (size_t(seat) >= m_last.size()) {
        m_last.resize(size_t(seat) + 1, 0);
        m_received.resize(size_t(seat) + 1, 0);
    }
}

SeatTracker::Outcome SeatTracker::record(int seat, uint32_t k)
{
    grow(seat);
    uint32_t &last = m_last[size_t(seat)];
    if (k <= last)
        return Outcome::Duplicate;
    const bool gap = k > last + 1;
    last = k;
    ++m_received[size_t(seat)];
    return gap ? Outcome::AfterGap : Outcome::InOrder;
}

uint32_t SeatTracker::lastReceived(int seat) const
{
    return size_t(seat) < m_last.size() ? m_last[size_t(seat)] : 0;
}

SeatTracker::Tally SeatTracker::tally(int seats,
                                      const std::function<uint32_t(int)> &publishedCount) const
{
    Tally t;
    t.clients = 1;
    for (int seat = 0; seat < seats; ++seat) {
        const uint32_t published = publishedCount(seat);
        const uint32_t last = lastReceived(seat);
        const uint32_t received = size_t(seat) < m_received.size() ? m_received[size_t(seat)] : 0;
        t.expected += published;
        t.received += received;
        t.superseded += last - received;
        if (last < published) {
            t.lost += published - last;
            ++t.staleSeats;
        }
    }
    return t;
}

} // namespace Reservo::Bench
