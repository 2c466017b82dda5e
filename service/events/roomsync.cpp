// SPDX-License-Identifier: MIT
#include "roomsync.h"

#include "eventsclient.h"
#include "natsclient.h"
#include "roommanager.h"

namespace Reservo {

RoomSync::RoomSync(RoomManager *rooms, EventsClient *events, NatsClient *nats, QObject *parent)
    : QObject(parent), m_rooms(rooms), m_events(events)
{
    connect(rooms, &RoomManager::roomCreated, events, &EventsClient::fetchEvent);
    connect(rooms, &RoomManager::roomDropped, events, &EventsClient::cancel);
    connect(events, &EventsClient::fetchStarted, rooms, &RoomManager::beginSnapshotFetch);
    connect(events, &EventsClient::eventFetched, rooms, &RoomManager::applySnapshot);
    connect(events, &EventsClient::fetchFailed, rooms, &RoomManager::snapshotUnavailable);
    connect(nats, &NatsClient::subscriptionsReady, this, &RoomSync::handleSubscriptionsReady);
}

void RoomSync::handleSubscriptionsReady()
{
    // After an outage, changes may have been missed: the events service has the truth.
    if (std::exchange(m_wasReady, true)) {
        const QStringList rooms = m_rooms->activeRooms();
        qCInfo(lcRooms) << "NATS back: refetching" << rooms.size() << "room(s)";
        for (const QString &eventId : rooms)
            m_events->fetchEvent(eventId);
    }
}

} // namespace Reservo
