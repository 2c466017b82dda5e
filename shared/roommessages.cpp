// SPDX-License-Identifier: MIT
#include "roommessages.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Reservo::RoomMessages {

namespace {

QString key(const char *name)
{
    return QString::fromLatin1(name);
}

template <typename T> std::optional<T> fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

// A sequence number: absent is fine, present must be a non-negative integer.
bool readSeq(const QJsonObject &o, std::optional<qint64> &seq)
{
    const QJsonValue v = o.value(key("seq"));
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() != double(v.toInteger()))
        return false;
    seq = v.toInteger();
    return true;
}

std::optional<Seat> readSeat(const QJsonValue &v)
{
    const QJsonObject o = v.toObject();
    const std::optional<SeatState> state = seatStateFromName(o.value(key("state")).toString());
    if (!NatsWire::isValidId(o.value(key("id"))) || !state)
        return std::nullopt;
    return Seat{o.value(key("id")).toString(), o.value(key("tag")).toString(), *state};
}

std::optional<int> readCount(const QJsonValue &v)
{
    if (!v.isDouble() || v.toDouble() < 0)
        return std::nullopt;
    return v.toInt();
}

} // namespace

std::optional<SeatUpdate> parseSeatUpdate(const QJsonValue &payload, QString *error)
{
    const QJsonObject o = payload.toObject();
    const std::optional<Seat> seat = readSeat(payload);
    if (!payload.isObject() || !seat)
        return fail<SeatUpdate>(error, QStringLiteral("update without a valid id and state"));
    SeatUpdate update{o.value(key("eventId")).toString(), seat->id, seat->state, seat->tag, {}};
    if (!readSeq(o, update.seq))
        return fail<SeatUpdate>(error, QStringLiteral("update with a seq that is not an integer"));
    return update;
}

std::optional<RoomSnapshot> parseSnapshot(const QJsonValue &payload, QString *error)
{
    const QJsonObject o = payload.toObject();
    std::optional<qint64> seq;
    if (!NatsWire::isValidId(o.value(key("eventId"))) || !readSeq(o, seq) ||
        !o.value(key("seats")).isArray())
        return fail<RoomSnapshot>(error, QStringLiteral("snapshot without eventId, seq or seats"));
    RoomSnapshot snapshot;
    snapshot.eventId = o.value(key("eventId")).toString();
    snapshot.seq = seq.value_or(0);
    snapshot.viewers = readCount(o.value(key("viewers")));
    snapshot.complete = o.value(key("complete")).toBool(true);
    const QJsonArray seats = o.value(key("seats")).toArray();
    snapshot.seats.reserve(seats.size());
    for (const QJsonValue &v : seats) {
        const std::optional<Seat> seat = readSeat(v);
        if (!seat)
            return fail<RoomSnapshot>(error, QStringLiteral("snapshot with an invalid seat"));
        snapshot.seats.append(*seat);
    }
    return snapshot;
}

std::optional<Presence> parsePresence(const QJsonValue &payload, QString *error)
{
    const QJsonObject o = payload.toObject();
    const std::optional<int> viewers = readCount(o.value(key("viewers")));
    if (!NatsWire::isValidId(o.value(key("eventId"))) || !viewers)
        return fail<Presence>(error, QStringLiteral("presence without eventId or viewers"));
    return Presence{o.value(key("eventId")).toString(), *viewers};
}

std::optional<QList<NatsWire::EventSummary>> parseEventList(const QJsonValue &ackArgument,
                                                            QString *error)
{
    using List = QList<NatsWire::EventSummary>;
    if (ackArgument.isObject() && ackArgument.toObject().contains(key("error")))
        return fail<List>(error, ackArgument.toObject().value(key("error")).toString());
    if (!ackArgument.isArray())
        return fail<List>(error, QStringLiteral("list-events answered with something not a list"));
    List events;
    for (const QJsonValue &v : ackArgument.toArray()) {
        const QJsonObject o = v.toObject();
        if (!NatsWire::isValidId(o.value(key("id"))))
            continue;
        events.append({o.value(key("id")).toString(), o.value(key("name")).toString(),
                       o.value(key("description")).toString(), o.value(key("date")).toString(),
                       o.value(key("capacity")).toInt(), o.value(key("occupiedSeats")).toInt(),
                       o.value(key("organizedBy")).toObject()});
    }
    return events;
}

} // namespace Reservo::RoomMessages
