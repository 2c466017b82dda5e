// SPDX-License-Identifier: MIT
#pragma once

#include "sioinbound.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace Reservo::Bench {

// Where one client's join-event-room stands, from the join sent to the room's map in hand: the
// ack, then for a compact join the room-layout (unless the client holds the current one), then a
// room-snapshot with complete:true that the client can read. It notes what a server did
// otherwise: a JSON snapshot for a compact join (a server that ignores the extension), a layout
// the client said it held, a compact snapshot of a layout the client does not hold, snapshots
// without the whole map, a refused join. Fed one connection's messages in order; no I/O.
class JoinProgress
{
public:
    enum class State { Idle, Waiting, Complete, Refused };
    struct Request
    {
        bool compact = false;
        std::string heldLayout; // compact: the layout version the join names, if any
    };

    void begin(const Request &request, int64_t nowNs);
    // Every frame the server sent while the join waits (wire bytes, framing included).
    void countFrame(size_t wireBytes);
    // Each returns true when that message completed the join.
    bool onAck(bool refused, int64_t nowNs);
    bool onMessage(const SioInbound &in, size_t wireBytes, int64_t nowNs);

    State state() const { return m_state; }
    bool isWaiting() const { return m_state == State::Waiting; }
    // From the join sent to the message that completed (or refused) it.
    int64_t elapsedNs() const { return m_doneNs - m_sentNs; }
    int64_t sentNs() const { return m_sentNs; }
    int64_t doneNs() const { return m_doneNs; }
    // Every frame from the join to its completion, and the layout and snapshot frames alone.
    uint64_t bytes() const { return m_bytes; }
    uint64_t mapBytes() const { return m_mapBytes; }
    // The layout version the client holds (compact), and the complete snapshot's seq.
    const std::string &layout() const { return m_layout; }
    int64_t snapshotSeq() const { return m_snapshotSeq; }
    bool jsonForCompact() const { return m_jsonForCompact; }
    bool receivedLayout() const { return m_layoutsReceived > 0; }
    int unaskedLayouts() const { return m_unaskedLayouts; }
    int layoutMismatches() const { return m_layoutMismatches; }
    int partialSnapshots() const { return m_partialSnapshots; }

private:
    void onSnapshot(const SioInbound &in);
    void onLayout(const SioInbound &in);
    bool finish(State state, int64_t nowNs);
    bool tryComplete(int64_t nowNs);

    State m_state = State::Idle;
    Request m_request;
    int64_t m_sentNs = 0;
    int64_t m_doneNs = 0;
    uint64_t m_bytes = 0;
    uint64_t m_mapBytes = 0;
    bool m_acked = false;
    bool m_snapshot = false;      // a complete snapshot arrived
    std::string m_snapshotLayout; // ... compact, of this layout
    std::string m_layout;
    int64_t m_snapshotSeq = -1;
    bool m_jsonForCompact = false;
    int m_layoutsReceived = 0;
    int m_unaskedLayouts = 0;
    int m_layoutMismatches = 0;
    int m_partialSnapshots = 0;
};

} // namespace Reservo::Bench
