// SPDX-License-Identifier: MIT
#include "stormresult.h"

#include "jsonfields.h"

namespace Reservo::Bench {

namespace {
using S = StormResult;
const JsonFields<StormResult> stormFields{
    {{"changesPerSecond", &S::changesPerSecond},
     {"joinP50Ms", &S::joinP50Ms},
     {"joinP99Ms", &S::joinP99Ms},
     {"joinMaxMs", &S::joinMaxMs},
     {"stormSeconds", &S::stormSeconds},
     {"bytesPerJoin", &S::bytesPerJoin},
     {"mapBytesPerJoin", &S::mapBytesPerJoin},
     {"stormCpuS", &S::stormCpuS},
     {"stormWindowS", &S::stormWindowS},
     {"baselineCpuPercent", &S::baselineCpuPercent},
     {"baselineWindowS", &S::baselineWindowS},
     {"serverMsPerJoin", &S::serverMsPerJoin},
     {"benchCpuPercent", &S::benchCpuPercent},
     {"workerCpuPercent", &S::workerCpuPercent}},
    {{"rssBeforeKb", &S::rssBeforeKb},
     {"rssEndKb", &S::rssEndKb},
     {"rssSettledKb", &S::rssSettledKb},
     {"rssLeftKb", &S::rssLeftKb}},
    {{"newcomers", &S::newcomers},
     {"ready", &S::ready},
     {"sent", &S::sent},
     {"completed", &S::completed},
     {"refused", &S::refused},
     {"incomplete", &S::incomplete},
     {"closedByServer", &S::closedByServer},
     {"jsonForCompact", &S::jsonForCompact},
     {"layouts", &S::layouts},
     {"unaskedLayouts", &S::unaskedLayouts},
     {"layoutMismatches", &S::layoutMismatches},
     {"partialSnapshots", &S::partialSnapshots}},
    {{"seats", &S::seats}, {"viewers", &S::viewers}},
    {{"eventId", &S::eventId}, {"snapshot", &S::snapshot}, {"layout", &S::layout}},
    {{"layoutHeld", &S::layoutHeld}, {"probeCompact", &S::probeCompact}}};
} // namespace

// The storm's CPU less the baseline rate over the same time: what the joins cost, per join.
void StormResult::computeCpuPerJoin()
{
    if (stormCpuS < 0 || baselineCpuPercent < 0 || completed == 0)
        return;
    const double joins = stormCpuS - baselineCpuPercent / 100.0 * stormWindowS;
    serverMsPerJoin = joins * 1000.0 / double(completed);
}

QJsonObject StormResult::toJson() const
{
    QJsonObject json;
    stormFields.write(*this, json);
    return json;
}

StormResult StormResult::fromJson(const QJsonObject &json)
{
    StormResult s;
    stormFields.read(s, json);
    return s;
}

} // namespace Reservo::Bench
