// SPDX-License-Identifier: MIT
#include "roomview.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace Reservo::Test {

namespace {
const QString SnapshotEvent = QStringLiteral("room-snapshot");
const QString UpdateEvent = QStringLiteral("update-seat-status");
const QString PresenceEvent = QStringLiteral("room-presence");

QString entry(const QString &tag, const QString &state)
{
    return tag + u' ' + state;
}

QString compact(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString();
}

// True when the object has exactly these keys (plus the optional ones).
bool hasKeys(const QJsonObject &o, const QStringList &required, const QStringList &optional = {})
{
    for (const QString &key : required) {
        if (!o.contains(key))
            return false;
    }
    for (const QString &key : o.keys()) {
        if (!required.contains(key) && !optional.contains(key))
            return false;
    }
    return true;
}
} // namespace

RoomView RoomView::of(const QString &eventId, const QList<SocketIo::Packet> &events)
{
    RoomView view(eventId);
    for (const SocketIo::Packet &event : events)
        view.apply(event);
    return view;
}

void RoomView::apply(const SocketIo::Packet &event)
{
    const QJsonArray args = event.eventArgs();
    if (args.first().toObject().value(QStringLiteral("eventId")).toString() != m_eventId)
        return; // another room's
    const QString name = event.eventName();
    if (name == SnapshotEvent)
        applySnapshot(args);
    else if (name == UpdateEvent)
        applyUpdate(args);
    else if (name == PresenceEvent)
        applyPresence(args);
}

void RoomView::applySnapshot(const QJsonArray &args)
{
    const QJsonObject s = args.first().toObject();
    ++m_snapshots;
    if (!hasKeys(s, {QStringLiteral("eventId"), QStringLiteral("epoch"), QStringLiteral("seq"),
                     QStringLiteral("seats"), QStringLiteral("viewers"),
                     QStringLiteral("complete")}) ||
        !s.value(QStringLiteral("seq")).isDouble() || !s.value(QStringLiteral("seats")).isArray() ||
        !s.value(QStringLiteral("complete")).isBool())
        m_problems.append(QStringLiteral("malformed room-snapshot %1").arg(compact(s)));
    checkOffsetArgument(QStringLiteral("room-snapshot"), args);
    const quint64 seq = quint64(s.value(QStringLiteral("seq")).toDouble());
    if (m_seqKnown && seq < m_seq)
        m_problems.append(QStringLiteral("room-snapshot seq %1 after seq %2").arg(seq).arg(m_seq));
    m_seq = seq;
    m_seqKnown = true;
    m_complete = s.value(QStringLiteral("complete")).toBool();
    m_viewers = s.value(QStringLiteral("viewers")).toInt(-1);
    m_seats = seatMap(s);
}

void RoomView::applyUpdate(const QJsonArray &args)
{
    const QJsonObject u = args.first().toObject();
    ++m_updates;
    if (m_snapshots == 0)
        ++m_updatesBeforeSnapshot;
    const QString id = u.value(QStringLiteral("id")).toString();
    const QString state = u.value(QStringLiteral("state")).toString();
    if (!hasKeys(u,
                 {QStringLiteral("id"), QStringLiteral("state"), QStringLiteral("eventId"),
                  QStringLiteral("seq")},
                 {QStringLiteral("tag")}) ||
        id.isEmpty() || !seatStateFromName(state) || !u.value(QStringLiteral("seq")).isDouble())
        m_problems.append(QStringLiteral("malformed update-seat-status %1").arg(compact(u)));
    checkOffsetArgument(QStringLiteral("update-seat-status"), args);
    const quint64 seq = quint64(u.value(QStringLiteral("seq")).toDouble());
    // Before the first snapshot a joiner cannot know the base, only that updates follow on.
    if (m_seqKnown && seq != m_seq + 1)
        m_problems.append(
            QStringLiteral("seq %1 after seq %2 (seat %3 %4)").arg(seq).arg(m_seq).arg(id, state));
    m_seq = seq;
    m_seqKnown = true;
    const QString known = m_seats.value(id);
    const QString knownTag = known.left(known.lastIndexOf(u' '));
    QString tag = u.value(QStringLiteral("tag")).toString();
    if (!tag.isEmpty() && !knownTag.isEmpty() && tag != knownTag)
        m_problems.append(QStringLiteral("seat %1 was tagged %2, now %3").arg(id, knownTag, tag));
    if (tag.isEmpty())
        tag = knownTag;
    m_seats.insert(id, entry(tag, state));
}

