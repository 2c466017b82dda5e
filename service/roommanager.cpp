// SPDX-License-Identifier: MIT
#include "roommanager.h"

#include "enginepacket.h"
#include "socketpacket.h"

#include <QJsonObject>

Q_LOGGING_CATEGORY(lcRooms, "reservo.rooms", QtInfoMsg)

namespace Reservo {

namespace {
// `42["update-seat-status",{"id":…,"state":…}]`, byte-for-byte what the original emitted.
QByteArray encodeSeatStatus(const NatsWire::SeatChange &change)
{
    const QJsonObject payload{{QStringLiteral("id"), change.seatId},
                              {QStringLiteral("state"), QString(seatStateName(change.state))}};
    return EngineIo::encode(EngineIo::PacketType::Message,
                            SocketIo::encodeEvent(QStringLiteral("/"),
                                                  QStringLiteral("update-seat-status"), {payload}));
}
} // namespace

RoomManager::RoomManager(QObject *parent) : QObject(parent) {}

bool RoomManager::join(const QString &eventId, RoomMember *member)
{
    auto room = m_rooms.find(eventId);
    const bool created = room == m_rooms.end();
    if (created)
        room = m_rooms.insert(eventId, {});
    if (room->contains(member))
        return false;
    room->insert(member);
    m_memberships[member].insert(eventId);
    ++m_totalMembers;
    if (created) {
        qCDebug(lcRooms) << "room created" << eventId;
        emit roomCreated(eventId);
    }
    return true;
}

bool RoomManager::leave(const QString &eventId, RoomMember *member)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || !room->remove(member))
        return false;
    --m_totalMembers;
    const auto memberships = m_memberships.find(member);
    memberships->remove(eventId);
    if (memberships->isEmpty())
        m_memberships.erase(memberships);
    if (room->isEmpty()) {
        m_rooms.erase(room);
        qCDebug(lcRooms) << "room emptied" << eventId;
        emit roomEmptied(eventId);
    }
    return true;
}

void RoomManager::leaveAll(RoomMember *member)
{
    const QSet<QString> rooms = m_memberships.value(member);
    for (const QString &eventId : rooms)
        leave(eventId, member);
}

int RoomManager::broadcastSeatChange(const NatsWire::SeatChange &change)
{
    const auto room = m_rooms.constFind(change.eventId);
    if (room == m_rooms.cend()) {
        ++m_changesWithoutRoom;
        return 0;
    }
    const QByteArray frame = encodeSeatStatus(change);
    for (RoomMember *member : *room)
        member->deliver(frame);
    m_deliveries += quint64(room->size());
    return int(room->size());
}

int RoomManager::memberCount(const QString &eventId) const
{
    return int(m_rooms.value(eventId).size());
}

int RoomManager::roomsOf(RoomMember *member) const
{
    return int(m_memberships.value(member).size());
}

} // namespace Reservo
