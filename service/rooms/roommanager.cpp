// SPDX-License-Identifier: MIT
#include "roommanager.h"

#include "enginepacket.h"
#include "socketpacket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <algorithm>

Q_LOGGING_CATEGORY(lcRooms, "reservo.rooms", QtInfoMsg)

namespace Reservo {

QByteArray encodeEventFrame(const QString &event, const QJsonArray &args)
{
    return EngineIo::encode(EngineIo::PacketType::Message,
                            SocketIo::encodeEvent(QStringLiteral("/"), event, args));
}

namespace {
// The original's `{"id","state"}` plus the additive `eventId`, `tag` (when known) and `seq`.
QJsonObject seatStatusPayload(const QString &eventId, const AppliedChange &c)
{
    QJsonObject payload{{QStringLiteral("id"), c.seatId},
                        {QStringLiteral("state"), QString(seatStateName(c.state))},
                        {QStringLiteral("eventId"), eventId},
                        {QStringLiteral("seq"), double(c.seq)}};
    if (!c.tag.isEmpty())
        payload.insert(QStringLiteral("tag"), c.tag);
    return payload;
}

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
}

RoomManager::Room &RoomManager::ensureRoom(const QString &eventId)
{
    auto it = m_rooms.find(eventId);
    if (it != m_rooms.end())
        return *it;
    it = m_rooms.insert(
        eventId, Room{RoomState(m_options.historyPerRoom, m_offset), {}, {}, false, 0, {}, false});
    qCDebug(lcRooms) << "room created" << eventId;
    emit roomCreated(eventId);
    return *it;
}

bool RoomManager::join(const QString &eventId, RoomMember *member)
{
    Room &room = ensureRoom(eventId);
    if (room.members.contains(member))
        return false;
    room.members.insert(member);
    room.emptySince.invalidate();
    m_memberships[member].insert(eventId, m_offset);
    ++m_totalMembers;
    markPresence(room);
    return true;
}

bool RoomManager::leave(const QString &eventId, RoomMember *member)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || !room->members.remove(member))
        return false;
    room->awaitingSnapshot.remove(member);
    --m_totalMembers;
    const auto memberships = m_memberships.find(member);
    memberships->remove(eventId);
    if (memberships->isEmpty())
        m_memberships.erase(memberships);
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
}

QStringList RoomManager::roomsOf(RoomMember *member) const
{
    return m_memberships.value(member).keys();
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
    broadcast(*room, QStringLiteral("update-seat-status"),
              seatStatusPayload(change.eventId, *applied),
              seatKey(change.eventId, applied->seatId));
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
        broadcast(*room, QStringLiteral("update-seat-status"), seatStatusPayload(eventId, c),
                  seatKey(eventId, c.seatId));
    room->fetchFailed = false;
    room->awaitingSnapshot.clear();
    if (!wasComplete) // every member so far has no map or a partial one
        broadcast(*room, QStringLiteral("room-snapshot"),
                  room->state.snapshotJson(eventId, int(room->members.size())));
    qCDebug(lcRooms) << "snapshot of" << eventId << seats.size() << "seats," << changed.size()
                     << "changed";
}

void RoomManager::broadcast(Room &room, const QString &event, const QJsonObject &payload,
                            const QString &supersedeKey)
{
    const quint64 offset = ++m_offset;
    // The offset as a last string argument is Socket.IO's connection-state-recovery mark.
    const QByteArray frame = encodeEventFrame(event, {payload, QString::number(offset)});
    room.state.record(offset, frame);
    deliver(room, frame, supersedeKey);
}

void RoomManager::deliver(Room &room, const QByteArray &frame, const QString &supersedeKey)
{
    // A copy: a member may leave while we iterate (its removal must not invalidate the loop).
    const QSet<RoomMember *> members = room.members;
    for (RoomMember *member : members)
        member->deliver(frame, supersedeKey);
}

QByteArray RoomManager::snapshotFrame(const QString &eventId) const
{
    const auto room = m_rooms.constFind(eventId);
    if (room == m_rooms.cend())
        return {};
    return encodeEventFrame(QStringLiteral("room-snapshot"),
                            {room->state.snapshotJson(eventId, int(room->members.size()))});
}

void RoomManager::sendSnapshot(const QString &eventId, RoomMember *member)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end())
        return;
    if (room->state.isComplete() || room->fetchFailed)
        member->deliver(snapshotFrame(eventId));
    else
        room->awaitingSnapshot.insert(member);
}

void RoomManager::snapshotUnavailable(const QString &eventId)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || room->state.isComplete())
        return;
    room->fetchFailed = true;
    const QSet<RoomMember *> waiting = std::exchange(room->awaitingSnapshot, {});
    const QByteArray frame = snapshotFrame(eventId);
    for (RoomMember *member : waiting)
        member->deliver(frame);
}

std::optional<QList<QByteArray>> RoomManager::missedSince(const Memberships &rooms,
                                                          quint64 offset) const
{
    if (offset > m_offset)
        return std::nullopt;
    QList<std::pair<quint64, QByteArray>> all;
    for (auto it = rooms.cbegin(); it != rooms.cend(); ++it) {
        const auto room = m_rooms.constFind(it.key());
        if (room == m_rooms.cend())
            return std::nullopt;
        // Broadcasts from before the member joined are in the snapshot it got, not missed.
        const auto missed = room->state.since(std::max(offset, it.value()));
        if (!missed)
            return std::nullopt;
        all += *missed;
    }
    std::sort(all.begin(), all.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<QByteArray> frames;
    for (const auto &entry : std::as_const(all))
        frames.append(entry.second);
    return frames;
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
        const QJsonObject payload{{QStringLiteral("eventId"), it.key()},
                                  {QStringLiteral("viewers"), int(it->members.size())}};
        deliver(*it, encodeEventFrame(QStringLiteral("room-presence"), {payload}),
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

int RoomManager::memberCount(const QString &eventId) const
{
    const auto room = m_rooms.constFind(eventId);
    return room == m_rooms.cend() ? 0 : int(room->members.size());
}

} // namespace Reservo
