// SPDX-License-Identifier: MIT
#include "eventseatmodel.h"

#include <QDateTime>

namespace Reservo {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString clock(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("hh:mm:ss"));
}
} // namespace

EventSeatModel::EventSeatModel(const QString &eventId, QObject *parent)
    : QObject(parent), m_eventId(eventId)
{
}

void EventSeatModel::setName(const QString &name)
{
    if (name.isEmpty() || name == m_name)
        return;
    m_name = name;
    emit statusChanged();
}

void EventSeatModel::setCapacity(int capacity)
{
    if (capacity < 0 || capacity == m_capacity)
        return;
    m_capacity = capacity;
    emit statusChanged();
}

EventSeatModel::SyncState EventSeatModel::syncState() const
{
    if (!m_refusal.isEmpty())
        return SyncState::Refused;
    if (!m_staleReason.isEmpty())
        return SyncState::Stale;
    if (!m_joined)
        return SyncState::Joining;
    if (m_catchUpTo)
        return SyncState::AwaitingSnapshot;
    if (m_snapshot == Snapshot::Complete)
        return SyncState::Live;
    if (m_snapshot == Snapshot::Incomplete || m_noSnapshot)
        return SyncState::Partial;
    return SyncState::AwaitingSnapshot;
}

QString EventSeatModel::syncDetail() const
{
    switch (syncState()) {
    case SyncState::Joining:
        return QStringLiteral("Not in the room yet: joining as soon as the server is reached…");
    case SyncState::AwaitingSnapshot:
        return m_catchUpTo ? QStringLiteral("Rejoined; receiving the changes missed up to "
                                            "seq %1…")
                                 .arg(*m_catchUpTo)
                           : QStringLiteral("Joined; waiting for the seat map from the server…");
    case SyncState::Live:
        return {};
    case SyncState::Partial:
        return m_snapshot == Snapshot::Incomplete
                   ? QStringLiteral("The server could not load the full seat map yet: seats it "
                                    "did not know are learned from updates until it can.")
                   : QStringLiteral("No snapshot from server: seats are learned from updates "
                                    "only, so seats that have not changed yet are not shown.");
    case SyncState::Stale:
        return m_staleReason;
    case SyncState::Refused:
        return QStringLiteral("The server refused to join this event: %1").arg(m_refusal);
    }
    return {};
}

bool EventSeatModel::isInSync() const
{
    // An incomplete snapshot is not in sync: the server sends the complete one when it can.
    const SyncState state = syncState();
    return state == SyncState::Live || (state == SyncState::Partial && !hasSnapshot());
}

std::optional<RoomMessages::RoomPosition> EventSeatModel::heldPosition() const
{
    if (m_epoch.isEmpty() || !m_heldSeq || m_snapshot != Snapshot::Complete)
        return std::nullopt;
    return RoomMessages::RoomPosition{m_epoch, *m_heldSeq};
}

void EventSeatModel::markJoining()
{
    m_joined = false;
    m_seqTrusted = false;
    m_catchUpTo.reset();
    emit statusChanged();
}

void EventSeatModel::markJoined()
{
    m_joined = true;
    m_refusal.clear();
    emit statusChanged();
}

void EventSeatModel::markRefused(const QString &message)
{
    m_joined = false;
    m_refusal = message.isEmpty() ? QStringLiteral("no reason given") : message;
    emit statusChanged();
}

void EventSeatModel::markNoSnapshot()
{
    if (!m_joined || m_seqTrusted)
        return;
    m_noSnapshot = true;
    if (m_lostAtMs > 0 && !m_resyncPending)
        m_staleReason = QStringLiteral("Reconnected, but the server sends no snapshot: changes "
                                       "made since %1 may be missing.")
                            .arg(clock(m_lostAtMs));
    emit statusChanged();
}

void EventSeatModel::markConnectionLost(const QString &reason)
{
    m_joined = false;
    m_seqTrusted = false;
    m_catchUpTo.reset();
    m_lostAtMs = nowMs();
    m_staleReason = QStringLiteral("Connection lost at %1 (%2): showing the last known state.")
                        .arg(clock(m_lostAtMs), reason);
    emit statusChanged();
}

void EventSeatModel::markResumed(qint64 roomSeq)
{
    if (!heldPosition()) { // a server resuming a map this model never offered
        m_staleReason = QStringLiteral("The server resumed a map this monitor does not hold: "
                                       "resyncing…");
        emit statusChanged();
        return emit resyncNeeded();
    }
    // Back to where the map is whole: the changes after it are replayed in order, including
    // any this model applied after a gap (each carries its seat's state, so replaying is safe).
    m_seq = m_heldSeq;
    markInSync();
    if (roomSeq > *m_heldSeq)
        m_catchUpTo = roomSeq;
    emit statusChanged();
}

void EventSeatModel::markInSync()
{
    m_seqTrusted = true;
    m_joined = true;
    m_refusal.clear();
    m_staleReason.clear();
    m_resyncPending = false;
    m_lostAtMs = 0;
    m_catchUpTo.reset();
}

void EventSeatModel::setViewers(int viewers)
{
    if (m_viewers == viewers)
        return;
    m_viewers = viewers;
    emit statusChanged();
}

