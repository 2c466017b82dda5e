// SPDX-License-Identifier: MIT
#include "joinmessage.h"

#include "natswire.h"

#include <QJsonObject>

namespace Reservo {

namespace {
constexpr qsizetype MaxVersionLength = 64;    // epochs and layout versions are 16 characters
constexpr double MaxSeq = 9007199254740991.0; // 2^53 - 1: exact in a JSON number

// The only validation the original did not do, and the reason an ack can carry an error.
std::optional<QString> eventIdFrom(const QJsonObject &payload, QString &error)
{
    const QJsonValue id = payload.value(QStringLiteral("eventId"));
    if (id.isUndefined())
        error = QStringLiteral("eventId is required");
    else if (!id.isString() || id.toString().isEmpty())
        error = QStringLiteral("eventId must be a non-empty string");
    else if (!NatsWire::isValidId(id))
        error = QStringLiteral("eventId must be at most %1 characters").arg(NatsWire::MaxIdLength);
    else
        return id.toString();
    return std::nullopt;
}

bool isVersion(const QJsonValue &value)
{
    return value.isString() && value.toString().size() <= MaxVersionLength;
}

bool isSeq(const QJsonValue &value)
{
    const double seq = value.toDouble(-1);
    return value.isDouble() && seq >= 0 && seq <= MaxSeq && seq == double(qint64(seq));
}

// The extension fields; false with the reason when one is malformed.
bool readExtensions(const QJsonObject &payload, RoomManager::JoinRequest &room, QString &error)
{
    const QJsonValue snapshot = payload.value(QStringLiteral("snapshot"));
    if (snapshot == QLatin1String("compact"))
        room.format = SnapshotFormat::Compact;
    else if (!snapshot.isUndefined() && snapshot != QLatin1String("json"))
        return error = QStringLiteral("snapshot must be \"json\" or \"compact\""), false;
    const QJsonValue layout = payload.value(QStringLiteral("layout"));
    if (!layout.isUndefined() && !isVersion(layout))
        return error = QStringLiteral("layout must be a string of at most 64 characters"), false;
    room.layout = layout.toString();
    const QJsonValue epoch = payload.value(QStringLiteral("epoch"));
    const QJsonValue seq = payload.value(QStringLiteral("seq"));
    if (epoch.isUndefined() != seq.isUndefined())
        return error = QStringLiteral("epoch and seq go together"), false;
    if (epoch.isUndefined())
        return true;
    if (!isVersion(epoch))
        return error = QStringLiteral("epoch must be a string of at most 64 characters"), false;
    if (!isSeq(seq))
        return error = QStringLiteral("seq must be a non-negative integer"), false;
    room.epoch = epoch.toString();
    room.seq = quint64(seq.toDouble());
    return true;
}
} // namespace

std::optional<QString> JoinMessage::parseEventId(const QJsonArray &args, QString &error)
{
    if (args.first().isObject())
        return eventIdFrom(args.first().toObject(), error);
    error = QStringLiteral("eventId is required");
    return std::nullopt;
}

std::optional<JoinMessage> JoinMessage::parse(const QJsonArray &args, QString &error)
{
    const std::optional<QString> eventId = parseEventId(args, error);
    if (!eventId)
        return std::nullopt;
    const QJsonObject payload = args.first().toObject();
    JoinMessage join;
    if (!readExtensions(payload, join.room, error))
        return std::nullopt;
    join.eventId = *eventId;
    for (const char *key : {"snapshot", "layout", "epoch", "seq"})
        join.extended = join.extended || payload.contains(QLatin1String(key));
    return join;
}

} // namespace Reservo
