// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace Reservo {

// Something that can be in a room and receive its broadcasts: a client connection, in practice.
class RoomMember
{
public:
    virtual ~RoomMember() = default;
    // One already encoded Engine.IO text frame, shared by every member of the room. Frames with
    // the same non-empty key supersede each other (the latest state of one seat): a member that
    // cannot keep up may send only the last of them.
    virtual void deliver(const QByteArray &frame, const QString &supersedeKey = QString()) = 0;
    // The events service does not know the event of a room the member was in: the room is gone
    // and the member is no longer in it. Members that need not tell anyone ignore it.
    virtual void eventUnknown(const QString &eventId) { Q_UNUSED(eventId); }
};

// How a member wants a room's seat map: the original JSON list, or the compact layout + packed
// states (README, protocol).
enum class SnapshotFormat : quint8 { Json, Compact };

// One member's place in one room, as recovery needs it.
struct Membership
{
    // Everything of the room up to this offset is in what the member was sent on joining.
    quint64 joinOffset = 0;
    // The recovery offset of the last snapshot the member was sent (0: none needed, it continued
    // from updates; Owed: it waits for one): a client whose last offset is older never got it.
    quint64 snapshotOffset = 0;
    static constexpr quint64 Owed = ~quint64(0);
    SnapshotFormat format = SnapshotFormat::Json;
    QString layout; // compact: the layout version the member holds
    friend bool operator==(const Membership &, const Membership &) = default;
};

// The rooms of one member (a map: rooms per member are few, a hash is large).
using Memberships = QMap<QString, Membership>;

} // namespace Reservo
