// SPDX-License-Identifier: MIT
#include "windowmeter.h"

#include "clientpool.h"
#include "monotonicclock.h"

namespace Reservo::Bench {

double WindowMeter::Delta::serverCpuPercent() const
{
    return serverCpuS < 0 || seconds <= 0 ? -1 : serverCpuS / seconds * 100.0;
}

WindowMeter::Point WindowMeter::sample() const
{
    Point p;
    p.server = m_probe.sample();
    p.self = SelfUsage::now();
    p.workerCpuNs = m_pool.cpuNs();
    p.deliveries = m_pool.deliveries();
    p.late = m_pool.late();
    p.atNs = monotonicNs();
    return p;
}

int64_t WindowMeter::open()
{
    m_open = sample();
    return m_open.atNs;
}

int64_t WindowMeter::close()
{
    m_close = sample();
    return m_close.atNs;
}

WindowMeter::Delta WindowMeter::delta() const
{
    Delta d;
    d.seconds = double(m_close.atNs - m_open.atNs) / 1e9;
    if (m_open.server.ok && m_close.server.ok)
        d.serverCpuS = double(m_close.server.cpuUs - m_open.server.cpuUs) / 1e6;
    d.serverEnd = m_close.server;
    d.benchCpuS = double(m_close.self.cpuUs - m_open.self.cpuUs) / 1e6;
    d.workerCpuS = double(m_close.workerCpuNs - m_open.workerCpuNs) / 1e9;
    d.deliveries = m_close.deliveries - m_open.deliveries;
    d.late = m_close.late - m_open.late;
    return d;
}

} // namespace Reservo::Bench
