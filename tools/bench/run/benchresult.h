// SPDX-License-Identifier: MIT
#pragma once

#include "stormresult.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

namespace Reservo::Bench {

class DeliveryHistogram;

// Latency percentiles in milliseconds.
struct LatencySummary
{
    quint64 count = 0;
    double p50 = 0;
    double p99 = 0;
    double p999 = 0;
    double max = 0;
    double mean = 0;

    static LatencySummary from(const DeliveryHistogram &histogram);
    QJsonObject toJson() const;
    static LatencySummary fromJson(const QJsonObject &json);
};

// What one group of clients (normal or slow readers) got of what was published.
struct GroupResult
{
    int clients = 0;
    quint64 expected = 0;
    quint64 received = 0;
    quint64 lost = 0;
    quint64 duplicated = 0;
    quint64 superseded = 0;
    quint64 staleSeats = 0;
    quint64 closedByServer = 0;
    LatencySummary latency;

    QJsonObject toJson() const;
    static GroupResult fromJson(const QJsonObject &json);
};

// One step of a ramp, by the time its changes were published.
struct RampStep
{
    double offered = 0;   // deliveries/s asked for
    double delivered = 0; // deliveries/s received during the step
    double lateFraction = 0;
    double serverCpuPercent = -1;
    double benchCpuPercent = 0;
    bool saturated = false;
    LatencySummary latency;

    QJsonObject toJson() const;
    static RampStep fromJson(const QJsonObject &json);
};

// Everything one bench run measured, as printed in the table and in --json.
struct BenchResult
{
    QString label, scenario, url, date, machineLoad, error, notes;
    QString reads; // how the bench read: io_uring or recv
    int clients = 0, rooms = 0, seats = 0, threads = 0, slowPercent = 0;
    double targetRate = 0, changesPerSecond = 0, windowSeconds = 0;
    // Connect phase
    int joined = 0, failed = 0;
    QString firstFailure;
    double connectP50Ms = 0, connectP99Ms = 0, connectMaxMs = 0, connectTotalS = 0;
    // Server (-1: unknown)
    qint64 rssBeforeKb = -1, rssConnectedKb = -1, rssEndKb = -1, rssClosedKb = -1, rssPeakKb = -1;
    double rssPerConnectionKb = -1, serverCpuS = -1, serverCpuPercent = -1,
           serverUsPerDelivery = -1;
    double serverCloseCpuS = -1; // server CPU time spent while every client disconnects
    int serverThreads = 0;
    // Deliveries
    quint64 published = 0, publishFailures = 0, deliveriesInWindow = 0;
    double deliveriesPerSecond = 0;
    quint64 unmatchedSeq = 0, foreignUpdates = 0, snapshots = 0, presence = 0, pings = 0;
    GroupResult normal, slow;
    LatencySummary natsHop;
    QList<RampStep> steps;
    double saturationRate = -1, lastGoodRate = -1;
    QString saturationReason;
    // The bench itself
    double benchCpuS = 0, benchCpuPercent = 0, workerCpuPercent = 0, benchMaxRssMb = 0;
    // join-storm only
    StormResult storm;

    // Saturation: the first of at least two saturated steps a ramp ended on.
    void markSaturation(double p99BoundMs);
    bool isJoinStorm() const { return scenario == QLatin1String("join-storm"); }
    QJsonObject toJson() const;
    static BenchResult fromJson(const QJsonObject &json);
};

} // namespace Reservo::Bench