void RoomView::applyPresence(const QJsonArray &args)
{
    const QJsonObject payload = args.first().toObject();
    ++m_presences;
    checkOffsetArgument(QStringLiteral("room-presence"), args);
    if (!hasKeys(payload, {QStringLiteral("eventId"), QStringLiteral("viewers")}))
        m_problems.append(QStringLiteral("malformed room-presence %1").arg(compact(payload)));
    m_viewers = payload.value(QStringLiteral("viewers")).toInt(-1);
}

// Every room message carries its recovery offset last, and a client sees them rise.
void RoomView::checkOffsetArgument(const QString &event, const QJsonArray &args)
{
    if (args.size() != 2)
        m_problems.append(QStringLiteral("%1 with %2 arguments, not payload and offset: %3")
                              .arg(event)
                              .arg(args.size())
                              .arg(compact(args)));
    else
        checkOffset(args, 1);
}

void RoomView::checkOffset(const QJsonArray &args, qsizetype position)
{
    bool ok = false;
    const quint64 offset = args.at(position).toString().toULongLong(&ok);
    if (!args.at(position).isString() || !ok) {
        m_problems.append(
            QStringLiteral("offset %1 is not a decimal string").arg(compact(args.at(position))));
        return;
    }
    if (offset <= m_lastOffset)
        m_problems.append(
            QStringLiteral("offset %1 after offset %2").arg(offset).arg(m_lastOffset));
    m_lastOffset = offset;
}

QMap<QString, QString> seatMap(const QList<Seat> &seats)
{
    QMap<QString, QString> map;
    for (const Seat &seat : seats)
        map.insert(seat.id, entry(seat.tag, QString(seatStateName(seat.state))));
    return map;
}

QMap<QString, QString> seatMap(const QJsonObject &snapshot)
{
    QMap<QString, QString> map;
    for (const QJsonValue &v : snapshot.value(QStringLiteral("seats")).toArray()) {
        const QJsonObject seat = v.toObject();
        map.insert(seat.value(QStringLiteral("id")).toString(),
                   entry(seat.value(QStringLiteral("tag")).toString(),
                         seat.value(QStringLiteral("state")).toString()));
    }
    return map;
}

QList<Seat> seatsOf(const QJsonObject &snapshot)
{
    QList<Seat> seats;
    for (const QJsonValue &v : snapshot.value(QStringLiteral("seats")).toArray()) {
        const QJsonObject seat = v.toObject();
        const QString state = seat.value(QStringLiteral("state")).toString();
        seats.append({seat.value(QStringLiteral("id")).toString(),
                      seat.value(QStringLiteral("tag")).toString(),
                      seatStateFromName(state).value_or(SeatState::Available)});
    }
    return seats;
}

QList<Seat> withChanges(QList<Seat> seats, const QList<Seat> &changes)
{
    for (const Seat &change : changes) {
        const auto it = std::find_if(seats.begin(), seats.end(),
                                     [&](const Seat &s) { return s.id == change.id; });
        if (it == seats.end())
            seats.append({change.id, QString(), change.state});
        else
            it->state = change.state;
    }
    return seats;
}

QString lastOffset(const QList<SocketIo::Packet> &events)
{
    for (auto it = events.crbegin(); it != events.crend(); ++it) {
        const QJsonArray args = it->eventArgs();
        if (args.size() > 1 && args.last().isString())
            return args.last().toString();
    }
    return {};
}

QList<QJsonObject> payloadsOf(const QList<SocketIo::Packet> &events, const QString &name)
{
    QList<QJsonObject> payloads;
    for (const SocketIo::Packet &event : events) {
        if (event.eventName() == name)
            payloads.append(event.eventArgs().first().toObject());
    }
    return payloads;
}

} // namespace Reservo::Test
