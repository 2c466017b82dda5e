// SPDX-License-Identifier: MIT
#include "roommanager.h"

#include "roomframes.h"

#include <algorithm>

Q_LOGGING_CATEGORY(lcRooms, "reservo.rooms", QtInfoMsg)

namespace Reservo {

namespace {
QString seatKey(const QString &eventId, const QString &seatId)
{
    return eventId + QChar(0x1f) + seatId;
}
} // namespace

RoomManager::RoomManager(const Options &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_presenceTimer.setSingleShot(true);
    connect(&m_presenceTimer, &QTimer::timeout, this, &RoomManager::handlePresenceTimer);
    m_sweepTimer.setInterval(std::clamp(options.emptyRoomGraceMs / 4, 10, 5000));
    connect(&m_sweepTimer, &QTimer::timeout, this, &RoomManager::handleSweepTimer);
    m_cacheTimer.setInterval(std::max(10, options.snapshotCacheIdleMs / 2));
    connect(&m_cacheTimer, &QTimer::timeout, this, &RoomManager::handleCacheTimer);
}

RoomManager::Room &RoomManager::ensureRoom(const QString &eventId)
{
    auto it = m_rooms.find(eventId);
    if (it != m_rooms.end())
        return *it;
    it = m_rooms.insert(eventId, Room(RoomState(m_options.historyPerRoom, m_offset)));
    qCDebug(lcRooms) << "room created" << eventId;
    emit roomCreated(eventId);
    return *it;
}

RoomManager::JoinOutcome RoomManager::join(const QString &eventId, RoomMember *member,
                                           const JoinRequest &request,
                                           const Acknowledge &acknowledge)
{
    if (!m_rooms.contains(eventId) && m_rooms.size() >= m_options.maxRooms) {
        ++m_roomsRefused;
        QString suppressed;
        if (m_refusedLog.take(&suppressed))
            qCWarning(lcRooms).noquote() << "join for" << eventId << "refused: MAX_ROOMS"
                                         << m_options.maxRooms << "rooms held" << suppressed;
        JoinOutcome refused;
        refused.refused = true;
        return refused;
    }
    const quint64 seen = seenUpTo(member); // before this room counts for the member
    Room &room = ensureRoom(eventId);
    Membership membership{m_offset, Membership::Owed, request.format, request.layout};
    QList<RecordedUpdate> updates;
    const bool resumed = resume(room, request, seen, membership, updates);
    const JoinOutcome outcome{!room.members.contains(member), room.state.epoch(), room.state.seq(),
                              resumed};
    addMember(eventId, room, member, membership);
    if (acknowledge)
        acknowledge(outcome);
    if (resumed) {
        ++m_rejoinsResumed;
        for (const RecordedUpdate &update : std::as_const(updates))
            member->deliver(update.frame);
    } else if (room.state.isComplete() || room.fetchFailed) {
        sendSnapshot(eventId, room, member, seen);
    } else {
        room.awaitingSnapshot.insert(member);
    }
    return outcome;
}

RoomManager::JoinOutcome RoomManager::join(const QString &eventId, RoomMember *member)
{
    return join(eventId, member, JoinRequest{});
}

// Whether the member can continue from the map it holds: the same room lifetime, and every
// update since still kept. Their offsets must lie above what the member may have been sent from
// its other rooms, so the offsets it sees keep rising; otherwise it gets a snapshot.
bool RoomManager::resume(const Room &room, const JoinRequest &request, quint64 seenUpTo,
                         Membership &membership, QList<RecordedUpdate> &updates) const
{
    if (!request.epoch || *request.epoch != room.state.epoch())
        return false;
    std::optional<QList<RecordedUpdate>> after = room.state.updatesAfter(request.seq);
    if (!after || (!after->isEmpty() && after->constFirst().offset <= seenUpTo))
        return false;
    updates = std::move(*after);
    if (!updates.isEmpty()) // recovery replays these too if the client misses them
        membership.joinOffset = updates.constFirst().offset - 1;
    membership.snapshotOffset = 0;
    return true;
}

void RoomManager::addMember(const QString &eventId, Room &room, RoomMember *member,
                            const Membership &membership)
{
    m_members[member].rooms.insert(eventId, membership);
    room.awaitingSnapshot.remove(member);
    if (room.members.contains(member))
        return;
    room.members.insert(member);
    room.emptySince.invalidate();
    ++m_totalMembers;
    markPresence(room);
}

void RoomManager::sendSnapshot(const QString &eventId, Room &room, RoomMember *member,
                               quint64 seenUpTo)
{
    Membership &membership = m_members[member].rooms[eventId];
    if (membership.format == SnapshotFormat::Compact) {
        const QString layout = room.snapshots.layoutVersion(room.state);
        if (membership.layout != layout) {
            member->deliver(room.snapshots.layoutFrame(eventId, room.state));
            membership.layout = layout;
        }
    }
    const SnapshotCache::Tagged snapshot = room.snapshots.snapshot(
        membership.format, eventId, room.state, int(room.members.size()), seenUpTo, m_offset);
    m_snapshotsEncoded += snapshot.encoded ? 1 : 0;
    ++m_snapshotsSent;
    membership.snapshotOffset = snapshot.offset;
    if (!m_cacheTimer.isActive())
        m_cacheTimer.start();
    member->deliver(snapshot.frame);
}

namespace {
quint64 snapshotSeen(const Membership &membership)
{
    return membership.snapshotOffset == Membership::Owed ? 0 : membership.snapshotOffset;
}
} // namespace

// An upper bound of the offsets the member was sent: its rooms' broadcasts and its own
// snapshots, in the rooms it is in and those it left.
quint64 RoomManager::seenUpTo(RoomMember *member) const
{
    const auto it = m_members.constFind(member);
    if (it == m_members.cend())
        return 0;
    quint64 seen = it->leftUpTo;
    for (auto room = it->rooms.cbegin(); room != it->rooms.cend(); ++room) {
        seen = std::max(seen, snapshotSeen(*room));
        if (const auto found = m_rooms.constFind(room.key()); found != m_rooms.cend())
            seen = std::max(seen, found->lastBroadcast);
    }
    return seen;
}

bool RoomManager::leave(const QString &eventId, RoomMember *member)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || !room->members.remove(member))
        return false;
    room->awaitingSnapshot.remove(member);
    --m_totalMembers;
    MemberRooms &rooms = m_members[member];
    const Membership membership = rooms.rooms.take(eventId);
    rooms.leftUpTo = std::max({rooms.leftUpTo, room->lastBroadcast, snapshotSeen(membership)});
    if (room->members.isEmpty()) {
        room->emptySince.start();
        if (!m_sweepTimer.isActive())
            m_sweepTimer.start();
    }
    markPresence(*room);
    return true;
}

