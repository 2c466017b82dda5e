// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "seat.h"

#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>

// The room events a reservo-ws sends to a browser (SPEC section 1), as the monitor reads them.
namespace Reservo::RoomMessages {

inline constexpr char JoinEvent[] = "join-event-room";
inline constexpr char LeaveEvent[] = "leave-event-room";
inline constexpr char ListEventsEvent[] = "list-events";
inline constexpr char SeatUpdateEvent[] = "update-seat-status";
inline constexpr char SnapshotEvent[] = "room-snapshot";
inline constexpr char PresenceEvent[] = "room-presence";

// `update-seat-status`: `id` and `state` always; `eventId`, `tag` and `seq` from newer servers.
struct SeatUpdate
{
    QString eventId; // empty: an older server that does not say which room
    QString seatId;
    SeatState state = SeatState::Available;
    QString tag; // empty: not known
    std::optional<qint64> seq;
};

// `room-snapshot`: a room's whole seat map at `seq`.
struct RoomSnapshot
{
    QString eventId;
    qint64 seq = 0;
    QList<Seat> seats;
    std::optional<int> viewers;
    bool complete = true;
};

// `room-presence`: how many members a room has.
struct Presence
{
    QString eventId;
    int viewers = 0;
};

std::optional<SeatUpdate> parseSeatUpdate(const QJsonValue &payload, QString *error = nullptr);
std::optional<RoomSnapshot> parseSnapshot(const QJsonValue &payload, QString *error = nullptr);
std::optional<Presence> parsePresence(const QJsonValue &payload, QString *error = nullptr);
// The ack of `list-events`: the events service's upcoming events, or `{"error": …}`.
std::optional<QList<NatsWire::EventSummary>> parseEventList(const QJsonValue &ackArgument,
                                                            QString *error = nullptr);

} // namespace Reservo::RoomMessages
