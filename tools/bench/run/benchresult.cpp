// SPDX-License-Identifier: MIT
#include "benchresult.h"

#include "deliveryhistogram.h"
#include "jsonfields.h"

#include <QJsonArray>

namespace Reservo::Bench {

namespace {
constexpr double NsPerMs = 1e6;

const JsonFields<LatencySummary> latencyFields{{{"p50Ms", &LatencySummary::p50},
                                                {"p99Ms", &LatencySummary::p99},
                                                {"p999Ms", &LatencySummary::p999},
                                                {"maxMs", &LatencySummary::max},
                                                {"meanMs", &LatencySummary::mean}},
                                               {},
                                               {{"count", &LatencySummary::count}},
                                               {},
                                               {},
                                               {}};

const JsonFields<GroupResult> groupFields{{},
                                          {},
                                          {{"expected", &GroupResult::expected},
                                           {"received", &GroupResult::received},
                                           {"lost", &GroupResult::lost},
                                           {"duplicated", &GroupResult::duplicated},
                                           {"superseded", &GroupResult::superseded},
                                           {"staleSeats", &GroupResult::staleSeats},
                                           {"closedByServer", &GroupResult::closedByServer}},
                                          {{"clients", &GroupResult::clients}},
                                          {},
                                          {}};

const JsonFields<RampStep> stepFields{{{"offered", &RampStep::offered},
                                       {"delivered", &RampStep::delivered},
                                       {"lateFraction", &RampStep::lateFraction},
                                       {"serverCpuPercent", &RampStep::serverCpuPercent},
                                       {"benchCpuPercent", &RampStep::benchCpuPercent}},
                                      {},
                                      {},
                                      {},
                                      {},
                                      {{"saturated", &RampStep::saturated}}};

using R = BenchResult;
const JsonFields<BenchResult> resultFields{{{"targetRate", &R::targetRate},
                                            {"changesPerSecond", &R::changesPerSecond},
                                            {"windowSeconds", &R::windowSeconds},
                                            {"connectP50Ms", &R::connectP50Ms},
                                            {"connectP99Ms", &R::connectP99Ms},
                                            {"connectMaxMs", &R::connectMaxMs},
                                            {"connectTotalS", &R::connectTotalS},
                                            {"rssPerConnectionKb", &R::rssPerConnectionKb},
                                            {"serverCpuS", &R::serverCpuS},
                                            {"serverCloseCpuS", &R::serverCloseCpuS},
                                            {"serverCpuPercent", &R::serverCpuPercent},
                                            {"serverUsPerDelivery", &R::serverUsPerDelivery},
                                            {"deliveriesPerSecond", &R::deliveriesPerSecond},
                                            {"saturationRate", &R::saturationRate},
                                            {"lastGoodRate", &R::lastGoodRate},
                                            {"benchCpuS", &R::benchCpuS},
                                            {"benchCpuPercent", &R::benchCpuPercent},
                                            {"workerCpuPercent", &R::workerCpuPercent},
                                            {"benchMaxRssMb", &R::benchMaxRssMb}},
                                           {{"rssBeforeKb", &R::rssBeforeKb},
                                            {"rssConnectedKb", &R::rssConnectedKb},
                                            {"rssEndKb", &R::rssEndKb},
                                            {"rssClosedKb", &R::rssClosedKb},
                                            {"rssPeakKb", &R::rssPeakKb}},
                                           {{"published", &R::published},
                                            {"publishFailures", &R::publishFailures},
                                            {"deliveriesInWindow", &R::deliveriesInWindow},
                                            {"unmatchedSeq", &R::unmatchedSeq},
                                            {"foreignUpdates", &R::foreignUpdates},
                                            {"snapshots", &R::snapshots},
                                            {"presence", &R::presence},
                                            {"pings", &R::pings}},
                                           {{"clients", &R::clients},
                                            {"rooms", &R::rooms},
                                            {"seats", &R::seats},
                                            {"threads", &R::threads},
                                            {"slowPercent", &R::slowPercent},
                                            {"joined", &R::joined},
                                            {"failed", &R::failed},
                                            {"serverThreads", &R::serverThreads}},
                                           {{"label", &R::label},
                                            {"scenario", &R::scenario},
                                            {"url", &R::url},
                                            {"date", &R::date},
                                            {"machineLoad", &R::machineLoad},
                                            {"error", &R::error},
                                            {"notes", &R::notes},
                                            {"firstFailure", &R::firstFailure},
                                            {"saturationReason", &R::saturationReason},
                                            {"reads", &R::reads}},
                                           {}};
} // namespace

LatencySummary LatencySummary::from(const DeliveryHistogram &h)
{
    LatencySummary s;
    s.count = h.count();
    s.p50 = double(h.percentile(50)) / NsPerMs;
    s.p99 = double(h.percentile(99)) / NsPerMs;
    s.p999 = double(h.percentile(99.9)) / NsPerMs;
    s.max = double(h.max()) / NsPerMs;
    s.mean = h.mean() / NsPerMs;
    return s;
}

QJsonObject LatencySummary::toJson() const
{
    QJsonObject json;
    latencyFields.write(*this, json);
    return json;
}

LatencySummary LatencySummary::fromJson(const QJsonObject &json)
{
    LatencySummary s;
    latencyFields.read(s, json);
    return s;
}

QJsonObject GroupResult::toJson() const
{
    QJsonObject json;
    groupFields.write(*this, json);
    json.insert(QStringLiteral("latency"), latency.toJson());
    return json;
}

GroupResult GroupResult::fromJson(const QJsonObject &json)
{
    GroupResult g;
    groupFields.read(g, json);
    g.latency = LatencySummary::fromJson(json.value(QStringLiteral("latency")).toObject());
    return g;
}

QJsonObject RampStep::toJson() const
{
    QJsonObject json;
    stepFields.write(*this, json);
    json.insert(QStringLiteral("latency"), latency.toJson());
    return json;
}

RampStep RampStep::fromJson(const QJsonObject &json)
{
    RampStep s;
    stepFields.read(s, json);
    s.latency = LatencySummary::fromJson(json.value(QStringLiteral("latency")).toObject());
    return s;
}

void BenchResult::markSaturation(double p99BoundMs)
{
    qsizetype first = steps.size();
    while (first > 0 && steps[first - 1].saturated)
        --first;
    if (steps.size() - first == 1) // a noisy machine can spoil one step: a second must confirm it
        saturationReason = QStringLiteral("only the last step was saturated, not confirmed");
    if (steps.size() - first < 2)
        return;
    saturationRate = steps[first].offered;
    lastGoodRate = first > 0 ? steps[first - 1].offered : -1;
    saturationReason =
        steps[first].lateFraction > 0.01
            ? QStringLiteral("more than 1% of deliveries later than %1 ms").arg(p99BoundMs)
            : QStringLiteral("fewer than 90% of the offered deliveries arrived");
}

QJsonObject BenchResult::toJson() const
{
    QJsonObject json;
    resultFields.write(*this, json);
    json.insert(QStringLiteral("normal"), normal.toJson());
    json.insert(QStringLiteral("slow"), slow.toJson());
    json.insert(QStringLiteral("natsHop"), natsHop.toJson());
    QJsonArray list;
    for (const RampStep &step : steps)
        list.append(step.toJson());
    json.insert(QStringLiteral("steps"), list);
    if (isJoinStorm())
        json.insert(QStringLiteral("storm"), storm.toJson());
    return json;
}

BenchResult BenchResult::fromJson(const QJsonObject &json)
{
    BenchResult r;
    resultFields.read(r, json);
    r.normal = GroupResult::fromJson(json.value(QStringLiteral("normal")).toObject());
    r.slow = GroupResult::fromJson(json.value(QStringLiteral("slow")).toObject());
    r.natsHop = LatencySummary::fromJson(json.value(QStringLiteral("natsHop")).toObject());
    for (const QJsonValue &step : json.value(QStringLiteral("steps")).toArray())
        r.steps.append(RampStep::fromJson(step.toObject()));
    r.storm = StormResult::fromJson(json.value(QStringLiteral("storm")).toObject());
    return r;
}

} // namespace Reservo::Bench
