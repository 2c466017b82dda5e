// SPDX-License-Identifier: MIT
#include "deliverychecker.h"

#include "publishlog.h"
#include "workercontext.h"

#include <algorithm>

namespace Reservo::Bench {

void DeliveryChecker::check(const SioInbound &update, int64_t nowNs)
{
    const PublishLog &log = *m_ctx.setup->log;
    const int seat = m_ctx.setup->seats.index(update.seatId);
    if ((!update.eventId.empty() && update.eventId != m_ctx.setup->eventIds[size_t(m_room)]) ||
        seat < 0 || seat >= log.seats()) {
        ++m_ctx.stats.foreignUpdates;
        return;
    }
    const uint32_t k = resolveChange(update, seat);
    if (k == 0 || m_tracker.record(seat, k) == SeatTracker::Outcome::Duplicate) {
        ++m_ctx.stats.duplicates[m_group];
        return;
    }
    const RunWindows &windows = *m_ctx.setup->windows;
    const int64_t sent = log.sentAt(m_room, log.seqOf(seat, k));
    const int64_t latency = nowNs - sent;
    m_ctx.stats.recordLatency(sent, latency, m_group, windows);
    WorkerCounters::bump(m_ctx.counters.deliveries[m_group]);
    if (latency > windows.lateNs)
        WorkerCounters::bump(m_ctx.counters.late);
}

// Which change of `seat` this is (its k), 0 if it repeats one already received. The server's
// `seq` names it exactly when the bench is the room's only source; without a usable seq (the
// original service sends none) it is the first later change that sets the state received.
uint32_t DeliveryChecker::resolveChange(const SioInbound &update, int seat)
{
    const PublishLog &log = *m_ctx.setup->log;
    const uint32_t published = log.published(m_room);
    if (update.seq > 0) {
        const auto seq = uint32_t(update.seq);
        if (uint64_t(update.seq) <= published && log.seatOf(seq) == seat &&
            PublishLog::stateName(log.kOf(seq)) == update.state)
            return log.kOf(seq);
        ++m_ctx.stats.unmatchedSeq;
    }
    const uint32_t last = m_tracker.lastReceived(seat);
    const uint32_t limit = std::min(log.countOf(seat, published), last + 3);
    for (uint32_t k = last + 1; k <= limit; ++k) {
        if (PublishLog::stateName(k) == update.state)
            return k;
    }
    return 0;
}

} // namespace Reservo::Bench
