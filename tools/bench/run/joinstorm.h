// SPDX-License-Identifier: MIT
#pragma once

#include "benchresult.h"
#include "joinprogress.h"
#include "scenariocontext.h"
#include "workerstats.h"

#include <QString>
#include <string>

namespace Reservo::Bench {

// The join-storm once every client is connected: it waits for the viewers' complete maps,
// learns the room's layout with one compact join when the newcomers are to name it, publishes
// the changes and measures the server's baseline, then has every newcomer join at once and
// measures until each has its complete snapshot (or the storm's timeout), and reads the server's
// RSS after a settle and again once the newcomers have left. Every wait is bounded.
class JoinStorm
{
public:
    explicit JoinStorm(ScenarioContext context) : m_ctx(std::move(context)) {}
    // The storm's live figures; the joins' own come from the workers' statistics (fillJoins).
    void run(BenchResult &result);
    static void fillJoins(StormResult &storm, const JoinStats &joins);

private:
    bool awaitJoins(JoinBatch batch, uint64_t count, const QString &what);
    bool prepareJoin(BenchResult &result);
    void measureBaseline(StormResult &storm);
    void storm(BenchResult &result);
    void afterStorm(StormResult &storm);

    ScenarioContext m_ctx;
    std::string m_payload; // the newcomers' join-event-room payload
    JoinProgress::Request m_request;
};

} // namespace Reservo::Bench
