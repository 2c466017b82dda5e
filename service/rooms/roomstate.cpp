// SPDX-License-Identifier: MIT
#include "roomstate.h"

#include <QJsonArray>

namespace Reservo {

RoomState::RoomState(qsizetype historyLimit, quint64 historyStart)
    : m_historyLimit(historyLimit), m_historyStart(historyStart)
{
}

std::optional<Seat> RoomState::seat(const QString &seatId) const
{
    const auto it = m_seats.constFind(seatId);
    if (it == m_seats.cend())
        return std::nullopt;
    return Seat{seatId, it->tag, it->state};
}

std::optional<AppliedChange> RoomState::apply(const NatsWire::SeatChange &change)
{
    if (m_fetching)
        m_sinceFetch.append(change);
    auto it = m_seats.find(change.seatId);
    if (it == m_seats.end()) {
        it = m_seats.insert(change.seatId, {QString(), change.state});
        m_order.append(change.seatId);
    } else if (it->state == change.state) {
        return std::nullopt;
    }
    it->state = change.state;
    return AppliedChange{change.seatId, it->tag, change.state, ++m_seq};
}

void RoomState::beginFetch()
{
    m_fetching = true;
    m_sinceFetch.clear();
}

QList<AppliedChange> RoomState::installSnapshot(const QList<Seat> &seats)
{
    QHash<QString, Entry> fetched;
    QList<QString> order;
    for (const Seat &s : seats) {
        if (!fetched.contains(s.id))
            order.append(s.id);
        fetched.insert(s.id, {s.tag, s.state});
    }
    for (const NatsWire::SeatChange &c : std::as_const(m_sinceFetch)) {
        auto it = fetched.find(c.seatId);
        if (it == fetched.end()) {
            it = fetched.insert(c.seatId, {m_seats.value(c.seatId).tag, c.state});
            order.append(c.seatId);
        }
        it->state = c.state;
    }
    QList<AppliedChange> changed;
    for (const QString &id : std::as_const(order)) {
        const Entry &next = fetched[id];
        const auto known = m_seats.constFind(id);
        if (known != m_seats.cend() && known->state != next.state)
            changed.append({id, next.tag, next.state, ++m_seq});
    }
    for (const QString &id : std::as_const(m_order)) {
        if (!fetched.contains(id)) { // seen in a change but unknown to the events service
            fetched.insert(id, m_seats.value(id));
            order.append(id);
        }
    }
    m_seats = std::move(fetched);
    m_order = std::move(order);
    m_complete = true;
    m_fetching = false;
    m_sinceFetch.clear();
    return changed;
}

QJsonObject RoomState::snapshotJson(const QString &eventId, int viewers) const
{
    QJsonArray seats;
    for (const QString &id : m_order) {
        const Entry &e = m_seats[id];
        seats.append(QJsonObject{{QStringLiteral("id"), id},
                                 {QStringLiteral("tag"), e.tag},
                                 {QStringLiteral("state"), QString(seatStateName(e.state))}});
    }
    return {{QStringLiteral("eventId"), eventId},
            {QStringLiteral("seq"), double(m_seq)},
            {QStringLiteral("seats"), seats},
            {QStringLiteral("viewers"), viewers},
            {QStringLiteral("complete"), m_complete}};
}

void RoomState::record(quint64 offset, const QByteArray &frame)
{
    m_history.emplace_back(offset, frame);
    while (qsizetype(m_history.size()) > m_historyLimit) {
        m_historyStart = m_history.front().first;
        m_history.pop_front();
    }
}

std::optional<QList<std::pair<quint64, QByteArray>>> RoomState::since(quint64 offset) const
{
    if (offset < m_historyStart)
        return std::nullopt;
    QList<std::pair<quint64, QByteArray>> missed;
    for (auto it = m_history.rbegin(); it != m_history.rend() && it->first > offset; ++it)
        missed.prepend(*it);
    return missed;
}

} // namespace Reservo
