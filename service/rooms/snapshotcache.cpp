// SPDX-License-Identifier: MIT
#include "snapshotcache.h"

#include "compactseats.h"
#include "roomframes.h"

namespace Reservo {

namespace {
// `42["room-snapshot",{"eventId":…,"epoch":…,"seq":…,"complete":…,"viewers":…` (no closing).
QByteArray snapshotHead(const QString &eventId, const RoomState &state, int viewers,
                        qsizetype reserve)
{
    QByteArray out;
    out.reserve(reserve);
    out.append("42[\"room-snapshot\",{\"eventId\":");
    RoomFrames::appendJsonString(out, eventId);
    out.append(",\"epoch\":\"").append(state.epoch().toLatin1());
    out.append("\",\"seq\":").append(QByteArray::number(state.seq()));
    out.append(",\"complete\":").append(state.isComplete() ? "true" : "false");
    out.append(",\"viewers\":").append(QByteArray::number(viewers));
    return out;
}
} // namespace

SnapshotCache::Tagged SnapshotCache::snapshot(SnapshotFormat format, const QString &eventId,
                                              const RoomState &state, int viewers, quint64 seenUpTo,
                                              quint64 &lastOffset)
{
    m_lastUse.start();
    const bool storm = countJoin();
    Entry &entry = format == SnapshotFormat::Json ? m_json : m_compact;
    const bool encode = entry.revision != state.revision() || (entry.viewers != viewers && !storm);
    if (encode) {
        entry.revision = state.revision();
        entry.viewers = viewers;
        entry.open = encodeOpen(format, eventId, state, viewers);
        entry.tagged = {};
    }
    if (entry.tagged.offset <= seenUpTo || entry.tagged.frame.isNull()) {
        entry.tagged.offset = ++lastOffset;
        entry.tagged.frame = RoomFrames::withOffset(entry.open, entry.tagged.offset);
    }
    Tagged tagged = entry.tagged;
    tagged.encoded = encode;
    return tagged;
}

bool SnapshotCache::countJoin()
{
    if (!m_window.isValid() || m_window.elapsed() >= StormWindowMs) {
        m_storming = m_window.isValid() && m_window.elapsed() < 2 * StormWindowMs &&
                     m_windowJoins > StormJoins;
        m_window.start();
        m_windowJoins = 0;
    }
    return m_storming || ++m_windowJoins > StormJoins;
}

QByteArray SnapshotCache::encodeOpen(SnapshotFormat format, const QString &eventId,
                                     const RoomState &state, int viewers)
{
    updateLayout(state);
    if (format == SnapshotFormat::Compact) {
        QByteArray out = snapshotHead(eventId, state, viewers, 256 + state.seatCount() / 4);
        out.append(",\"layout\":\"").append(m_layoutVersion.toLatin1());
        std::vector<SeatState> states;
        states.reserve(size_t(state.seatCount()));
        for (const Seat &seat : state.seats())
            states.push_back(seat.state);
        out.append("\",\"states\":\"").append(CompactSeats::packStates(states)).append("\"}");
        return out;
    }
    QByteArray out =
        snapshotHead(eventId, state, viewers, 256 + m_seatHeads.size() + state.seatCount() * 12);
    out.append(",\"seats\":[");
    qsizetype start = 0;
    const std::span<const Seat> seats = state.seats();
    for (size_t i = 0; i < seats.size(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(m_seatHeads.constData() + start, m_seatEnds[i] - start);
        out.append(seatStateName(seats[i].state)).append("\"}");
        start = m_seatEnds[i];
    }
    out.append("]}");
    return out;
}

void SnapshotCache::updateLayout(const RoomState &state)
{
    if (m_layoutRevision == state.layoutRevision() && !m_layoutVersion.isEmpty())
        return;
    m_layoutRevision = state.layoutRevision();
    m_layoutVersion = CompactSeats::layoutVersion(state.seats());
    m_layoutFrame.clear();
    m_seatHeads.clear();
    m_seatEnds.clear();
    m_seatEnds.reserve(size_t(state.seatCount()));
    for (const Seat &seat : state.seats()) {
        m_seatHeads.append("{\"id\":");
        RoomFrames::appendJsonString(m_seatHeads, seat.id);
        m_seatHeads.append(",\"tag\":");
        RoomFrames::appendJsonString(m_seatHeads, seat.tag);
        m_seatHeads.append(",\"state\":\"");
        m_seatEnds.push_back(m_seatHeads.size());
    }
}

QString SnapshotCache::layoutVersion(const RoomState &state)
{
    updateLayout(state);
    return m_layoutVersion;
}

QByteArray SnapshotCache::layoutFrame(const QString &eventId, const RoomState &state)
{
    m_lastUse.start();
    updateLayout(state);
    if (!m_layoutFrame.isNull())
        return m_layoutFrame;
    QByteArray out;
    out.reserve(128 + m_seatHeads.size());
    out.append("42[\"room-layout\",{\"eventId\":");
    RoomFrames::appendJsonString(out, eventId);
    out.append(",\"layout\":\"").append(m_layoutVersion.toLatin1()).append("\",\"seats\":[");
    bool first = true;
    for (const Seat &seat : state.seats()) {
        out.append(first ? "[" : ",[");
        first = false;
        RoomFrames::appendJsonString(out, seat.id);
        out.append(',');
        RoomFrames::appendJsonString(out, seat.tag);
        out.append(']');
    }
    out.append("]}]");
    m_layoutFrame = out;
    return m_layoutFrame;
}

void SnapshotCache::clear()
{
    *this = SnapshotCache();
}

bool SnapshotCache::isEmpty() const
{
    return m_json.open.isNull() && m_compact.open.isNull() && m_layoutFrame.isNull() &&
           m_seatHeads.isNull();
}

} // namespace Reservo
