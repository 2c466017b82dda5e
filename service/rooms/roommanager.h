// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "roommember.h"
#include "roomstate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcRooms)

namespace Reservo {

// Rooms keyed by eventId: who is in each, each room's seat map and sequence, the fan-out of its
// changes (encoded once per room), presence, and the history that lets clients recover.
// Knows nothing of sockets or NATS.
class RoomManager : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int emptyRoomGraceMs = 30000;
        int presenceIntervalMs = 500;
        qsizetype historyPerRoom = 1000;
    };

    // The rooms of one member, each with the broadcast offset current when it joined.
    using Memberships = QMap<QString, quint64>; // a map: rooms per member are few, a hash is large

    explicit RoomManager(const Options &options, QObject *parent = nullptr);
    RoomManager() : RoomManager(Options{}) {}

    // False if the member is already in that room.
    bool join(const QString &eventId, RoomMember *member);
    bool leave(const QString &eventId, RoomMember *member);
    void leaveAll(RoomMember *member);
    QStringList roomsOf(RoomMember *member) const;
    Memberships membershipsOf(RoomMember *member) const { return m_memberships.value(member); }

    // Keeps an empty room (and its history) alive while a disconnected client may recover.
    void hold(const QString &eventId);
    void release(const QString &eventId);

    // Applies a change from NATS and, if it altered a seat, broadcasts it to the room.
    // Returns the number of members reached.
    int applySeatChange(const NatsWire::SeatChange &change);
    void beginSnapshotFetch(const QString &eventId);
    void applySnapshot(const QString &eventId, const QList<Seat> &seats);
    QStringList activeRooms() const { return m_rooms.keys(); }

    // `42["room-snapshot",{…}]` for one member that just joined.
    QByteArray snapshotFrame(const QString &eventId) const;
    // Sends a joiner the room's snapshot, or, while the first fetch is still in flight, as soon
    // as it succeeds (the complete map) or fails (the partial one).
    void sendSnapshot(const QString &eventId, RoomMember *member);
    // The events service could not be asked: whoever waits gets the partial map now.
    void snapshotUnavailable(const QString &eventId);
    // Every broadcast to these rooms after `offset` (and after the member joined each), in
    // order; nullopt if any of them is no longer kept.
    std::optional<QList<QByteArray>> missedSince(const Memberships &rooms, quint64 offset) const;
    quint64 currentOffset() const { return m_offset; }

    int roomCount() const { return int(m_rooms.size()); }
    int memberCount(const QString &eventId) const;
    int totalMembers() const { return m_totalMembers; }
    quint64 changesWithoutRoom() const { return m_changesWithoutRoom; }
    quint64 unchangedSeatUpdates() const { return m_unchanged; }

signals:
    // A room came into being, with no seat map yet (RoomSync fetches it).
    void roomCreated(const QString &eventId);
    void roomDropped(const QString &eventId);

private:
    struct Room
    {
        RoomState state;
        QSet<RoomMember *> members;
        QSet<RoomMember *> awaitingSnapshot;
        bool fetchFailed = false;
        int held = 0;
        QElapsedTimer emptySince;
        bool presenceDirty = false;
    };

    Room &ensureRoom(const QString &eventId);
    void broadcast(Room &room, const QString &event, const QJsonObject &payload,
                   const QString &supersedeKey = QString());
    void deliver(Room &room, const QByteArray &frame, const QString &supersedeKey = QString());
    void markPresence(Room &room);
    void handlePresenceTimer();
    void handleSweepTimer();

    Options m_options;
    QHash<QString, Room> m_rooms;
    QHash<RoomMember *, Memberships> m_memberships;
    QTimer m_presenceTimer;
    QTimer m_sweepTimer;
    quint64 m_offset = 0;
    int m_totalMembers = 0;
    quint64 m_changesWithoutRoom = 0;
    quint64 m_unchanged = 0;
};

QByteArray encodeEventFrame(const QString &event, const QJsonArray &args);

} // namespace Reservo
