// SPDX-License-Identifier: MIT
#pragma once

#include "roommessages.h"
#include "seat.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <array>
#include <optional>

namespace Reservo {

// The seat map of one event as this monitor knows it (no sockets, no widgets): seats, counts, the
// room's seq and viewers, and whether it can be trusted (in sync, from updates only, or stale).
class EventSeatModel : public QObject
{
    Q_OBJECT
public:
    enum class SyncState {
        Joining,          // not in the room (yet, or again after the connection was lost)
        AwaitingSnapshot, // joined; the snapshot is on its way
        Live,             // complete snapshot, and every update since in sequence
        Partial,          // joined, but no (complete) snapshot: seats learned from updates only
        Stale,            // something was missed (seq gap, lost connection) until a resync
        Refused,          // the server refused the join
    };
    Q_ENUM(SyncState)
    enum class UpdateResult {
        Applied,   // a seat changed (or was learned)
        Unchanged, // in sequence, but the seat already had that state
        Duplicate, // seq not after the model's: already applied, ignored
        Gap,       // applied, but updates before it were missed: stale until resynced
    };

    explicit EventSeatModel(const QString &eventId, QObject *parent = nullptr);

    QString eventId() const { return m_eventId; }
    QString name() const { return m_name; }
    void setName(const QString &name);
    // The event's capacity from list-events; 0 when unknown (the seat count stands in).
    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    const QList<Seat> &seats() const { return m_seats; }
    int indexOf(const QString &seatId) const { return m_index.value(seatId, -1); }
    // When the seat last changed while watched, in ms since the epoch; 0: not since joining.
    qint64 changedAtMs(int index) const { return m_changedAt.value(index); }
    int count(SeatState state) const { return m_counts[int(state)]; }

    std::optional<qint64> seq() const { return m_seq; }
    // The map to rejoin with: the room's epoch and the seq up to which this map holds every
    // change. nullopt without a complete snapshot from a server that names its epochs.
    std::optional<RoomMessages::RoomPosition> heldPosition() const;
    std::optional<int> viewers() const { return m_viewers; }
    bool hasSnapshot() const { return m_snapshot != Snapshot::None; }
    SyncState syncState() const;
    // Why the state is not Live, in a sentence for staff; empty when Live.
    QString syncDetail() const;
    // Live, or as good as an older server allows (Partial, no snapshot): what --screenshot
    // waits for.
    bool isInSync() const;

    void markJoining();
    void markJoined();
    void markRefused(const QString &message);
    // Joined, and the server sent no snapshot in time: an older server.
    void markNoSnapshot();
    void markConnectionLost(const QString &reason);
    // The join with heldPosition() was resumed: the changes after it, up to roomSeq, follow.
    void markResumed(qint64 roomSeq);

    void applySnapshot(const RoomMessages::RoomSnapshot &snapshot);
    UpdateResult applyUpdate(const RoomMessages::SeatUpdate &update);
    void setViewers(int viewers);

signals:
    // Seats were added, removed or re-tagged: indexes and the layout must be rebuilt.
    void seatsReset();
    // One seat's state changed; previous is empty for a seat the monitor had not seen before.
    void seatChanged(int index, std::optional<Reservo::SeatState> previous, bool fromSnapshot);
    // Counts, seq, viewers, name or sync state changed.
    void statusChanged();
    // A seq gap: only a fresh snapshot can repair the map.
    void resyncNeeded();

private:
    enum class Snapshot { None, Complete, Incomplete };

    // The model holds the room's map again: no refusal, gap or pending resync.
    void markInSync();
    bool hasSameSeats(const QList<Seat> &seats) const;
    void replaceSeats(const QList<Seat> &seats);
    // Adds or updates one seat; true if it was added or re-tagged (the layout changes).
    bool upsert(const Seat &seat, bool fromSnapshot);
    void setState(int index, SeatState state, bool fromSnapshot);
    bool checkSeq(const RoomMessages::SeatUpdate &update, bool &gap);
    void advanceHeldSeq(qint64 seq);
    void markGap(qint64 from, qint64 to);

    QString m_eventId;
    QString m_name;
    int m_capacity = 0;
    QList<Seat> m_seats;
    QList<qint64> m_changedAt;
    QHash<QString, int> m_index;
    std::array<int, 3> m_counts{};
    std::optional<qint64> m_seq;
    QString m_epoch;                   // of the room lifetime the snapshot came from
    std::optional<qint64> m_heldSeq;   // every change up to it is in the map (no gap since)
    std::optional<qint64> m_catchUpTo; // resumed: in sync once the changes up to it arrived
    std::optional<int> m_viewers;
    Snapshot m_snapshot = Snapshot::None;
    bool m_seqTrusted = false; // a snapshot arrived in the current membership of the room
    bool m_joined = false;
    bool m_noSnapshot = false;
    bool m_resyncPending = false;
    QString m_refusal;
    QString m_staleReason;
    qint64 m_lostAtMs = 0;
};

} // namespace Reservo
