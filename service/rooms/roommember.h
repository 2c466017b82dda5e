// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
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
};

} // namespace Reservo
