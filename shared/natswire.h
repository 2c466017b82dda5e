// SPDX-License-Identifier: MIT
#pragma once

#include "seat.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <optional>

// The NATS wire formats of the events service (SPEC section 2), both directions.
namespace Reservo::NatsWire {

inline constexpr char SeatUpdateSubject[] = "update.seat.state";
inline constexpr char EventByIdSubject[] = "events.get.id";
inline constexpr char UpcomingSubject[] = "events.get.upcoming";
inline constexpr int MaxIdLength = 128;
inline constexpr qsizetype DefaultMaxPayload = 64 * 1024;

// Why an inbound NATS payload was rejected; each kind is counted and logged separately.
enum class BadInput {
    Oversized,
    NotJson,
    NotObject,
    MissingField,
    BadId,
    UnknownState,
};
inline constexpr int BadInputKinds = 6;
QLatin1StringView badInputName(BadInput kind);

// A parse outcome: a value, or the kind and a human-readable detail of the failure.
template <typename T> struct Parsed
{
    std::optional<T> value;
    BadInput error = BadInput::NotJson;
    QString detail;
    QJsonValue requestId = QJsonValue(QJsonValue::Null); // a NestJS envelope's id, even on error
    explicit operator bool() const { return value.has_value(); }
};

// True for what the service accepts as an id: a non-empty string of at most MaxIdLength chars.
bool isValidId(const QJsonValue &id);

// `update.seat.state`: one seat of one event changed state.
struct SeatChange
{
    QString eventId;
    QString seatId;
    SeatState state = SeatState::Available;
    friend bool operator==(const SeatChange &, const SeatChange &) = default;
};

// A parsed `update.seat.state` message and, if it came in a NestJS envelope, the envelope's id.
struct SeatChangeMessage
{
    SeatChange change;
    QJsonValue requestId = QJsonValue(QJsonValue::Null);
};

Parsed<SeatChangeMessage> parseSeatChange(const QByteArray &payload,
                                          qsizetype maxPayload = DefaultMaxPayload);
QByteArray encodeSeatChange(const SeatChange &change);
// The NestJS reply for a message that carried a reply subject.
QByteArray encodeNestReply(const QJsonValue &requestId, const QString &error = QString());

// A NestJS request envelope `{"pattern","data","id"}` as the events service receives it.
struct NestRequest
{
    QString pattern;
    QJsonValue data;
    QString id;
};
Parsed<NestRequest> parseNestRequest(const QByteArray &payload,
                                     qsizetype maxPayload = DefaultMaxPayload);
QByteArray encodeEventByIdRequest(const QString &eventId, const QString &requestId);
QByteArray encodeUpcomingRequest(const QString &requestId);

// `events.get.id` reply: the event with its seats.
struct EventDetails
{
    QString id;
    QString name;
    QString description;
    QString date;
    int capacity = 0;
    QJsonObject organizedBy;
    QList<Seat> seats;
};

// `events.get.upcoming` reply element.
struct EventSummary
{
    QString id;
    QString name;
    QString description;
    QString date;
    int capacity = 0;
    int occupiedSeats = 0;
    QJsonObject organizedBy;
    QJsonObject toJson() const;
};

// The events service's answer to a request: found (with a value) or an error status.
template <typename T> struct Reply
{
    std::optional<T> value; // set when status is OK
    int code = 0;           // 200, 404, ...
    QString status;         // "OK", "NOT_FOUND", ...
    QString message;        // the error message when value is empty
};

Parsed<Reply<EventDetails>> parseEventByIdReply(const QByteArray &payload,
                                                qsizetype maxPayload = 16 * 1024 * 1024);
Parsed<Reply<QList<EventSummary>>> parseUpcomingReply(const QByteArray &payload,
                                                      qsizetype maxPayload = 16 * 1024 * 1024);
QByteArray encodeEventByIdReply(const EventDetails &event);
QByteArray encodeUpcomingReply(const QList<EventSummary> &events);
QByteArray encodeNotFoundReply(const QString &path, const QString &message);

} // namespace Reservo::NatsWire
