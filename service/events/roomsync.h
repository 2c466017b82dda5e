// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

namespace Reservo {

class EventsClient;
class NatsClient;
class RoomManager;

// Keeps every room's seat map in step with the events service: fetches it when a room appears,
// refetches all of them after NATS comes back (all through one queue, rooms with members first,
// in turn by member), stops when a room is dropped, and closes the rooms of unknown events.
class RoomSync : public QObject
{
    Q_OBJECT
public:
    RoomSync(RoomManager *rooms, EventsClient *events, NatsClient *nats, QObject *parent = nullptr);

private:
    void handleSubscriptionsReady();

    RoomManager *m_rooms;
    EventsClient *m_events;
    bool m_wasReady = false;
};

} // namespace Reservo