void RoomManager::leaveAll(RoomMember *member)
{
    const QStringList rooms = roomsOf(member);
    for (const QString &eventId : rooms)
        leave(eventId, member);
    m_members.remove(member); // a new Socket.IO session, if any, starts afresh
}

QStringList RoomManager::roomsOf(RoomMember *member) const
{
    return m_members.value(member).rooms.keys();
}

void RoomManager::hold(const QString &eventId)
{
    ++ensureRoom(eventId).held;
}

void RoomManager::release(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || room->held == 0)
        return;
    if (--room->held == 0 && room->members.isEmpty()) {
        room->emptySince.start();
        if (!m_sweepTimer.isActive())
            m_sweepTimer.start();
    }
}

std::optional<RoomManager::RecoveryPlan> RoomManager::planRecovery(const Memberships &rooms,
                                                                   quint64 offset) const
{
    if (offset > m_offset)
        return std::nullopt;
    RecoveryPlan plan{rooms, {}, {}};
    QList<RecordedUpdate> all;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it) {
        const auto room = m_rooms.constFind(it.key());
        if (room == m_rooms.cend())
            return std::nullopt;
        if (offset < it->snapshotOffset) { // it never got the snapshot: a fresh one replaces all
            plan.owedSnapshots.append(it.key());
            continue;
        }
        // Broadcasts from before the member joined are in what it got then, not missed.
        const auto missed = room->state.since(std::max(offset, it->joinOffset));
        if (!missed)
            return std::nullopt;
        all += *missed;
    }
    std::sort(all.begin(), all.end(),
              [](const RecordedUpdate &a, const RecordedUpdate &b) { return a.offset < b.offset; });
    for (const RecordedUpdate &update : std::as_const(all))
        plan.missed.append(update.frame);
    return plan;
}

void RoomManager::recover(RoomMember *member, const RecoveryPlan &plan)
{
    for (auto it = plan.rooms.cbegin(); it != plan.rooms.cend(); ++it) {
        Membership membership = *it;
        membership.joinOffset = m_offset;
        membership.snapshotOffset = plan.owedSnapshots.contains(it.key()) ? Membership::Owed : 0;
        addMember(it.key(), ensureRoom(it.key()), member, membership);
    }
    for (const QByteArray &frame : plan.missed)
        member->deliver(frame);
    for (const QString &eventId : plan.owedSnapshots) {
        Room &room = m_rooms[eventId];
        if (room.state.isComplete() || room.fetchFailed)
            sendSnapshot(eventId, room, member, seenUpTo(member));
        else
            room.awaitingSnapshot.insert(member);
    }
}

int RoomManager::applySeatChange(const NatsWire::SeatChange &change)
{
    const auto room = m_rooms.find(change.eventId);
    if (room == m_rooms.end()) {
        ++m_changesWithoutRoom;
        return 0;
    }
    const std::optional<AppliedChange> applied = room->state.apply(change);
    if (!applied) {
        ++m_unchanged;
        return 0;
    }
    broadcastChange(change.eventId, *room, *applied);
    return int(room->members.size());
}

void RoomManager::beginSnapshotFetch(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room != m_rooms.end())
        room->state.beginFetch();
}

