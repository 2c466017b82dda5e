// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Reservo::WebSocketFrame {

enum class Opcode : quint8 { Text = 0x1, Binary = 0x2 };

// One complete, unfragmented, unmasked frame (RFC 6455 §5.2) as a server sends it: encoded once
// and written as is to every client of a room.
QByteArray encodeServerFrame(Opcode opcode, QByteArrayView payload);

} // namespace Reservo::WebSocketFrame
