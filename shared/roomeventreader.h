// SPDX-License-Identifier: MIT
#pragma once

#include "roomlayouts.h"
#include "roommessages.h"

#include <QJsonArray>
#include <QObject>

namespace Reservo {

// The room events a reservo-ws sends a client (update-seat-status, room-layout, room-snapshot,
// room-presence) as typed signals, with compact snapshots decoded against the layouts received,
// so reservo-monitor and reservo-watch read the server the same way.
class RoomEventReader : public QObject
{
    Q_OBJECT
public:
    explicit RoomEventReader(QObject *parent = nullptr) : QObject(parent) {}

    // Reads one event. False with the reason when a room event is malformed; an event this
    // client does not know (a newer server's) is ignored.
    bool read(const QString &event, const QJsonArray &args, QString *error = nullptr);
    // The layouts received, and what the next join of a room asks for.
    RoomLayouts &layouts() { return m_layouts; }

signals:
    void seatUpdated(const Reservo::RoomMessages::SeatUpdate &update);
    // A whole seat map: a JSON snapshot, or a compact one decoded.
    void snapshotReceived(const Reservo::RoomMessages::RoomSnapshot &snapshot);
    // A compact snapshot that does not fit the layouts held: the room's map is not in sync until
    // it is joined again (layouts() now asks for what the server is to send).
    void snapshotUndecodable(const QString &eventId, const QString &reason);
    void presenceChanged(const QString &eventId, int viewers);

private:
    void handleSnapshot(const RoomMessages::RoomSnapshot &snapshot);

    RoomLayouts m_layouts;
};

} // namespace Reservo
