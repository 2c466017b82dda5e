// SPDX-License-Identifier: MIT
#include "natswire.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace Reservo::NatsWire {

namespace {

template <typename T> Parsed<T> failure(BadInput kind, const QString &detail)
{
    Parsed<T> p;
    p.error = kind;
    p.detail = detail;
    return p;
}

// QJsonDocument rejects top-level scalars; they are JSON all the same (just not objects).
bool isJsonScalar(const QByteArray &payload)
{
    const QJsonDocument wrapped = QJsonDocument::fromJson('[' + payload + ']');
    return wrapped.isArray() && wrapped.array().size() == 1;
}

// Parses a JSON object payload after checking its size; fills kind/detail on failure.
std::optional<QJsonObject> parseObject(const QByteArray &payload, qsizetype maxPayload,
                                       BadInput &kind, QString &detail)
{
    if (payload.size() > maxPayload) {
        kind = BadInput::Oversized;
        detail =
            QStringLiteral("payload of %1 bytes exceeds %2").arg(payload.size()).arg(maxPayload);
        return std::nullopt;
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &err);
    if (err.error != QJsonParseError::NoError && !isJsonScalar(payload)) {
        kind = BadInput::NotJson;
        detail = err.errorString();
        return std::nullopt;
    }
    if (!doc.isObject()) {
        kind = BadInput::NotObject;
        detail = QStringLiteral("payload is not a JSON object");
        return std::nullopt;
    }
    return doc.object();
}

QString s(const char *key)
{
    return QString::fromLatin1(key);
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A reply may come bare or in NestJS's `{"response": …}` / `{"err": …}` envelope.
QJsonObject unwrapReply(const QJsonObject &o, QString &envelopeError)
{
    if (o.contains(s("err")) && !o.value(s("err")).isNull()) {
        const QJsonValue err = o.value(s("err"));
        envelopeError =
            err.isString() ? err.toString()
            : err.isObject()
                ? QString::fromUtf8(compact(err.toObject()))
                : QString::fromUtf8(QJsonDocument(QJsonArray{err}).toJson(QJsonDocument::Compact))
                      .chopped(1)
                      .mid(1);
        return {};
    }
    if (o.value(s("response")).isObject())
        return o.value(s("response")).toObject();
    return o;
}

std::optional<Seat> parseSeat(const QJsonValue &v, QString &detail)
{
    const QJsonObject o = v.toObject();
    if (!isValidId(o.value(s("id")))) {
        detail = QStringLiteral("seat without a valid id");
        return std::nullopt;
    }
    const std::optional<SeatState> state = seatStateFromName(o.value(s("state")).toString());
    if (!state) {
        detail = QStringLiteral("seat %1 has unknown state").arg(o.value(s("id")).toString());
        return std::nullopt;
    }
    return Seat{o.value(s("id")).toString(), o.value(s("tag")).toString(), *state};
}

template <typename T>
Parsed<Reply<T>> parseReplyHead(const QByteArray &payload, qsizetype maxPayload,
                                QJsonValue &message)
{
    Parsed<Reply<T>> result;
    const std::optional<QJsonObject> outer =
        parseObject(payload, maxPayload, result.error, result.detail);
    if (!outer)
        return result;
    QString envelopeError;
    const QJsonObject o = unwrapReply(*outer, envelopeError);
    Reply<T> reply;
    if (!envelopeError.isEmpty()) {
        reply.code = 500;
        reply.status = s("ERROR");
        reply.message = envelopeError;
        result.value = reply;
        return result;
    }
    reply.code = o.value(s("code")).toInt(0);
    reply.status = o.value(s("status")).toString();
    if (reply.status.isEmpty() || reply.code == 0)
        return failure<Reply<T>>(BadInput::MissingField, s("reply without status or code"));
    if (reply.status != QLatin1String("OK"))
        reply.message = o.value(s("message")).toString();
    message = o.value(s("message"));
    result.value = reply;
    return result;
}

} // namespace

QLatin1StringView badInputName(BadInput kind)
{
    switch (kind) {
    case BadInput::Oversized:
        return QLatin1StringView("oversized");
    case BadInput::NotJson:
        return QLatin1StringView("not_json");
    case BadInput::NotObject:
        return QLatin1StringView("not_object");
    case BadInput::MissingField:
        return QLatin1StringView("missing_field");
    case BadInput::BadId:
        return QLatin1StringView("bad_id");
    case BadInput::UnknownState:
        return QLatin1StringView("unknown_state");
    }
    return QLatin1StringView("unknown");
}

bool isValidId(const QJsonValue &id)
{
    if (!id.isString())
        return false;
    const QString text = id.toString();
    return !text.isEmpty() && text.size() <= MaxIdLength;
}

Parsed<SeatChangeMessage> parseSeatChange(const QByteArray &payload, qsizetype maxPayload)
{
    Parsed<SeatChangeMessage> result;
    std::optional<QJsonObject> o = parseObject(payload, maxPayload, result.error, result.detail);
    if (!o)
        return result;
    SeatChangeMessage message;
    QJsonValue requestId(QJsonValue::Null);
    if (o->contains(s("pattern")) && o->value(s("data")).isObject()) {
        requestId = message.requestId = o->value(s("id"));
        o = o->value(s("data")).toObject();
    }
    const auto fail = [&requestId](BadInput kind, const QString &detail) {
        Parsed<SeatChangeMessage> f = failure<SeatChangeMessage>(kind, detail);
        f.requestId = requestId;
        return f;
    };
    const QJsonValue eventId = o->value(s("eventId"));
    const QJsonValue seatId = o->value(s("seatId"));
    const QJsonValue state = o->value(s("seatState"));
    if (eventId.isUndefined() || seatId.isUndefined() || state.isUndefined())
        return fail(BadInput::MissingField, s("eventId, seatId and seatState are required"));
    if (!isValidId(eventId) || !isValidId(seatId))
        return fail(BadInput::BadId,
                    s("eventId and seatId must be non-empty strings of at most 128 characters"));
    const std::optional<SeatState> parsedState = seatStateFromName(state.toString());
    if (!parsedState)
        return fail(BadInput::UnknownState,
                    state.isString()
                        ? QStringLiteral("unknown seatState '%1'").arg(state.toString().left(64))
                        : s("seatState must be AVAILABLE, PENDING or OCCUPIED"));
    message.change = SeatChange{eventId.toString(), seatId.toString(), *parsedState};
    result.value = message;
    return result;
}

QByteArray encodeSeatChange(const SeatChange &change)
{
    return compact({{s("eventId"), change.eventId},
                    {s("seatId"), change.seatId},
                    {s("seatState"), QString(seatStateName(change.state))}});
}

QByteArray encodeNestReply(const QJsonValue &requestId, const QString &error)
{
    QJsonObject reply{{s("id"), requestId.isString() ? requestId : QJsonValue(QJsonValue::Null)},
                      {s("isDisposed"), true}};
    if (error.isEmpty())
        reply.insert(s("response"), QJsonObject{{s("ok"), true}});
    else
        reply.insert(s("err"), error);
    return compact(reply);
}

Parsed<NestRequest> parseNestRequest(const QByteArray &payload, qsizetype maxPayload)
{
    Parsed<NestRequest> result;
    const std::optional<QJsonObject> o =
        parseObject(payload, maxPayload, result.error, result.detail);
    if (!o)
        return result;
    if (!o->value(s("pattern")).isString() || !o->contains(s("data")))
        return failure<NestRequest>(BadInput::MissingField, s("pattern and data are required"));
    result.value = NestRequest{o->value(s("pattern")).toString(), o->value(s("data")),
                               o->value(s("id")).toString()};
    return result;
}

QByteArray encodeEventByIdRequest(const QString &eventId, const QString &requestId)
{
    return compact(
        {{s("pattern"), s(EventByIdSubject)}, {s("data"), eventId}, {s("id"), requestId}});
}

QByteArray encodeUpcomingRequest(const QString &requestId)
{
    return compact({{s("pattern"), s(UpcomingSubject)},
                    {s("data"), QJsonObject{{s("msg"), s("ok")}}},
                    {s("id"), requestId}});
}

Parsed<Reply<EventDetails>> parseEventByIdReply(const QByteArray &payload, qsizetype maxPayload)
{
    QJsonValue message;
    Parsed<Reply<EventDetails>> result = parseReplyHead<EventDetails>(payload, maxPayload, message);
    if (!result || result.value->status != QLatin1String("OK"))
        return result;
    const QJsonObject o = message.toObject();
    if (!isValidId(o.value(s("id"))) || !o.value(s("seats")).isArray())
        return failure<Reply<EventDetails>>(BadInput::MissingField, s("event without id or seats"));
    EventDetails event{o.value(s("id")).toString(),
                       o.value(s("name")).toString(),
                       o.value(s("description")).toString(),
                       o.value(s("date")).toString(),
                       o.value(s("capacity")).toInt(),
                       o.value(s("organizedBy")).toObject(),
                       {}};
    for (const QJsonValue &v : o.value(s("seats")).toArray()) {
        QString detail;
        const std::optional<Seat> seat = parseSeat(v, detail);
        if (!seat)
            return failure<Reply<EventDetails>>(BadInput::MissingField, detail);
        event.seats.append(*seat);
    }
    result.value->value = event;
    return result;
}

Parsed<Reply<QList<EventSummary>>> parseUpcomingReply(const QByteArray &payload,
                                                      qsizetype maxPayload)
{
    QJsonValue message;
    Parsed<Reply<QList<EventSummary>>> result =
        parseReplyHead<QList<EventSummary>>(payload, maxPayload, message);
    if (!result || result.value->status != QLatin1String("OK"))
        return result;
    if (!message.isArray())
        return failure<Reply<QList<EventSummary>>>(BadInput::MissingField,
                                                   s("message is not a list of events"));
    QList<EventSummary> events;
    for (const QJsonValue &v : message.toArray()) {
        const QJsonObject o = v.toObject();
        if (!isValidId(o.value(s("id"))))
            return failure<Reply<QList<EventSummary>>>(BadInput::BadId,
                                                       s("event without valid id"));
        events.append({o.value(s("id")).toString(), o.value(s("name")).toString(),
                       o.value(s("description")).toString(), o.value(s("date")).toString(),
                       o.value(s("capacity")).toInt(), o.value(s("occupiedSeats")).toInt(),
                       o.value(s("organizedBy")).toObject()});
    }
    result.value->value = events;
    return result;
}

QJsonObject EventSummary::toJson() const
{
    return {{s("id"), id},
            {s("name"), name},
            {s("description"), description},
            {s("date"), date},
            {s("capacity"), capacity},
            {s("occupiedSeats"), occupiedSeats},
            {s("organizedBy"), organizedBy}};
}

QByteArray encodeEventByIdReply(const EventDetails &event)
{
    QJsonArray seats;
    for (const Seat &seat : event.seats)
        seats.append(QJsonObject{{s("id"), seat.id},
                                 {s("tag"), seat.tag},
                                 {s("state"), QString(seatStateName(seat.state))},
                                 {s("userId"), QJsonValue(QJsonValue::Null)}});
    const QJsonObject message{{s("id"), event.id},
                              {s("name"), event.name},
                              {s("description"), event.description},
                              {s("date"), event.date},
                              {s("capacity"), event.capacity},
                              {s("organizedBy"), event.organizedBy},
                              {s("seats"), seats}};
    return compact({{s("status"), s("OK")}, {s("code"), 200}, {s("message"), message}});
}

QByteArray encodeUpcomingReply(const QList<EventSummary> &events)
{
    QJsonArray list;
    for (const EventSummary &e : events)
        list.append(e.toJson());
    return compact({{s("status"), s("OK")}, {s("code"), 200}, {s("message"), list}});
}

QByteArray encodeNotFoundReply(const QString &path, const QString &message)
{
    return compact({{s("path"), path},
                    {s("message"), message},
                    {s("status"), s("NOT_FOUND")},
                    {s("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                    {s("code"), 404}});
}

} // namespace Reservo::NatsWire
