// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <deque>
#include <optional>

namespace Reservo {

// A seat change as applied to a room: what every member is told.
struct AppliedChange
{
    QString seatId;
    QString tag;
    SeatState state = SeatState::Available;
    quint64 seq = 0;
};

// The state of one event's room, independent of who is in it: the seat map, its sequence
// number, whether it came from the events service, and the recent broadcasts for recovery.
class RoomState
{
public:
    explicit RoomState(qsizetype historyLimit = 1000, quint64 historyStart = 0);

    quint64 seq() const { return m_seq; }
    bool isComplete() const { return m_complete; }
    qsizetype seatCount() const { return m_order.size(); }
    std::optional<Seat> seat(const QString &seatId) const;

    // Applies a change; nullopt when it does not alter the seat's known state.
    std::optional<AppliedChange> apply(const NatsWire::SeatChange &change);

    // A fetch of the events service's map starts now: changes from here on are replayed on
    // top of whatever it returns, so none is lost to the race.
    void beginFetch();
    // Installs the fetched map (plus changes since beginFetch); returns the seats whose state
    // differs from what members were last told, each with its own seq.
    QList<AppliedChange> installSnapshot(const QList<Seat> &seats);

    QJsonObject snapshotJson(const QString &eventId, int viewers) const;

    // Broadcast history, keyed by the process-wide offset each broadcast got.
    void record(quint64 offset, const QByteArray &frame);
    // Every broadcast after `offset`, or nullopt if some of them are no longer kept.
    std::optional<QList<std::pair<quint64, QByteArray>>> since(quint64 offset) const;

private:
    struct Entry
    {
        QString tag;
        SeatState state = SeatState::Available;
    };

    QHash<QString, Entry> m_seats;
    QList<QString> m_order; // seat ids in the events service's order, then new ones
    quint64 m_seq = 0;
    bool m_complete = false;
    bool m_fetching = false;
    QList<NatsWire::SeatChange> m_sinceFetch;
    std::deque<std::pair<quint64, QByteArray>> m_history;
    qsizetype m_historyLimit;
    quint64 m_historyStart; // broadcasts at or before this offset are not (all) kept
};

} // namespace Reservo
