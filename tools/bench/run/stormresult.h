// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

namespace Reservo::Bench {

// What a join-storm measured beyond a run's common figures (the viewers' latency during the
// storm and their lost updates are the run's normal group): each join's time to the room's
// complete map, the server's CPU and the bytes per join, the storm's length, the server's RSS
// around it, and whatever the server did otherwise than asked.
struct StormResult
{
    QString eventId, snapshot, layout; // snapshot: json or compact; layout: the version held
    int seats = 0, viewers = 0;
    bool layoutHeld = false;
    bool probeCompact = false; // the probe's compact join got a compact snapshot
    double changesPerSecond = 0;
    // The newcomers
    quint64 newcomers = 0, ready = 0, sent = 0, completed = 0, refused = 0, incomplete = 0,
            closedByServer = 0;
    quint64 jsonForCompact = 0, layouts = 0, unaskedLayouts = 0, layoutMismatches = 0,
            partialSnapshots = 0;
    double joinP50Ms = -1, joinP99Ms = -1, joinMaxMs = -1;
    double stormSeconds = -1; // the first join sent to the last complete snapshot received
    double bytesPerJoin = -1, mapBytesPerJoin = -1;
    // Server CPU: the storm's, less what the baseline rate just before it accounts for
    double stormCpuS = -1, stormWindowS = 0, baselineCpuPercent = -1, baselineWindowS = 0;
    double serverMsPerJoin = -1;
    // Server RSS: before the storm, at its end, settled with the newcomers, after they left
    qint64 rssBeforeKb = -1, rssEndKb = -1, rssSettledKb = -1, rssLeftKb = -1;
    // The bench during the storm: all its threads, and its client workers (% of one core each)
    double benchCpuPercent = -1, workerCpuPercent = -1;

    // The server's CPU per join, once the storm and the baseline are known.
    void computeCpuPerJoin();
    QJsonObject toJson() const;
    static StormResult fromJson(const QJsonObject &json);
};

} // namespace Reservo::Bench
