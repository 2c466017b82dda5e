// SPDX-License-Identifier: MIT
#pragma once

#include "natsclient.h"
#include "natswire.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo::Test {

// The test's own NATS connection, independent of the service under test: asks the events
// service (the sim) for the truth through `events.get.id` / `events.get.upcoming`, and publishes
// seat changes on `update.seat.state` exactly as the events service does.
class EventsProbe
{
public:
    // Connects and waits until NATS accepted the connection.
    bool start(const QString &natsUrl);
    // After a NATS restart: waits until the connection is back.
    bool waitUntilConnected();
    // The event's seats as the events service has them now.
    std::optional<QList<Seat>> seats(const QString &eventId);
    // Every event's seat map in seatMap() form, by event id: the state clients must converge on.
    // nullopt (see errorString()) if one of the requests fails.
    std::optional<QMap<QString, QMap<QString, QString>>> seatMaps(const QStringList &eventIds);
    std::optional<QList<NatsWire::EventSummary>> upcoming();
    // Asks until the event is served: a sim that just started may not be subscribed yet.
    bool waitUntilAnswering(const QString &eventId);
    bool publish(const QString &eventId, const QString &seatId, SeatState state);
    QString errorString() const { return m_error; }

private:
    std::optional<QByteArray> request(const QByteArray &subject, const QByteArray &payload);

    NatsClient m_nats;
    QString m_error;
};

} // namespace Reservo::Test
