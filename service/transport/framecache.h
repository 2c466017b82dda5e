// SPDX-License-Identifier: MIT
#pragma once
#include "websocketframe.h"

#include <QByteArray>
#include <deque>

namespace Reservo {

// A shard's WebSocket framing of large messages (room snapshots), kept across batches: the same
// message (the same bytes, shared by every joiner at one revision of a room) is framed once per
// shard however many event-loop passes its joiners arrive in. Small messages are framed each time
// (a copy of a few hundred bytes costs less than a lookup). Bounded by entries and bytes; an entry
// whose message nobody else holds any more (the room moved on) goes first. One thread.
class FrameCache
{
public:
    static constexpr qsizetype MinMessageSize = 4096;
    struct Limits
    {
        int entries = 4;
        qsizetype bytes = 4 << 20; // framed bytes held, beyond the messages themselves
    };
    explicit FrameCache(Limits limits) : m_limits(limits) {}
    FrameCache() : FrameCache(Limits{}) {}

    QByteArray framed(WebSocketFrame::Opcode opcode, const QByteArray &message);
    // Lets go of the entries whose message nobody else holds any more.
    void trim() { dropUnshared(); }

    int size() const { return int(m_entries.size()); }
    qsizetype bytes() const { return m_bytes; }
    quint64 hits() const { return m_hits; }

private:
    struct Entry
    {
        QByteArray message; // held, so its address cannot come back for other bytes
        WebSocketFrame::Opcode opcode;
        QByteArray framed;
    };
    void dropUnshared();
    void makeRoom(qsizetype incoming);

    Limits m_limits;
    std::deque<Entry> m_entries; // most recently used last
    qsizetype m_bytes = 0;
    quint64 m_hits = 0;
};

} // namespace Reservo
