// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <atomic>

namespace Reservo {

// What the main thread and a shard share about one WebSocket's writes: how far they got, which
// the shard publishes once per batch and WebSocketLink reads to tell a client that reads slowly;
// and whether the main thread wants to hear when the socket next writes. Owned by the socket
// (ShardSocket), which outlives its link. The counts guard no other memory: they are stored and
// loaded relaxed.
struct WriteProgress
{
    // Shard thread writes: bytes of messages executed so far, counted as the link counts what it
    // sends (payloads, not frames).
    std::atomic<qint64> executed{0};
    // Shard thread writes: bytes waiting for the kernel to take them.
    std::atomic<qint64> buffered{0};
    // Main thread sets it; the shard thread clears it as it reports that the socket wrote.
    std::atomic<bool> drainNoticeWanted{false};
};

} // namespace Reservo