void EventSeatModel::applySnapshot(const RoomMessages::RoomSnapshot &snapshot)
{
    m_seq = snapshot.seq;
    m_epoch = snapshot.epoch;
    m_heldSeq = snapshot.complete ? std::optional(snapshot.seq) : std::nullopt;
    markInSync();
    m_snapshot = snapshot.complete ? Snapshot::Complete : Snapshot::Incomplete;
    if (snapshot.viewers)
        m_viewers = *snapshot.viewers;
    if (!snapshot.complete || hasSameSeats(snapshot.seats)) {
        // Same map (a resync) or a partial one: change in place, so only real changes flash.
        bool layoutChanged = false;
        for (const Seat &seat : snapshot.seats)
            layoutChanged |= upsert(seat, true);
        if (layoutChanged)
            emit seatsReset();
    } else {
        replaceSeats(snapshot.seats);
    }
    emit statusChanged();
}

bool EventSeatModel::hasSameSeats(const QList<Seat> &seats) const
{
    if (seats.size() != m_seats.size())
        return false;
    for (const Seat &seat : seats) {
        const int i = indexOf(seat.id);
        if (i < 0 || m_seats[i].tag != seat.tag)
            return false;
    }
    return true;
}

void EventSeatModel::replaceSeats(const QList<Seat> &seats)
{
    const QList<Seat> previous = m_seats;
    const QHash<QString, int> previousIndex = m_index;
    const QList<qint64> previousChangedAt = m_changedAt;
    m_seats.clear();
    m_index.clear();
    m_changedAt.clear();
    m_counts = {};
    for (const Seat &seat : seats) {
        if (m_index.contains(seat.id))
            continue; // a duplicate id in the server's list: the first one stands
        const int old = previousIndex.value(seat.id, -1);
        m_index.insert(seat.id, int(m_seats.size()));
        m_seats.append(seat);
        m_changedAt.append(old >= 0 && previous[old].state == seat.state ? previousChangedAt[old]
                                                                         : 0);
        ++m_counts[int(seat.state)];
    }
    emit seatsReset();
}

bool EventSeatModel::upsert(const Seat &seat, bool fromSnapshot)
{
    const int i = indexOf(seat.id);
    if (i < 0) {
        m_index.insert(seat.id, int(m_seats.size()));
        m_seats.append(seat);
        m_changedAt.append(fromSnapshot ? 0 : nowMs());
        ++m_counts[int(seat.state)];
        return true;
    }
    const bool retagged = !seat.tag.isEmpty() && seat.tag != m_seats[i].tag;
    if (retagged)
        m_seats[i].tag = seat.tag;
    if (m_seats[i].state != seat.state)
        setState(i, seat.state, fromSnapshot);
    return retagged;
}

void EventSeatModel::setState(int index, SeatState state, bool fromSnapshot)
{
    const SeatState previous = m_seats[index].state;
    --m_counts[int(previous)];
    ++m_counts[int(state)];
    m_seats[index].state = state;
    m_changedAt[index] = nowMs();
    emit seatChanged(index, previous, fromSnapshot);
}

EventSeatModel::UpdateResult EventSeatModel::applyUpdate(const RoomMessages::SeatUpdate &update)
{
    bool gap = false;
    if (!checkSeq(update, gap))
        return UpdateResult::Duplicate;
    const int before = indexOf(update.seatId);
    const SeatState previous = before >= 0 ? m_seats[before].state : update.state;
    const bool layoutChanged = upsert({update.seatId, update.tag, update.state}, false);
    if (layoutChanged)
        emit seatsReset();
    if (before < 0)
        emit seatChanged(indexOf(update.seatId), std::nullopt, false);
    emit statusChanged();
    if (gap)
        return UpdateResult::Gap;
    return before < 0 || previous != update.state ? UpdateResult::Applied : UpdateResult::Unchanged;
}

// Once a snapshot anchors the seq, an update must be the next one: older ones are already in
// the map, later ones mean some were lost on the way.
bool EventSeatModel::checkSeq(const RoomMessages::SeatUpdate &update, bool &gap)
{
    if (!update.seq)
        return true;
    if (m_seqTrusted && m_seq) {
        if (*update.seq <= *m_seq)
            return false;
        if (*update.seq > *m_seq + 1) {
            gap = true;
            markGap(*m_seq + 1, *update.seq - 1);
        }
    }
    m_seq = update.seq;
    advanceHeldSeq(*update.seq);
    return true;
}

// The position to rejoin with moves only while no change is missing: after a gap it stays
// where the map was last whole, so a rejoin asks for the missed changes too.
void EventSeatModel::advanceHeldSeq(qint64 seq)
{
    if (m_heldSeq && !m_resyncPending && seq == *m_heldSeq + 1)
        m_heldSeq = seq;
    if (m_catchUpTo && seq >= *m_catchUpTo)
        m_catchUpTo.reset();
}

void EventSeatModel::markGap(qint64 from, qint64 to)
{
    const QString missed = from == to ? QStringLiteral("update %1").arg(from)
                                      : QStringLiteral("updates %1–%2").arg(from).arg(to);
    if (m_resyncPending)
        return;
    m_resyncPending = true;
    m_staleReason =
        QStringLiteral("Missed %1 at %2: resyncing with the server…").arg(missed, clock(nowMs()));
    emit resyncNeeded();
}

} // namespace Reservo
