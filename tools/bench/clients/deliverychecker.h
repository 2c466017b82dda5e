// SPDX-License-Identifier: MIT
#pragma once

#include "seattracker.h"
#include "sioinbound.h"

#include <cstdint>

namespace Reservo::Bench {

struct WorkerContext;

// Checks one client's update-seat-status messages against the publish log: which published
// change each one is, whether it repeats one already received, and its latency. Keeps what the
// client received of each seat for the final tally of lost and superseded changes.
class DeliveryChecker
{
public:
    DeliveryChecker(WorkerContext &context, int room, bool slow)
        : m_ctx(context), m_room(room), m_group(slow ? 1 : 0)
    {
    }

    // `nowNs`: when the bytes holding the update were read.
    void check(const SioInbound &update, int64_t nowNs);
    const SeatTracker &tracker() const { return m_tracker; }

private:
    uint32_t resolveChange(const SioInbound &update, int seat);

    WorkerContext &m_ctx;
    int m_room;
    int m_group;
    SeatTracker m_tracker;
};

} // namespace Reservo::Bench