void RoomManager::applySnapshot(const QString &eventId, const QList<Seat> &seats)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end())
        return;
    const bool wasComplete = room->state.isComplete();
    const QList<AppliedChange> changed = room->state.installSnapshot(seats);
    for (const AppliedChange &c : changed)
        broadcastChange(eventId, *room, c);
    room->fetchFailed = false;
    room->awaitingSnapshot.clear();
    if (!wasComplete) { // every member so far has no map or a partial one
        const QSet<RoomMember *> members = room->members;
        for (RoomMember *member : members)
            sendSnapshot(eventId, *room, member, seenUpTo(member));
    }
    qCDebug(lcRooms) << "snapshot of" << eventId << seats.size() << "seats," << changed.size()
                     << "changed";
}

void RoomManager::snapshotUnavailable(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || room->state.isComplete())
        return;
    room->fetchFailed = true;
    const QSet<RoomMember *> waiting = std::exchange(room->awaitingSnapshot, {});
    for (RoomMember *member : waiting)
        sendSnapshot(eventId, *room, member, seenUpTo(member));
}

void RoomManager::closeUnknownRoom(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end())
        return;
    const QSet<RoomMember *> members = room->members;
    for (RoomMember *member : members)
        leave(eventId, member);
    eraseRoom(room);
    // Told after the bookkeeping: a member may close its connection when told.
    for (RoomMember *member : members)
        member->eventUnknown(eventId);
}

bool RoomManager::dropIfUnused(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || !room->members.isEmpty() || room->held > 0)
        return false;
    eraseRoom(room);
    return true;
}

RoomManager::Interest RoomManager::interest(const QString &eventId) const
{
    const auto room = m_rooms.constFind(eventId);
    if (room == m_rooms.cend())
        return {};
    RoomMember *member = room->members.isEmpty() ? nullptr : *room->members.cbegin();
    return {member, room->held > 0 || room->state.isComplete()};
}

void RoomManager::eraseRoom(QHash<QString, Room>::iterator room)
{
    const QString eventId = room.key();
    m_rooms.erase(room);
    qCDebug(lcRooms) << "room dropped" << eventId;
    emit roomDropped(eventId);
}

const RoomState *RoomManager::room(const QString &eventId) const
{
    const auto room = m_rooms.constFind(eventId);
    return room == m_rooms.cend() ? nullptr : &room->state;
}

void RoomManager::broadcastChange(const QString &eventId, Room &room, const AppliedChange &change)
{
    const quint64 offset = ++m_offset;
    const QByteArray frame = RoomFrames::seatUpdate(eventId, change, offset);
    room.state.record(offset, change.seq, frame);
    deliver(room, frame, offset, seatKey(eventId, change.seatId));
}

void RoomManager::deliver(Room &room, const QByteArray &frame, quint64 offset,
                          const QString &supersedeKey)
{
    room.lastBroadcast = offset;
    // A copy: a member may leave while we iterate (its removal must not invalidate the loop).
    const QSet<RoomMember *> members = room.members;
    for (RoomMember *member : members)
        member->deliver(frame, supersedeKey);
}

void RoomManager::markPresence(Room &room)
{
    room.presenceDirty = true;
    if (!m_presenceTimer.isActive())
        m_presenceTimer.start(m_options.presenceIntervalMs);
}

void RoomManager::handlePresenceTimer()
{
    for (auto it = m_rooms.begin(); it != m_rooms.end(); ++it) {
        if (!it->presenceDirty)
            continue;
        it->presenceDirty = false;
        if (it->members.isEmpty())
            continue;
        const quint64 offset = ++m_offset;
        deliver(*it, RoomFrames::presence(it.key(), int(it->members.size()), offset), offset,
                QStringLiteral("presence\x1f") + it.key());
    }
}

void RoomManager::handleSweepTimer()
{
    bool anyEmpty = false;
    for (auto it = m_rooms.begin(); it != m_rooms.end();) {
        const bool empty = it->members.isEmpty() && it->held == 0;
        if (empty && it->emptySince.isValid() &&
            it->emptySince.elapsed() >= m_options.emptyRoomGraceMs) {
            const QString eventId = it.key();
            it = m_rooms.erase(it);
            qCDebug(lcRooms) << "room dropped" << eventId;
            emit roomDropped(eventId);
            continue;
        }
        anyEmpty = anyEmpty || empty;
        ++it;
    }
    if (!anyEmpty)
        m_sweepTimer.stop();
}

// Encoded snapshots are large (80 bytes a seat): keep them only while joins use them.
void RoomManager::handleCacheTimer()
{
    bool anyCached = false;
    for (Room &room : m_rooms) {
        if (room.snapshots.isEmpty())
            continue;
        if (room.snapshots.idleMs() >= m_options.snapshotCacheIdleMs)
            room.snapshots.clear();
        else
            anyCached = true;
    }
    if (!anyCached)
        m_cacheTimer.stop();
}

int RoomManager::memberCount(const QString &eventId) const
{
    const auto room = m_rooms.constFind(eventId);
    return room == m_rooms.cend() ? 0 : int(room->members.size());
}

} // namespace Reservo
