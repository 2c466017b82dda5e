// SPDX-License-Identifier: MIT
#include "roomstate.h"

#include <QRandomGenerator>

namespace Reservo {

RoomState::RoomState(qsizetype historyLimit, quint64 historyStart)
    : m_epoch(QString::number(QRandomGenerator::system()->generate64(), 16)
                  .rightJustified(16, QLatin1Char('0'))),
      m_historyLimit(historyLimit), m_historyStart(historyStart)
{
}

std::optional<Seat> RoomState::seat(const QString &seatId) const
{
    const auto it = m_index.constFind(seatId);
    if (it == m_index.cend())
        return std::nullopt;
    return m_seats[size_t(*it)];
}

std::optional<AppliedChange> RoomState::apply(const NatsWire::SeatChange &change)
{
    if (m_fetching)
        m_sinceFetch.append(change);
    const auto it = m_index.constFind(change.seatId);
    Seat *seat = nullptr;
    if (it == m_index.cend()) { // a seat the map does not hold yet: it joins the layout
        m_index.insert(change.seatId, qsizetype(m_seats.size()));
        seat = &m_seats.emplace_back(Seat{change.seatId, QString(), change.state});
        ++m_layoutRevision;
    } else {
        seat = &m_seats[size_t(*it)];
        if (seat->state == change.state)
            return std::nullopt;
        seat->state = change.state;
    }
    ++m_revision;
    return AppliedChange{change.seatId, seat->tag, change.state, ++m_seq};
}

void RoomState::beginFetch()
{
    m_fetching = true;
    m_sinceFetch.clear();
}

QList<AppliedChange> RoomState::installSnapshot(const QList<Seat> &seats)
{
    std::vector<Seat> fetched;
    fetched.reserve(size_t(seats.size()));
    QHash<QString, qsizetype> index;
    index.reserve(seats.size());
    const auto place = [&](const QString &id, const QString &tag) -> Seat & {
        const auto it = index.constFind(id);
        if (it != index.cend())
            return fetched[size_t(*it)];
        index.insert(id, qsizetype(fetched.size()));
        return fetched.emplace_back(Seat{id, tag, SeatState::Available});
    };
    for (const Seat &s : seats) {
        Seat &seat = place(s.id, s.tag);
        seat.tag = s.tag;
        seat.state = s.state;
    }
    for (const NatsWire::SeatChange &c : std::as_const(m_sinceFetch)) {
        const std::optional<Seat> known = seat(c.seatId);
        place(c.seatId, known ? known->tag : QString()).state = c.state;
    }
    QList<AppliedChange> changed;
    for (const Seat &next : fetched) {
        const std::optional<Seat> known = seat(next.id);
        if (known && known->state != next.state)
            changed.append({next.id, next.tag, next.state, ++m_seq});
    }
    for (const Seat &known : m_seats) // seen in a change but unknown to the service
        if (!index.contains(known.id))
            place(known.id, known.tag).state = known.state;
    setLayout(std::move(fetched));
    m_index = std::move(index);
    if (!m_complete)
        m_completeSeq = m_seq;
    m_complete = true;
    m_fetching = false;
    m_sinceFetch.clear();
    ++m_revision;
    return changed;
}

void RoomState::setLayout(std::vector<Seat> &&seats)
{
    const bool same =
        std::equal(seats.begin(), seats.end(), m_seats.begin(), m_seats.end(),
                   [](const Seat &a, const Seat &b) { return a.id == b.id && a.tag == b.tag; });
    if (!same)
        ++m_layoutRevision;
    m_seats = std::move(seats);
}

void RoomState::record(quint64 offset, quint64 seq, const QByteArray &frame)
{
    m_history.push_back({offset, seq, frame});
    while (qsizetype(m_history.size()) > m_historyLimit) {
        m_historyStart = m_history.front().offset;
        m_history.pop_front();
    }
}

std::optional<QList<RecordedUpdate>> RoomState::since(quint64 offset) const
{
    if (offset < m_historyStart)
        return std::nullopt;
    QList<RecordedUpdate> missed;
    auto it = m_history.end();
    while (it != m_history.begin() && std::prev(it)->offset > offset)
        --it;
    for (; it != m_history.end(); ++it)
        missed.append(*it);
    return missed;
}

std::optional<QList<RecordedUpdate>> RoomState::updatesAfter(quint64 seq) const
{
    if (!m_complete || seq < m_completeSeq || seq > m_seq)
        return std::nullopt;
    QList<RecordedUpdate> updates;
    if (seq == m_seq)
        return updates;
    // Every applied change is broadcast and recorded, so the kept seqs run without gaps.
    if (m_history.empty() || m_history.front().seq > seq + 1)
        return std::nullopt;
    auto it = m_history.end();
    while (it != m_history.begin() && std::prev(it)->seq > seq)
        --it;
    for (; it != m_history.end(); ++it)
        updates.append(*it);
    return updates;
}

} // namespace Reservo
