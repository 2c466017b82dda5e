// SPDX-License-Identifier: MIT
#include "ramprun.h"

#include "resultcollector.h"
#include "seatpublisher.h"
#include "windowmeter.h"

#include <algorithm>

namespace Reservo::Bench {

void RampRun::run(BenchResult &result)
{
    WindowMeter whole(m_ctx.probe, m_ctx.pool);
    const int64_t start = whole.open();
    m_ctx.windows.measureFromNs.store(start);
    m_ctx.windows.rampStartNs.store(start);
    int saturatedInRow = 0;
    for (int step = 0; step < m_ctx.options.ramp.steps() && saturatedInRow < 2; ++step) {
        WindowMeter meter(m_ctx.probe, m_ctx.pool);
        if (!runStep(step, meter, result))
            break;
        saturatedInRow = result.steps.last().saturated ? saturatedInRow + 1 : 0;
    }
    result.markSaturation(m_ctx.options.p99BoundMs);
    m_ctx.publisher.requestRate(0);
    m_ctx.windows.measureToNs.store(whole.close());
    ResultCollector::fillWindow(result, whole.delta());
}

// One step: offer its rate, and call it saturated when more than 1% of the deliveries received
// during the step were later than the p99 bound or fewer than 90% of the offered ones arrived.
bool RampRun::runStep(int step, WindowMeter &meter, BenchResult &result)
{
    const BenchOptions::Ramp &ramp = m_ctx.options.ramp;
    RampStep s;
    s.offered = std::min(ramp.to, ramp.from + step * ramp.step);
    m_ctx.publisher.requestRate(s.offered / m_ctx.options.clientsPerRoom());
    meter.open();
    const bool completed = m_ctx.sleepFor(ramp.stepSeconds);
    meter.close();
    const WindowMeter::Delta d = meter.delta();
    s.delivered = d.perSecond(d.deliveries);
    s.lateFraction = d.deliveries ? double(d.late) / double(d.deliveries) : 0;
    s.serverCpuPercent = d.serverCpuPercent();
    s.benchCpuPercent = d.seconds > 0 ? d.benchCpuS / d.seconds * 100 : 0;
    s.saturated = s.lateFraction > 0.01 || s.delivered < 0.9 * s.offered;
    result.steps.append(s);
    return completed;
}

} // namespace Reservo::Bench
