// SPDX-License-Identifier: MIT
#pragma once

#include "clientsetup.h"
#include "workerstats.h"

#include <cstdint>
#include <vector>

namespace Reservo::Bench {

// What the connections of one worker thread share: the setup, the epoll set, the counters and
// statistics, one read buffer, and a random source for masks and handshake keys.
struct WorkerContext
{
    const ClientSetup *setup = nullptr;
    int epollFd = -1;
    WorkerCounters counters;
    WorkerStats stats;
    int64_t nowNs = 0;
    int inFlight = 0; // handshakes started and not yet joined or failed
    uint64_t random = 0x9E3779B97F4A7C15ULL;
    std::vector<char> readBuffer = std::vector<char>(64 * 1024);

    uint64_t nextRandom() // xorshift64*: masks need unpredictability from the server's view only
    {
        random ^= random >> 12;
        random ^= random << 25;
        random ^= random >> 27;
        return random * 0x2545F4914F6CDD1DULL;
    }
};

} // namespace Reservo::Bench
