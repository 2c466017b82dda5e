// SPDX-License-Identifier: MIT
#include "roommessages.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Reservo::RoomMessages {

namespace {

constexpr qsizetype MaxVersionLength = 64; // epochs and layout versions are 16 characters
const QString JoinedPrefix = QStringLiteral("Conectado a la sala correctamente");

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

// An epoch or a layout version: absent leaves `out` empty; present must be a short string.
bool readVersion(const QJsonObject &o, const char *name, QString &out)
{
    const QJsonValue v = o.value(key(name));
    if (v.isUndefined())
        return true;
    if (!v.isString() || v.toString().isEmpty() || v.toString().size() > MaxVersionLength)
        return false;
    out = v.toString();
    return true;
}

// Only the JSON snapshot's seats; a compact snapshot's states are decoded against its layout.
bool readSeats(const QJsonArray &seats, QList<Seat> &out)
{
    out.reserve(seats.size());
    for (const QJsonValue &v : seats) {
        const std::optional<Seat> seat = readSeat(v);
        if (!seat)
            return false;
        out.append(*seat);
    }
    return true;
}

// `[id, tag]`: a seat of a layout.
std::optional<Seat> readLayoutSeat(const QJsonValue &v)
{
    const QJsonArray pair = v.toArray();
    if (!v.isArray() || pair.size() != 2 || !NatsWire::isValidId(pair.at(0)) ||
        !(pair.at(1).isString() || pair.at(1).isNull()))
        return std::nullopt;
    return Seat{pair.at(0).toString(), pair.at(1).toString(), SeatState::Available};
}

// The second argument of an opt-in join's ack: `{"epoch","seq","resumed"}`.
std::optional<JoinAck> readJoinedRoom(const QJsonObject &room)
{
    JoinAck ack;
    std::optional<qint64> seq;
    QString epoch;
    if (!readVersion(room, "epoch", epoch) || epoch.isEmpty() || !readSeq(room, seq) || !seq ||
        !room.value(key("resumed")).isBool())
        return std::nullopt;
    ack.room = RoomPosition{epoch, *seq};
    ack.resumed = room.value(key("resumed")).toBool();
    return ack;
}

} // namespace

QJsonObject joinPayload(const JoinRequest &request)
{
    QJsonObject payload{{key("eventId"), request.eventId}};
    if (request.compact) {
        payload.insert(key("snapshot"), QStringLiteral("compact"));
        if (!request.layout.isEmpty())
            payload.insert(key("layout"), request.layout);
    }
    if (request.held) {
        payload.insert(key("epoch"), request.held->epoch);
        payload.insert(key("seq"), double(request.held->seq));
    }
    return payload;
}

std::optional<JoinAck> parseJoinAck(const QJsonArray &args, QString *error)
{
    const QJsonValue first = args.first();
    if (!first.isString() || !first.toString().startsWith(JoinedPrefix)) {
        const QString reason = first.toObject().value(key("error")).toString();
        return fail<JoinAck>(error,
                             reason.isEmpty() ? QStringLiteral("unexpected join reply") : reason);
    }
    if (args.size() < 2)
        return JoinAck{}; // the original's ack: no room position, a snapshot (or nothing) follows
    const std::optional<JoinAck> ack = readJoinedRoom(args.at(1).toObject());
    if (!ack)
        return fail<JoinAck>(error, QStringLiteral("join ack with a second argument that is not "
                                                   "{epoch, seq, resumed}"));
    return ack;
}

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
    RoomSnapshot snapshot;
    if (!NatsWire::isValidId(o.value(key("eventId"))) || !readSeq(o, seq) ||
        !readVersion(o, "epoch", snapshot.epoch))
        return fail<RoomSnapshot>(error, QStringLiteral("snapshot without eventId, seq or epoch"));
    snapshot.eventId = o.value(key("eventId")).toString();
    snapshot.seq = seq.value_or(0);
    snapshot.viewers = readCount(o.value(key("viewers")));
    snapshot.complete = o.value(key("complete")).toBool(true);
    if (o.value(key("seats")).isArray()) {
        if (!readSeats(o.value(key("seats")).toArray(), snapshot.seats))
            return fail<RoomSnapshot>(error, QStringLiteral("snapshot with an invalid seat"));
        return snapshot;
    }
    if (!readVersion(o, "layout", snapshot.layout) || snapshot.layout.isEmpty() ||
        !o.value(key("states")).isString())
        return fail<RoomSnapshot>(error,
                                  QStringLiteral("snapshot without seats, or layout and states"));
    // UTF-8: a character outside the packed alphabet stays outside it (Latin-1 would make '?').
    snapshot.states = o.value(key("states")).toString().toUtf8();
    return snapshot;
}

std::optional<RoomLayout> parseLayout(const QJsonValue &payload, QString *error)
{
    const QJsonObject o = payload.toObject();
    RoomLayout layout;
    if (!NatsWire::isValidId(o.value(key("eventId"))) ||
        !readVersion(o, "layout", layout.version) || layout.version.isEmpty() ||
        !o.value(key("seats")).isArray())
        return fail<RoomLayout>(error, QStringLiteral("layout without eventId, layout or seats"));
    layout.eventId = o.value(key("eventId")).toString();
    const QJsonArray seats = o.value(key("seats")).toArray();
    layout.seats.reserve(seats.size());
    for (const QJsonValue &v : seats) {
        const std::optional<Seat> seat = readLayoutSeat(v);
        if (!seat)
            return fail<RoomLayout>(error, QStringLiteral("layout with a seat not [id, tag]"));
        layout.seats.append(*seat);
    }
    return layout;
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
