// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "seat.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>

// The room events a reservo-ws sends to a browser (SPEC section 1, README protocol), as its
// clients (reservo-monitor, reservo-watch) read them, and the joins they send.
namespace Reservo::RoomMessages {

inline constexpr char JoinEvent[] = "join-event-room";
inline constexpr char LeaveEvent[] = "leave-event-room";
inline constexpr char ListEventsEvent[] = "list-events";
inline constexpr char SeatUpdateEvent[] = "update-seat-status";
inline constexpr char SnapshotEvent[] = "room-snapshot";
inline constexpr char LayoutEvent[] = "room-layout";
inline constexpr char PresenceEvent[] = "room-presence";

// Where a client's map of a room stands: the room's epoch (one per room lifetime per instance)
// and the last seq applied. A join that names it gets only the changes since, when it can.
struct RoomPosition
{
    QString epoch;
    qint64 seq = 0;
    friend bool operator==(const RoomPosition &, const RoomPosition &) = default;
};

// A `join-event-room` with the protocol's opt-in fields. `{"eventId"}` alone when none is set,
// exactly what the original's clients send.
struct JoinRequest
{
    QString eventId;
    bool compact = false; // ask for room-layout + the compact room-snapshot
    QString layout;       // compact: the layout version held for the room; empty: none
    std::optional<RoomPosition> held;
};
QJsonObject joinPayload(const JoinRequest &request);

// The ack of a join that succeeded. An older server acks with the string alone: no room.
struct JoinAck
{
    std::optional<RoomPosition> room; // the room's epoch and seq when it acked
    bool resumed = false;             // the updates after the held seq follow, and no snapshot
};
// nullopt with the server's reason (or why the reply is not a join ack) when refused.
std::optional<JoinAck> parseJoinAck(const QJsonArray &args, QString *error = nullptr);

// `update-seat-status`: `id` and `state` always; `eventId`, `tag` and `seq` from newer servers.
struct SeatUpdate
{
    QString eventId; // empty: an older server that does not say which room
    QString seatId;
    SeatState state = SeatState::Available;
    QString tag; // empty: not known
    std::optional<qint64> seq;
};

// `room-snapshot`: a room's whole seat map at `seq`. A compact one carries its seats as `states`
// packed in the order of layout `layout` (CompactSeats), and no `seats` until decoded
// (RoomLayouts::resolve).
struct RoomSnapshot
{
    QString eventId;
    qint64 seq = 0;
    QList<Seat> seats{};
    std::optional<int> viewers{};
    bool complete = true;
    QString epoch{};     // empty: an older server
    QString layout{};    // compact only: the layout version the states follow
    QByteArray states{}; // compact only: CompactSeats::packStates

    bool isCompact() const { return !layout.isEmpty(); }
};

// `room-layout`: a room's seats in the fixed order of its compact snapshots, under a version.
struct RoomLayout
{
    QString eventId;
    QString version;
    QList<Seat> seats; // ids and tags; states AVAILABLE
};

// `room-presence`: how many members a room has.
struct Presence
{
    QString eventId;
    int viewers = 0;
};

std::optional<SeatUpdate> parseSeatUpdate(const QJsonValue &payload, QString *error = nullptr);
std::optional<RoomSnapshot> parseSnapshot(const QJsonValue &payload, QString *error = nullptr);
std::optional<RoomLayout> parseLayout(const QJsonValue &payload, QString *error = nullptr);
std::optional<Presence> parsePresence(const QJsonValue &payload, QString *error = nullptr);
// The ack of `list-events`: the events service's upcoming events, or `{"error": …}`.
std::optional<QList<NatsWire::EventSummary>> parseEventList(const QJsonValue &ackArgument,
                                                            QString *error = nullptr);

} // namespace Reservo::RoomMessages
