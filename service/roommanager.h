// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "roommember.h"

#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcRooms)

namespace Reservo {

// Rooms keyed by eventId: who is in each, and the fan-out of seat changes to its members.
// Knows nothing of sockets or NATS.
class RoomManager : public QObject
{
    Q_OBJECT
public:
    explicit RoomManager(QObject *parent = nullptr);

    // False if the member is already in that room.
    bool join(const QString &eventId, RoomMember *member);
    bool leave(const QString &eventId, RoomMember *member);
    void leaveAll(RoomMember *member);

    // Encodes the change once and delivers it to every member of the event's room.
    // Returns the number of members it reached.
    int broadcastSeatChange(const NatsWire::SeatChange &change);

    int roomCount() const { return int(m_rooms.size()); }
    int memberCount(const QString &eventId) const;
    int totalMembers() const { return m_totalMembers; }
    int roomsOf(RoomMember *member) const;
    quint64 deliveries() const { return m_deliveries; }
    quint64 changesWithoutRoom() const { return m_changesWithoutRoom; }

signals:
    void roomCreated(const QString &eventId);
    void roomEmptied(const QString &eventId);

private:
    QHash<QString, QSet<RoomMember *>> m_rooms;
    QHash<RoomMember *, QSet<QString>> m_memberships;
    int m_totalMembers = 0;
    quint64 m_deliveries = 0;
    quint64 m_changesWithoutRoom = 0;
};

} // namespace Reservo
