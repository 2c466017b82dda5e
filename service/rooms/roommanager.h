// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "ratelimitedlog.h"
#include "roommember.h"
#include "roomstate.h"
#include "snapshotcache.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <functional>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcRooms)

namespace Reservo {

// Rooms keyed by eventId: who is in each, each room's seat map and sequence, the fan-out of its
// changes and snapshots (each encoded once, whoever receives it), presence, and the history that
// lets clients recover or rejoin without a snapshot. Knows nothing of sockets or NATS.
class RoomManager : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int emptyRoomGraceMs = 30000;
        int presenceIntervalMs = 500;
        qsizetype historyPerRoom = 1000;
        int snapshotCacheIdleMs = 10000; // an encoded snapshot nobody asked for since is freed
        int maxRooms = 10000;            // a join that needs one more room is refused
    };

    // What a client asks for when it joins (README, protocol).
    struct JoinRequest
    {
        SnapshotFormat format = SnapshotFormat::Json;
        QString layout;               // compact: the layout version the client holds
        std::optional<QString> epoch; // with seq: the map the client holds, to continue from
        quint64 seq = 0;
    };
    struct JoinOutcome
    {
        bool added = false; // false: it was a member already; the join sends its map again
        QString epoch;
        quint64 seq = 0;
        bool resumed = false; // the updates after the client's seq follow, not a snapshot
        bool refused = false; // the room did not exist and MAX_ROOMS are held: nothing changed
    };
    using Acknowledge = std::function<void(const JoinOutcome &)>;

    // How a reconnecting client gets its rooms back (Socket.IO connection state recovery).
    struct RecoveryPlan
    {
        Memberships rooms;
        QList<QByteArray> missed;  // every broadcast after the client's offset, in order
        QStringList owedSnapshots; // rooms whose snapshot the client never received
    };

    explicit RoomManager(const Options &options, QObject *parent = nullptr);
    RoomManager() : RoomManager(Options{}) {}

    // Puts the member in the room, calls acknowledge (the ack goes first), then sends it the
    // room's map: the updates after request.seq when the room can continue from there, else the
    // snapshot (at once, or when the events service answers). A join that needs a new room when
    // maxRooms are held changes nothing and returns `refused` (acknowledge is not called).
    JoinOutcome join(const QString &eventId, RoomMember *member, const JoinRequest &request,
                     const Acknowledge &acknowledge = {});
    // A plain JSON join.
    JoinOutcome join(const QString &eventId, RoomMember *member);
    bool leave(const QString &eventId, RoomMember *member);
    void leaveAll(RoomMember *member);
    QStringList roomsOf(RoomMember *member) const;
    Memberships membershipsOf(RoomMember *member) const { return m_members.value(member).rooms; }

    // Keeps an empty room (and its history) alive while a disconnected client may recover.
    void hold(const QString &eventId);
    void release(const QString &eventId);

    // nullopt when the client cannot recover from `offset` (a room gone, or history no longer
    // kept); recover() then puts the member back and sends what it missed.
    std::optional<RecoveryPlan> planRecovery(const Memberships &rooms, quint64 offset) const;
    void recover(RoomMember *member, const RecoveryPlan &plan);
    quint64 currentOffset() const { return m_offset; }

    // Applies a change from NATS and, if it altered a seat, broadcasts it to the room.
    // Returns the number of members reached.
    int applySeatChange(const NatsWire::SeatChange &change);
    void beginSnapshotFetch(const QString &eventId);
    void applySnapshot(const QString &eventId, const QList<Seat> &seats);
    // The events service could not be asked: whoever waits gets the partial map now.
    void snapshotUnavailable(const QString &eventId);
    // The events service does not know the event: the room goes, each member is told.
    void closeUnknownRoom(const QString &eventId);
    // Drops the room at once if it has no members and nothing holds it (its seat map was never
    // needed, say): true if it did.
    bool dropIfUnused(const QString &eventId);
    // Who needs a room's seat map: one of its members (nullptr when none), and whether it is
    // kept without members (held for recovery, or a complete map to keep current).
    struct Interest
    {
        RoomMember *member = nullptr;
        bool kept = false;
    };
    Interest interest(const QString &eventId) const;
    QStringList activeRooms() const { return m_rooms.keys(); }
    const RoomState *room(const QString &eventId) const;

    int roomCount() const { return int(m_rooms.size()); }
    int maxRooms() const { return m_options.maxRooms; }
    quint64 roomsRefused() const { return m_roomsRefused; }
    int memberCount(const QString &eventId) const;
    int totalMembers() const { return m_totalMembers; }
    quint64 changesWithoutRoom() const { return m_changesWithoutRoom; }
    quint64 unchangedSeatUpdates() const { return m_unchanged; }
    quint64 snapshotsEncoded() const { return m_snapshotsEncoded; }
    quint64 snapshotsSent() const { return m_snapshotsSent; }
    quint64 rejoinsResumed() const { return m_rejoinsResumed; }

signals:
    // A room came into being, with no seat map yet (RoomSync fetches it).
    void roomCreated(const QString &eventId);
    void roomDropped(const QString &eventId);

private:
    struct Room
    {
        Room() = default;
        explicit Room(RoomState &&state) : state(std::move(state)) {}
        RoomState state;
        QSet<RoomMember *> members;
        QSet<RoomMember *> awaitingSnapshot;
        bool fetchFailed = false;
        int held = 0;
        QElapsedTimer emptySince;
        bool presenceDirty = false;
        quint64 lastBroadcast = 0; // the recovery offset of the last message to all members
        SnapshotCache snapshots;
    };

    Room &ensureRoom(const QString &eventId);
    void eraseRoom(QHash<QString, Room>::iterator room);
    void addMember(const QString &eventId, Room &room, RoomMember *member,
                   const Membership &membership);
    bool resume(const Room &room, const JoinRequest &request, quint64 seenUpTo,
                Membership &membership, QList<RecordedUpdate> &updates) const;
    // `seenUpTo`: the highest recovery offset the member may have been sent so far.
    void sendSnapshot(const QString &eventId, Room &room, RoomMember *member, quint64 seenUpTo);
    quint64 seenUpTo(RoomMember *member) const;
    void broadcastChange(const QString &eventId, Room &room, const AppliedChange &change);
    void deliver(Room &room, const QByteArray &frame, quint64 offset,
                 const QString &supersedeKey = QString());
    void markPresence(Room &room);
    void handlePresenceTimer();
    void handleSweepTimer();
    void handleCacheTimer();

    Options m_options;
    QHash<QString, Room> m_rooms;
    // A member's rooms, and the highest offset it was sent by rooms it has left.
    struct MemberRooms
    {
        Memberships rooms;
        quint64 leftUpTo = 0;
    };
    QHash<RoomMember *, MemberRooms> m_members;
    QTimer m_presenceTimer;
    QTimer m_sweepTimer;
    QTimer m_cacheTimer;
    quint64 m_offset = 0;
    int m_totalMembers = 0;
    quint64 m_changesWithoutRoom = 0;
    quint64 m_unchanged = 0;
    quint64 m_snapshotsEncoded = 0;
    quint64 m_snapshotsSent = 0;
    quint64 m_rejoinsResumed = 0;
    quint64 m_roomsRefused = 0;
    RateLimitedLog m_refusedLog;
};

} // namespace Reservo
