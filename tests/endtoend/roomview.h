// SPDX-License-Identifier: MIT
#pragma once

#include "seat.h"
#include "socketpacket.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Reservo::Test {

// One client's picture of one room, built the way a client must build it: a `room-snapshot`
// replaces the map, an `update-seat-status` changes one seat. On the way it checks what the
// protocol promises (seq +1 per update, offsets rising, the payloads' keys) and keeps each
// breach as a readable line, so a test can assert both the end state and the path to it.
class RoomView
{
public:
    explicit RoomView(const QString &eventId) : m_eventId(eventId) {}
    // The view after every event a client received, in order (other rooms are ignored).
    static RoomView of(const QString &eventId, const QList<SocketIo::Packet> &events);

    void apply(const SocketIo::Packet &event);

    // seat id -> "<tag> <state>": compare with seatMap() of the events service's seats.
    QMap<QString, QString> seats() const { return m_seats; }
    quint64 seq() const { return m_seq; }
    bool isComplete() const { return m_complete; }
    int snapshotCount() const { return m_snapshots; }
    int updateCount() const { return m_updates; }
    int updatesBeforeFirstSnapshot() const { return m_updatesBeforeSnapshot; }
    int presenceCount() const { return m_presences; }
    // From the latest room-snapshot or room-presence; -1 before either.
    int viewers() const { return m_viewers; }
    QStringList problems() const { return m_problems; }

private:
    void applySnapshot(const QJsonArray &args);
    void applyUpdate(const QJsonArray &args);
    void applyPresence(const QJsonArray &args);
    void checkOffsetArgument(const QString &event, const QJsonArray &args);
    void checkOffset(const QJsonArray &args, qsizetype position);

    QString m_eventId;
    QMap<QString, QString> m_seats;
    quint64 m_seq = 0;
    bool m_seqKnown = false;
    bool m_complete = false;
    quint64 m_lastOffset = 0;
    int m_snapshots = 0;
    int m_updates = 0;
    int m_updatesBeforeSnapshot = 0;
    int m_presences = 0;
    int m_viewers = -1;
    QStringList m_problems;
};

// seat id -> "<tag> <state>", the form RoomView::seats() has.
QMap<QString, QString> seatMap(const QList<Seat> &seats);
// The seats of a room-snapshot payload (or an `events.get.id` message) in the same form.
QMap<QString, QString> seatMap(const QJsonObject &snapshot);
// The seats of a room-snapshot payload or an `events.get.id` message, in their order.
QList<Seat> seatsOf(const QJsonObject &snapshot);
// The seats with the changes applied in order; a change to a seat not in the map adds it untagged.
QList<Seat> withChanges(QList<Seat> seats, const QList<Seat> &changes);

// What a Socket.IO client sends back to recover: the last string argument of the last event.
QString lastOffset(const QList<SocketIo::Packet> &events);
// The payloads of one event name, in arrival order.
QList<QJsonObject> payloadsOf(const QList<SocketIo::Packet> &events, const QString &name);

} // namespace Reservo::Test
