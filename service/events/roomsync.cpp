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
    connect(events, &EventsClient::eventUnknown, rooms, &RoomManager::closeUnknownRoom);
    // A room whose members all left before its first map came has nothing worth keeping.
    connect(events, &EventsClient::fetchAbandoned, rooms, &RoomManager::dropIfUnused);
    events->setStandingOf([rooms](const QString &eventId) {
        using Queue = EventsRequestQueue;
        const RoomManager::Interest interest = rooms->interest(eventId);
        if (interest.member)
            return Queue::Standing{Queue::Need::Members, quintptr(interest.member)};
        return Queue::Standing{interest.kept ? Queue::Need::Idle : Queue::Need::None, 0};
    });
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
