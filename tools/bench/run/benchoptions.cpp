// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include "benchflags.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <unistd.h>

namespace Reservo::Bench {

namespace {
using Scenario = BenchOptions::Scenario;
constexpr double MaxSeconds = BenchFlags::MaxSeconds;
constexpr int MaxRampSteps = 64;

// --events: ids the events service could have given, in a scenario that joins rooms it does not
// publish on itself, or the one room a join storm storms.
QString checkEvents(const BenchOptions &o)
{
    static const QRegularExpression eventId(QStringLiteral("^[A-Za-z0-9_.:-]{1,128}$"));
    const bool badEventId =
        std::any_of(o.eventIds.cbegin(), o.eventIds.cend(),
                    [](const QString &id) { return !eventId.match(id).hasMatch(); });
    if (badEventId)
        return QStringLiteral("--events: ids of letters, digits and _.:- only, at most 128 each");
    if (!o.eventIds.isEmpty() && o.publishes() && !o.isJoinStorm())
        return QStringLiteral("--events is for --scenario idle and join-storm only: the bench "
                              "publishes on rooms of its own");
    if (o.isJoinStorm() && o.rooms != 1)
        return QStringLiteral("--scenario join-storm storms one room: --rooms 1 and at most one "
                              "--events id");
    return {};
}

// The checks across options, after --events has set the rooms and the prefix its default.
QString complete(BenchOptions &o)
{
    static const QRegularExpression idChars(QStringLiteral("^[A-Za-z0-9_.:-]{1,100}$"));
    if (!o.eventIds.isEmpty())
        o.rooms = int(o.eventIds.size());
    if (o.eventPrefix.isEmpty())
        o.eventPrefix =
            QStringLiteral("bench-%1-%2").arg(qint64(::getpid())).arg(qint64(std::time(nullptr)));
    if (const QString why = checkEvents(o); !why.isEmpty())
        return why;
    if (o.rooms > o.clients)
        return QStringLiteral("--rooms %1 is more than --clients %2").arg(o.rooms).arg(o.clients);
    if (!idChars.match(o.eventPrefix).hasMatch())
        return QStringLiteral("--event-prefix: letters, digits and _.:- only, at most 100");
    if (o.publishes() && o.scenario != Scenario::Ramp && o.rate <= 0)
        return QStringLiteral("--rate must be positive for scenario %1")
            .arg(BenchOptions::scenarioName(o.scenario));
    if (o.scenario == Scenario::Ramp && o.ramp.steps() * o.ramp.stepSeconds > MaxSeconds)
        return QStringLiteral("--ramp lasts more than %1 s").arg(MaxSeconds);
    if (o.scenario == Scenario::Ramp && o.ramp.steps() > MaxRampSteps)
        return QStringLiteral("--ramp has more than %1 steps").arg(MaxRampSteps);
    return {};
}
} // namespace

int BenchOptions::Ramp::steps() const
{
    return int(std::floor((to - from) / step + 1e-9)) + 1;
}

QString BenchOptions::scenarioName(Scenario scenario)
{
    static const char *const names[] = {"idle",     "fanout",       "ramp",
                                        "hot-room", "slow-readers", "join-storm"};
    return QString::fromLatin1(names[int(scenario)]);
}

double BenchOptions::budgetSeconds() const
{
    const double publishing =
        scenario == Scenario::Ramp ? ramp.steps() * ramp.stepSeconds : warmupS + durationS;
    // join-storm: the event's lookup, the viewers' maps and the probe (each bounded by
    // JoinStorm), then the storm, the settles after it and after the newcomers leave.
    const double storm = isJoinStorm() ? 3 * 30 + stormTimeoutS + 2 * settleS : 0;
    return connectTimeoutS + settleS + publishing + storm + 2 * drainS + 30;
}

const OptionTable<BenchOptions> &BenchOptionsParser::table()
{
    static const OptionTable<BenchOptions> table(
        {QStringLiteral(
             "Usage: %1 [options]\n"
             "Load generator for Reservo Live: N Socket.IO clients (WebSocket transport, raw "
             "epoll\nsockets) over R rooms of any Socket.IO server on this host; seat changes "
             "driven through\nNATS; reports connect time, delivery latency (publish to client), "
             "deliveries/s, lost,\nduplicated and superseded deliveries, the server's RSS and CPU "
             "(--server-pid), and the\nbench's own CPU.\n\n"),
         {}},
        BenchFlags::rows(), complete);
    return table;
}

} // namespace Reservo::Bench
