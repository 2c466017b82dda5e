// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <deque>
#include <optional>
#include <span>
#include <vector>

namespace Reservo {

// A seat change as applied to a room: what every member is told.
struct AppliedChange
{
    QString seatId;
    QString tag;
    SeatState state = SeatState::Available;
    quint64 seq = 0;
};

// One recorded broadcast of a room: its process-wide offset, the seq it brought the room to,
// and its encoded frame.
struct RecordedUpdate
{
    quint64 offset = 0;
    quint64 seq = 0;
    QByteArray frame;
};

// The state of one event's room, independent of who is in it: the seat map in layout order, its
// sequence number and epoch, whether it came from the events service, and the recent updates for
// recovery and rejoins.
class RoomState
{
public:
    explicit RoomState(qsizetype historyLimit = 1000, quint64 historyStart = 0);

    // Random per room lifetime: a seq means something only with the epoch it was counted in.
    const QString &epoch() const { return m_epoch; }
    quint64 seq() const { return m_seq; }
    bool isComplete() const { return m_complete; }
    // The seq at which the map became complete: a client at an older seq lacks the fetched map.
    quint64 completeSeq() const { return m_completeSeq; }
    // Bumps whenever what a snapshot shows changes (a state, the layout, completeness).
    quint64 revision() const { return m_revision; }
    // Bumps whenever the layout (seat ids and tags, in order) changes.
    quint64 layoutRevision() const { return m_layoutRevision; }

    qsizetype seatCount() const { return qsizetype(m_seats.size()); }
    // In layout order: the events service's order, then seats first seen in changes.
    std::span<const Seat> seats() const { return m_seats; }
    std::optional<Seat> seat(const QString &seatId) const;

    // Applies a change; nullopt when it does not alter the seat's known state.
    std::optional<AppliedChange> apply(const NatsWire::SeatChange &change);

    // A fetch of the events service's map starts now: changes from here on are replayed on
    // top of whatever it returns, so none is lost to the race.
    void beginFetch();
    // Installs the fetched map (plus changes since beginFetch); returns the seats whose state
    // differs from what members were last told, each with its own seq.
    QList<AppliedChange> installSnapshot(const QList<Seat> &seats);

    // Broadcast history, keyed by the process-wide offset each broadcast got.
    void record(quint64 offset, quint64 seq, const QByteArray &frame);
    // Every broadcast after `offset`, or nullopt if some of them are no longer kept.
    std::optional<QList<RecordedUpdate>> since(quint64 offset) const;
    // The updates that bring a client at `seq` (of this epoch) to seq(), in order; nullopt when
    // some are no longer kept, or `seq` is not one this room can continue from.
    std::optional<QList<RecordedUpdate>> updatesAfter(quint64 seq) const;

private:
    void setLayout(std::vector<Seat> &&seats);

    QString m_epoch;
    std::vector<Seat> m_seats;
    QHash<QString, qsizetype> m_index; // seat id -> position in m_seats
    quint64 m_seq = 0;
    quint64 m_completeSeq = 0;
    quint64 m_revision = 0;
    quint64 m_layoutRevision = 0;
    bool m_complete = false;
    bool m_fetching = false;
    QList<NatsWire::SeatChange> m_sinceFetch;
    std::deque<RecordedUpdate> m_history;
    qsizetype m_historyLimit;
    quint64 m_historyStart; // broadcasts at or before this offset are not (all) kept
};

} // namespace Reservo
