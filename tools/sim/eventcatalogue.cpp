// SPDX-License-Identifier: MIT
#include "eventcatalogue.h"
#include "seatlayout.h"

#include <QDateTime>
#include <algorithm>
#include <array>
#include <numeric>

namespace Reservo {

namespace {
// The first event's date; event n is n-1 days later, so every run lists the same dates.
const QDateTime FirstEventDate(QDate(2030, 6, 1), QTime(20, 0), Qt::UTC);

QString organizerId(quint32 seed)
{
    return QUuid::createUuidV5(EventCatalogue::Namespace, QStringLiteral("%1/organizer").arg(seed))
        .toString(QUuid::WithoutBraces);
}

SeatState differentState(SeatState current, QRandomGenerator &random)
{
    constexpr std::array<SeatState, 3> all{SeatState::Available, SeatState::Pending,
                                           SeatState::Occupied};
    std::array<SeatState, 2> others{};
    std::copy_if(all.begin(), all.end(), others.begin(), [&](SeatState s) { return s != current; });
    return others[random.bounded(2)];
}
} // namespace

const QUuid EventCatalogue::Namespace(QStringLiteral("de42261d-4642-4a1a-8858-2e350124453a"));

EventCatalogue::EventCatalogue(const CatalogueSpec &spec)
{
    m_events.reserve(qMax(spec.events, 0));
    for (int number = 1; number <= spec.events; ++number) {
        m_events.append(makeEvent(spec, number));
        m_index.insert(m_events.last().id, m_events.size() - 1);
    }
}

QString EventCatalogue::eventId(quint32 seed, int number)
{
    const QString name = QStringLiteral("%1/event/%2").arg(seed).arg(number);
    return QUuid::createUuidV5(Namespace, name).toString(QUuid::WithoutBraces);
}

QString EventCatalogue::seatId(const QString &eventId, const QString &tag)
{
    return QUuid::createUuidV5(QUuid(eventId), tag).toString(QUuid::WithoutBraces);
}

NatsWire::EventDetails EventCatalogue::makeEvent(const CatalogueSpec &spec, int number) const
{
    NatsWire::EventDetails event;
    event.id = eventId(spec.seed, number);
    event.name = QStringLiteral("sim-event-%1").arg(number);
    event.description = QStringLiteral("Simulated event %1 of %2 (seed %3)")
                            .arg(number)
                            .arg(spec.events)
                            .arg(spec.seed);
    event.date = FirstEventDate.addDays(number - 1).toString(Qt::ISODateWithMs);
    event.capacity = spec.seatsPerEvent;
    event.organizedBy = {{QStringLiteral("id"), organizerId(spec.seed)},
                         {QStringLiteral("name"), QStringLiteral("Reservo Simulator")},
                         {QStringLiteral("email"), QStringLiteral("sim@reservo.invalid")}};
    const QStringList tags = SeatLayout::tags(spec.seatsPerEvent);
    event.seats.reserve(tags.size());
    for (const QString &tag : tags)
        event.seats.append(Seat{seatId(event.id, tag), tag, SeatState::Available});
    occupyInitially(event, spec, number);
    return event;
}

void EventCatalogue::occupyInitially(NatsWire::EventDetails &event, const CatalogueSpec &spec,
                                     int number)
{
    const qsizetype occupied = (event.seats.size() * spec.initialOccupiedPercent + 50) / 100;
    if (occupied <= 0)
        return;
    // A per-event stream, so an event's initial states do not depend on how many events exist.
    const std::array<quint32, 3> seeds{spec.seed, quint32(number), 0x0cc0u};
    QRandomGenerator random(seeds.data(), seeds.data() + seeds.size());
    QList<qsizetype> order(event.seats.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), random);
    for (qsizetype i = 0; i < occupied; ++i)
        event.seats[order[i]].state = SeatState::Occupied;
}

const NatsWire::EventDetails *EventCatalogue::find(const QString &eventId) const
{
    const auto it = m_index.constFind(eventId);
    return it == m_index.constEnd() ? nullptr : &m_events[*it];
}

int EventCatalogue::occupiedSeats(const NatsWire::EventDetails &event)
{
    return int(std::count_if(event.seats.begin(), event.seats.end(),
                             [](const Seat &s) { return s.state == SeatState::Occupied; }));
}

QList<NatsWire::EventSummary> EventCatalogue::summaries() const
{
    QList<NatsWire::EventSummary> list;
    list.reserve(m_events.size());
    for (const NatsWire::EventDetails &e : m_events)
        list.append(
            {e.id, e.name, e.description, e.date, e.capacity, occupiedSeats(e), e.organizedBy});
    return list;
}

NatsWire::SeatChange EventCatalogue::applyRandomChange(QRandomGenerator &random)
{
    if (m_events.isEmpty())
        return {};
    NatsWire::EventDetails &event = m_events[random.bounded(int(m_events.size()))];
    if (event.seats.isEmpty())
        return {};
    Seat &seat = event.seats[random.bounded(int(event.seats.size()))];
    seat.state = differentState(seat.state, random);
    return {event.id, seat.id, seat.state};
}

} // namespace Reservo
