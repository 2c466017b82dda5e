// SPDX-License-Identifier: MIT
#include "joinprogress.h"

namespace Reservo::Bench {

void JoinProgress::begin(const Request &request, int64_t nowNs)
{
    *this = JoinProgress();
    m_request = request;
    m_layout = request.compact ? request.heldLayout : std::string();
    m_state = State::Waiting;
    m_sentNs = nowNs;
}

void JoinProgress::countFrame(size_t wireBytes)
{
    if (m_state == State::Waiting)
        m_bytes += wireBytes;
}

bool JoinProgress::onAck(bool refused, int64_t nowNs)
{
    if (m_state != State::Waiting)
        return false;
    if (refused)
        return finish(State::Refused, nowNs);
    m_acked = true;
    return tryComplete(nowNs);
}

bool JoinProgress::onMessage(const SioInbound &in, size_t wireBytes, int64_t nowNs)
{
    if (m_state != State::Waiting)
        return false;
    if (in.kind == SioInbound::Kind::Snapshot)
        onSnapshot(in);
    else if (in.kind == SioInbound::Kind::Layout && m_request.compact)
        onLayout(in);
    else
        return false;
    m_mapBytes += wireBytes;
    return tryComplete(nowNs);
}

// A snapshot without the whole map (the events service has not answered yet) is not the map: the
// server sends another when it has it.
void JoinProgress::onSnapshot(const SioInbound &in)
{
    if (in.complete != 1) {
        ++m_partialSnapshots;
        return;
    }
    m_snapshot = true;
    m_snapshotSeq = in.seq;
    const bool compact = in.format == SioInbound::MapFormat::Compact;
    m_jsonForCompact = m_request.compact && !compact;
    m_snapshotLayout = compact && m_request.compact ? std::string(in.layout) : std::string();
    if (compact && m_request.compact && m_snapshotLayout != m_layout)
        ++m_layoutMismatches;
}

void JoinProgress::onLayout(const SioInbound &in)
{
    ++m_layoutsReceived;
    if (!m_request.heldLayout.empty() && in.layout == m_request.heldLayout)
        ++m_unaskedLayouts; // the client said it held this one
    m_layout = std::string(in.layout);
}

// Complete once acked with a snapshot the client can read: JSON, or compact of the layout it holds.
bool JoinProgress::tryComplete(int64_t nowNs)
{
    const bool readable = m_snapshot && (!m_request.compact || m_jsonForCompact ||
                                         (!m_layout.empty() && m_snapshotLayout == m_layout));
    return m_acked && readable && finish(State::Complete, nowNs);
}

bool JoinProgress::finish(State state, int64_t nowNs)
{
    m_state = state;
    m_doneNs = nowNs;
    return true;
}

} // namespace Reservo::Bench
