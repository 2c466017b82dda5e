// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>

namespace Reservo::Bench {

// The one clock of every bench timestamp (CLOCK_MONOTONIC, what std::chrono::steady_clock and
// NatsMessage::receivedNs use), so that times taken on different threads compare.
inline int64_t monotonicNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace Reservo::Bench
