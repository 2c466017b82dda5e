// SPDX-License-Identifier: MIT
#include "floorrooms.h"

#include "compactseats.h"
#include "natsclient.h"
#include "websocketframe.h"

#include <QUuid>

namespace Reservo::Bench {

namespace {
constexpr int RequestTimeoutMs = 10000;

void appendString(QByteArray &out, const QString &text)
{
    out.append('"');
    for (const char c : text.toUtf8()) {
        if (c == '"' || c == '\\')
            out.append('\\').append(c);
        else if (uchar(c) < 0x20)
            out.append("\\u00").append(QByteArray::number(uchar(c), 16).rightJustified(2, '0'));
        else
            out.append(c);
    }
    out.append('"');
}

QByteArray framed(const QByteArray &packet)
{
    return WebSocketFrame::encodeServerFrame(WebSocketFrame::Opcode::Text, packet);
}
} // namespace

FloorRooms::FloorRooms(NatsClient *nats, QObject *parent) : QObject(parent), m_nats(nats) {}

FloorRooms::Map FloorRooms::request(const QString &eventId)
{
    const auto found = m_rooms.constFind(eventId);
    if (found != m_rooms.cend())
        return found->map;
    m_rooms.insert(eventId, Room());
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_nats->request(NatsWire::EventByIdSubject, NatsWire::encodeEventByIdRequest(eventId, id),
                    RequestTimeoutMs, [this, eventId](const NatsReply &reply) {
                        handleReply(eventId, reply.payload, reply.status == NatsReply::Status::Ok);
                    });
    return Map::Fetching;
}

// No events service (the fan-out scenarios run none): the room has no map, joins get none.
void FloorRooms::handleReply(const QString &eventId, const QByteArray &payload, bool ok)
{
    Room &room = m_rooms[eventId];
    const auto parsed = ok ? NatsWire::parseEventByIdReply(payload)
                           : NatsWire::Parsed<NatsWire::Reply<NatsWire::EventDetails>>();
    if (parsed && parsed.value->value)
        install(room, eventId, parsed.value->value->seats);
    else
        room.map = Map::Missing;
    emit mapSettled(eventId);
}

void FloorRooms::install(Room &room, const QString &eventId, const QList<Seat> &seats)
{
    room.map = Map::Ready;
    room.layoutVersion = CompactSeats::layoutVersion(seats);
    QByteArray layout = "42[\"room-layout\",{\"eventId\":";
    appendString(layout, eventId);
    layout.append(",\"layout\":\"").append(room.layoutVersion.toLatin1()).append("\",\"seats\":[");
    for (qsizetype i = 0; i < seats.size(); ++i) {
        room.index.insert(seats[i].id, int(i));
        room.states.push_back(seats[i].state);
        room.seatHeads.append("{\"id\":");
        appendString(room.seatHeads, seats[i].id);
        room.seatHeads.append(",\"tag\":");
        appendString(room.seatHeads, seats[i].tag);
        room.seatHeads.append(",\"state\":\"");
        room.seatEnds.push_back(room.seatHeads.size());
        layout.append(i ? ",[" : "[");
        appendString(layout, seats[i].id);
        layout.append(',');
        appendString(layout, seats[i].tag);
        layout.append(']');
    }
    room.layout = framed(layout.append("]}]"));
}

void FloorRooms::apply(const NatsWire::SeatChange &change)
{
    const auto room = m_rooms.find(change.eventId);
    if (room == m_rooms.end() || room->map != Map::Ready)
        return;
    const auto seat = room->index.constFind(change.seatId);
    if (seat == room->index.cend() || room->states[size_t(*seat)] == change.state)
        return;
    room->states[size_t(*seat)] = change.state;
    ++room->seq;
    room->json.clear();
    room->compact.clear();
}

QList<QByteArray> FloorRooms::frames(const QString &eventId, bool compact,
                                     const QString &heldLayout, int viewers)
{
    const auto room = m_rooms.find(eventId);
    if (room == m_rooms.end() || room->map != Map::Ready)
        return {};
    QByteArray &snapshot = compact ? room->compact : room->json;
    if (snapshot.isEmpty())
        snapshot = snapshotFrame(*room, eventId, compact, viewers);
    if (compact && heldLayout != room->layoutVersion)
        return {room->layout, snapshot};
    return {snapshot};
}

QByteArray FloorRooms::snapshotFrame(const Room &room, const QString &eventId, bool compact,
                                     int viewers)
{
    QByteArray out = "42[\"room-snapshot\",{\"eventId\":";
    out.reserve(room.seatHeads.size() + qsizetype(room.states.size()) * 12 + 256);
    appendString(out, eventId);
    out.append(",\"epoch\":\"floor\",\"seq\":").append(QByteArray::number(room.seq));
    out.append(",\"complete\":true,\"viewers\":").append(QByteArray::number(viewers));
    if (compact) {
        out.append(",\"layout\":\"").append(room.layoutVersion.toLatin1());
        out.append("\",\"states\":\"").append(CompactSeats::packStates(room.states));
        return framed(out.append("\"}]"));
    }
    out.append(",\"seats\":[");
    qsizetype start = 0;
    for (size_t i = 0; i < room.states.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(room.seatHeads.constData() + start, room.seatEnds[i] - start);
        out.append(seatStateName(room.states[i])).append("\"}");
        start = room.seatEnds[i];
    }
    return framed(out.append("]}]"));
}

} // namespace Reservo::Bench
