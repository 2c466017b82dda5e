// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QHash>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QUuid>
#include <optional>

namespace Reservo {

// What the simulated events look like; the same spec always yields the same events and ids.
struct CatalogueSpec
{
    int events = 3;
    int seatsPerEvent = 15;
    quint32 seed = 1;
    int initialOccupiedPercent = 0;
};

// The simulated events and the current state of each of their seats.
class EventCatalogue
{
public:
    explicit EventCatalogue(const CatalogueSpec &spec = {});

    // Name-based (v5) UUIDs, so scripts can compute them: event n (1-based) is
    // uuid5(Namespace, "<seed>/event/<n>"), a seat is uuid5(<event id>, "<tag>").
    static const QUuid Namespace;
    static QString eventId(quint32 seed, int number);
    static QString seatId(const QString &eventId, const QString &tag);

    const QList<NatsWire::EventDetails> &events() const { return m_events; }
    const NatsWire::EventDetails *find(const QString &eventId) const;
    QList<NatsWire::EventSummary> summaries() const;
    static int occupiedSeats(const NatsWire::EventDetails &event);

    // Picks a random seat, moves it to a different state and returns the change.
    NatsWire::SeatChange applyRandomChange(QRandomGenerator &random);

private:
    NatsWire::EventDetails makeEvent(const CatalogueSpec &spec, int number) const;
    static void occupyInitially(NatsWire::EventDetails &event, const CatalogueSpec &spec,
                                int number);

    QList<NatsWire::EventDetails> m_events;
    QHash<QString, qsizetype> m_index; // event id -> position in m_events
};

} // namespace Reservo
