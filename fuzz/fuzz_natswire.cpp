// SPDX-License-Identifier: MIT
// NATS payload parsers on arbitrary bytes: `update.seat.state` (plain and NestJS-enveloped), NestJS
// requests, and the events service's replies. Whatever they accept must re-encode to a payload
// that parses back to the same value.
#include "fuzzcheck.h"
#include "natswire.h"

#include <QJsonDocument>

using namespace Reservo;
using namespace Reservo::NatsWire;
using Reservo::Fuzz::quoted;

namespace {

template <typename T> void checkFailure(const Parsed<T> &parsed)
{
    FUZZ_CHECK(!parsed.detail.isEmpty(), "rejected without detail");
    FUZZ_CHECK(badInputName(parsed.error) != QLatin1StringView("unknown"), "unnamed kind");
}

void checkSeatChange(const QByteArray &payload)
{
    const Parsed<SeatChangeMessage> parsed = parseSeatChange(payload);
    const QJsonValue requestId = parsed ? parsed.value->requestId : parsed.requestId;
    for (const QString &error : {QString(), QStringLiteral("bad input")}) {
        const QJsonDocument reply = QJsonDocument::fromJson(encodeNestReply(requestId, error));
        FUZZ_CHECK(reply.isObject() && reply.object().value("isDisposed").toBool(), "bad reply");
    }
    if (!parsed)
        return checkFailure(parsed);
    const SeatChange &change = parsed.value->change;
    FUZZ_CHECK(isValidId(change.eventId) && isValidId(change.seatId), "invalid id accepted");
    const QByteArray encoded = encodeSeatChange(change);
    const Parsed<SeatChangeMessage> again = parseSeatChange(encoded);
    FUZZ_CHECK(again && again.value->change == change && again.value->requestId.isNull(),
               "parseSeatChange(encodeSeatChange(x)) != x via " + quoted(encoded));
}

void checkNestRequest(const QByteArray &payload)
{
    const Parsed<NestRequest> parsed = parseNestRequest(payload);
    if (!parsed)
        return checkFailure(parsed);
    if (!parsed.value->data.isString())
        return;
    const QByteArray encoded =
        encodeEventByIdRequest(parsed.value->data.toString(), parsed.value->id);
    const Parsed<NestRequest> again = parseNestRequest(encoded);
    FUZZ_CHECK(again && again.value->pattern == QLatin1String(EventByIdSubject) &&
                   again.value->data == parsed.value->data && again.value->id == parsed.value->id,
               "request round trip via " + quoted(encoded));
}

bool sameEvent(const EventDetails &a, const EventDetails &b)
{
    return a.id == b.id && a.name == b.name && a.description == b.description && a.date == b.date &&
           a.capacity == b.capacity && a.organizedBy == b.organizedBy && a.seats == b.seats;
}

void checkEventByIdReply(const QByteArray &payload)
{
    const Parsed<Reply<EventDetails>> parsed = parseEventByIdReply(payload);
    if (!parsed)
        return checkFailure(parsed);
    FUZZ_CHECK(parsed.value->value.has_value() == (parsed.value->status == "OK"), "status");
    if (!parsed.value->value)
        return;
    const QByteArray encoded = encodeEventByIdReply(*parsed.value->value);
    const Parsed<Reply<EventDetails>> again = parseEventByIdReply(encoded);
    FUZZ_CHECK(again && again.value->value && sameEvent(*parsed.value->value, *again.value->value),
               "event round trip via " + quoted(encoded));
}

void checkUpcomingReply(const QByteArray &payload)
{
    const Parsed<Reply<QList<EventSummary>>> parsed = parseUpcomingReply(payload);
    if (!parsed)
        return checkFailure(parsed);
    FUZZ_CHECK(parsed.value->value.has_value() == (parsed.value->status == "OK"), "status");
    if (!parsed.value->value)
        return;
    const QByteArray encoded = encodeUpcomingReply(*parsed.value->value);
    const Parsed<Reply<QList<EventSummary>>> again = parseUpcomingReply(encoded);
    FUZZ_CHECK(again && again.value->value, "upcoming reply rejected: " + quoted(encoded));
    const QList<EventSummary> &before = *parsed.value->value;
    const QList<EventSummary> &after = *again.value->value;
    FUZZ_CHECK(before.size() == after.size(), "event count changed via " + quoted(encoded));
    for (qsizetype i = 0; i < before.size(); ++i)
        FUZZ_CHECK(before[i].toJson() == after[i].toJson(),
                   "summary changed via " + quoted(encoded));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray payload = Reservo::Fuzz::input(data, size).toByteArray();
    checkSeatChange(payload);
    checkNestRequest(payload);
    checkEventByIdReply(payload);
    checkUpcomingReply(payload);
    return 0;
}
