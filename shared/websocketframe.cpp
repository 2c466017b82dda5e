// SPDX-License-Identifier: MIT
#include "websocketframe.h"

namespace Reservo::WebSocketFrame {

QByteArray encodeServerFrame(Opcode opcode, QByteArrayView payload)
{
    const quint64 length = quint64(payload.size());
    const qsizetype header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    QByteArray frame(header + payload.size(), Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(frame.data());
    out[0] = uchar(0x80 | quint8(opcode)); // FIN, no extensions
    if (length < 126) {
        out[1] = uchar(length);
    } else if (length <= 0xFFFF) {
        out[1] = 126;
        out[2] = uchar(length >> 8);
        out[3] = uchar(length);
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = uchar(length >> (8 * (7 - i)));
    }
    if (!payload.isEmpty())
        memcpy(out + header, payload.data(), size_t(payload.size()));
    return frame;
}

} // namespace Reservo::WebSocketFrame
