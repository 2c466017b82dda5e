// SPDX-License-Identifier: MIT
#pragma once

#include "roommember.h"
#include "roomstate.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QString>
#include <vector>

namespace Reservo {

// One room's snapshots as encoded frames, made at most once per room revision and shared by
// every joiner (a join storm costs one encode, not one per joiner): the JSON `room-snapshot`, the
// compact one, and the compact layout (`room-layout`), made once per layout.
class SnapshotCache
{
public:
    struct Tagged
    {
        QByteArray frame;
        quint64 offset = 0;   // the frame's recovery offset
        bool encoded = false; // this call encoded it (the others reused it)
    };

    // The room's snapshot in `format`. Its recovery offset is above `seenUpTo` (what the joiner
    // may already have been sent), so a client's offsets only rise: when the cached frame's is
    // not, the frame is tagged again with ++lastOffset (a copy, no encoding). `viewers` is exact,
    // except during a join storm (StormJoins joins within StormWindowMs): then the frame made
    // for the storm's first joiners serves all of them, and room-presence follows.
    Tagged snapshot(SnapshotFormat format, const QString &eventId, const RoomState &state,
                    int viewers, quint64 seenUpTo, quint64 &lastOffset);
    QString layoutVersion(const RoomState &state);
    // `42["room-layout",{"eventId","layout","seats":[[id,tag],…]}]`.
    QByteArray layoutFrame(const QString &eventId, const RoomState &state);

    // Frees everything; the next request encodes again.
    void clear();
    bool isEmpty() const;
    // Milliseconds since a snapshot or layout was last asked for (for releasing idle caches).
    qint64 idleMs() const { return m_lastUse.isValid() ? m_lastUse.elapsed() : 0; }

    static constexpr int StormJoins = 8;
    static constexpr int StormWindowMs = 100;

private:
    struct Entry
    {
        quint64 revision = ~quint64(0);
        int viewers = -1;
        QByteArray open; // the frame without its last argument
        Tagged tagged;
    };

    void updateLayout(const RoomState &state);
    // Counts a join; true while joins come faster than StormJoins per StormWindowMs.
    bool countJoin();
    QByteArray encodeOpen(SnapshotFormat format, const QString &eventId, const RoomState &state,
                          int viewers);

    Entry m_json;
    Entry m_compact;
    quint64 m_layoutRevision = ~quint64(0);
    QString m_layoutVersion;
    QByteArray m_layoutFrame;
    // Per seat of the layout, `{"id":…,"tag":…,"state":"`, concatenated; m_seatEnds[i] ends seat i.
    QByteArray m_seatHeads;
    std::vector<qsizetype> m_seatEnds;
    QElapsedTimer m_lastUse;
    QElapsedTimer m_window; // the current storm-detection window
    int m_windowJoins = 0;
    bool m_storming = false; // the last window was a storm: it lasts until one is quiet
};

} // namespace Reservo
