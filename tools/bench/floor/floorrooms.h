// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <vector>

namespace Reservo {
class NatsClient;
}

namespace Reservo::Bench {

// The floor's seat maps: each room's as the events service gives it (asked once, on the room's
// first join), with the seat changes applied, and the frames a joiner gets (the JSON
// room-snapshot; the room-layout and the compact room-snapshot), each encoded and WebSocket-framed
// once per change of the map and then sent as is to every joiner. No epoch, no offsets, no
// recovery: what a join costs when a server only sends bytes it has ready.
class FloorRooms : public QObject
{
    Q_OBJECT
public:
    enum class Map { Fetching, Ready, Missing };

    explicit FloorRooms(NatsClient *nats, QObject *parent = nullptr);

    // Asks the events service on a room's first call.
    Map request(const QString &eventId);
    // A joiner's frames: the JSON snapshot, or the layout (unless `heldLayout` is current) and
    // the compact snapshot. `viewers` goes into a snapshot encoded now.
    QList<QByteArray> frames(const QString &eventId, bool compact, const QString &heldLayout,
                             int viewers);
    void apply(const NatsWire::SeatChange &change);

signals:
    // The map came, or cannot come: whoever waits for it can be answered.
    void mapSettled(const QString &eventId);

private:
    struct Room
    {
        Map map = Map::Fetching;
        std::vector<SeatState> states;
        QHash<QString, int> index;
        quint64 seq = 0;
        QString layoutVersion;
        QByteArray seatHeads; // per seat `{"id":…,"tag":…,"state":"`, seatEnds[i] ends seat i
        std::vector<qsizetype> seatEnds;
        QByteArray layout, json, compact; // framed; json and compact empty when stale
    };

    void handleReply(const QString &eventId, const QByteArray &payload, bool ok);
    static void install(Room &room, const QString &eventId, const QList<Seat> &seats);
    static QByteArray snapshotFrame(const Room &room, const QString &eventId, bool compact,
                                    int viewers);

    NatsClient *m_nats;
    QHash<QString, Room> m_rooms;
};

} // namespace Reservo::Bench
