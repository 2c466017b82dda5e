// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace Reservo {

// Something that can be in a room and receive its broadcasts: a client connection, in practice.
class RoomMember
{
public:
    virtual ~RoomMember() = default;
    // One already encoded Engine.IO text frame, shared by every member of the room.
    virtual void deliver(const QByteArray &frame) = 0;
};

} // namespace Reservo
