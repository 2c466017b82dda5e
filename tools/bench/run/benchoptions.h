// SPDX-License-Identifier: MIT
#pragma once

#include "optiontable.h"
#include "socketbatch.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo::Bench {

// Everything reservo-bench can be told. Rates are deliveries per second (one change to a room
// of M members is M deliveries): the unit the service's figures are quoted in. The defaults are
// BenchOptionsParser::table()'s: a member's own value stands only where the table has none.
struct BenchOptions
{
    enum class Scenario { Idle, Fanout, Ramp, HotRoom, SlowReaders, JoinStorm };
    struct Ramp
    {
        double from{};
        double to{};
        double step{};
        double stepSeconds{};
        int steps() const;
    };

    Scenario scenario{};
    QString url;
    QString natsServer;
    qint64 serverPid = 0; // 0: none
    int clients{};
    int rooms{};
    int seats{};
    double rate{};
    Ramp ramp;
    double p99BoundMs{};
    int slowPercent{};
    double durationS{};
    double warmupS{};
    double drainS{};
    double settleS{};
    double connectTimeoutS{};
    int threads{};
    int connectConcurrency{};
    int slowReceiveBuffer{};
    SocketBatch::Method reads{};
    QString eventPrefix;  // empty: bench-<pid>-<time>
    QStringList eventIds; // rooms given by id (--events) instead of <eventPrefix>-r<n>
    // join-storm: `clients` are the viewers; the newcomers connect first and join at once.
    int newcomers{};
    double changesPerSecond{};
    bool compactSnapshots = false;
    bool layoutHeld{};
    double stormTimeoutS{};
    QString label;
    bool json = false;
    QStringList summarize; // JSON reports to print as one table

    static QString scenarioName(Scenario scenario);
    bool publishes() const { return scenario != Scenario::Idle; }
    double clientsPerRoom() const { return double(clients) / double(rooms); }
    bool isJoinStorm() const { return scenario == Scenario::JoinStorm; }
    // A compact join-storm whose newcomers name the layout learns it with one join first.
    int probes() const { return isJoinStorm() && compactSnapshots && layoutHeld ? 1 : 0; }
    // Sockets the bench opens: the clients, and a join-storm's newcomers and its probe.
    int connections() const { return clients + (isJoinStorm() ? newcomers + probes() : 0); }
    // Seconds of the whole run at most, connect phase included.
    double budgetSeconds() const;
};

// reservo-bench's option table: flags only, --scenario sets defaults that the other flags
// override wherever they stand; then the checks across options.
class BenchOptionsParser
{
public:
    static const OptionTable<BenchOptions> &table();
};

} // namespace Reservo::Bench
