// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace Reservo::Bench {

// What one client has received of each seat of its room. Every seat's changes are numbered
// 1, 2, 3... in publish order (k); the tracker keeps the latest k received and how many distinct
// ones arrived. The server delivers a seat's changes in order and may skip intermediate ones for
// a slow client, so at the end a gap before the last k received was superseded, and everything
// published after it was lost.
class SeatTracker
{
public:
    enum class Outcome { InOrder, AfterGap, Duplicate };

    // What a client got of its room, summed over seats.
    struct Tally
    {
        uint64_t clients = 0;
        uint64_t expected = 0;   // changes published to the room
        uint64_t received = 0;   // distinct changes that arrived
        uint64_t superseded = 0; // skipped, but a later state of the same seat arrived
        uint64_t lost = 0;       // published after the last change that arrived for the seat
        uint64_t staleSeats = 0; // seats whose latest published state never arrived
        void add(const Tally &other);
    };

    Outcome record(int seat, uint32_t k);
    uint32_t lastReceived(int seat) const;
    // publishedCount(seat): how many changes of that seat were published in all.
    Tally tally(int seats, const std::function<uint32_t(int)> &publishedCount) const;

private:
    void grow(int seat);

    std::vector<uint32_t> m_last;     // per seat: latest k received, 0 for none
    std::vector<uint32_t> m_received; // per seat: distinct changes received
};

} // namespace Reservo::Bench
