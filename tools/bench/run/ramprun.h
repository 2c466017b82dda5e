// SPDX-License-Identifier: MIT
#pragma once

#include "benchresult.h"
#include "scenariocontext.h"

namespace Reservo::Bench {

class WindowMeter;

// The ramp scenario once every client is connected: rising rates, one step after another, until
// the last or two saturated steps in a row (one may be noise on a shared machine), each step's
// figures by the time its changes were published.
class RampRun
{
public:
    explicit RampRun(ScenarioContext context) : m_ctx(std::move(context)) {}
    void run(BenchResult &result);

private:
    bool runStep(int step, WindowMeter &meter, BenchResult &result);

    ScenarioContext m_ctx;
};

} // namespace Reservo::Bench
