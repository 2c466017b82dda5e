// SPDX-License-Identifier: MIT
#pragma once

#include "serverprobe.h"

#include <cstdint>

namespace Reservo::Bench {

class ClientPool;

// Samples what a measured window reports at its start and at its end: the server's CPU time and
// RSS, the bench's own CPU time (all threads, and the client workers alone), and the deliveries
// counted so far.
class WindowMeter
{
public:
    struct Delta
    {
        double seconds = 0;
        double serverCpuS = -1; // -1: server not probed
        ServerProbe::Sample serverEnd;
        double benchCpuS = 0;
        double workerCpuS = 0;
        uint64_t deliveries = 0;
        uint64_t late = 0;

        double serverCpuPercent() const;
        double perSecond(uint64_t count) const { return seconds > 0 ? double(count) / seconds : 0; }
    };

    WindowMeter(const ServerProbe &probe, const ClientPool &pool) : m_probe(probe), m_pool(pool) {}

    int64_t open();
    int64_t close();
    Delta delta() const;

private:
    struct Point
    {
        ServerProbe::Sample server;
        SelfUsage self;
        int64_t workerCpuNs = 0;
        uint64_t deliveries = 0;
        uint64_t late = 0;
        int64_t atNs = 0;
    };
    Point sample() const;

    const ServerProbe &m_probe;
    const ClientPool &m_pool;
    Point m_open;
    Point m_close;
};

} // namespace Reservo::Bench
