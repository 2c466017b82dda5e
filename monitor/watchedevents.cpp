// SPDX-License-Identifier: MIT
#include "watchedevents.h"

#include <QTimer>

namespace Reservo {

WatchedEvents::WatchedEvents(MonitorConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{
    using C = MonitorConnection;
    connect(connection, &C::joinRequested, this, &WatchedEvents::handleJoinRequested);
    connect(connection, &C::roomJoined, this, &WatchedEvents::handleJoined);
    connect(connection, &C::roomResumed, this, &WatchedEvents::handleResumed);
    connect(connection, &C::roomRefused, this, &WatchedEvents::handleRefused);
    connect(connection, &C::snapshotReceived, this, &WatchedEvents::handleSnapshot);
    connect(connection, &C::seatUpdated, this, &WatchedEvents::handleSeatUpdate);
    connect(connection, &C::presenceChanged, this, &WatchedEvents::handlePresence);
    connect(connection, &C::connectionLost, this, &WatchedEvents::handleConnectionLost);
    connect(connection, &C::eventsListed, this, &WatchedEvents::handleEventsListed);
    connect(connection, &C::stateChanged, this, [this](MonitorConnection::State state) {
        if (state == MonitorConnection::State::Live && !m_order.isEmpty())
            m_connection->requestEventList(); // names and capacities; older servers stay silent
    });
    connection->setHeldPositions([this](const QString &eventId) {
        const EventSeatModel *m = model(eventId);
        return m ? m->heldPosition() : std::nullopt;
    });
}

WatchedEvents::~WatchedEvents()
{
    m_connection->setHeldPositions({}); // the connection may outlive the models
}

EventSeatModel *WatchedEvents::add(const QString &eventId, const QString &name, int capacity)
{
    if (EventSeatModel *existing = model(eventId)) {
        existing->setName(name);
        if (capacity > 0)
            existing->setCapacity(capacity);
        return existing;
    }
    auto *model = new EventSeatModel(eventId, this);
    model->setName(name);
    model->setCapacity(capacity);
    connect(model, &EventSeatModel::statusChanged, this, &WatchedEvents::syncChanged);
    connect(model, &EventSeatModel::resyncNeeded, this,
            [this, eventId] { m_connection->resync(eventId); });
    m_models.insert(eventId, model);
    m_order.append(eventId);
    emit eventAdded(model);
    m_connection->watch(eventId);
    emit syncChanged();
    return model;
}

void WatchedEvents::remove(const QString &eventId)
{
    EventSeatModel *model = m_models.take(eventId);
    if (!model)
        return;
    m_order.removeOne(eventId);
    m_connection->unwatch(eventId);
    emit eventRemoved(eventId); // views let go of the model before it goes
    delete model;
    emit syncChanged();
}

EventSeatModel *WatchedEvents::model(const QString &eventId) const
{
    return m_models.value(eventId);
}

bool WatchedEvents::allInSync() const
{
    for (const EventSeatModel *model : m_models)
        if (!model->isInSync())
            return false;
    return true;
}

EventSeatModel *WatchedEvents::route(const RoomMessages::SeatUpdate &update) const
{
    if (!update.eventId.isEmpty())
        return model(update.eventId);
    for (const QString &id : m_order) {
        if (m_models.value(id)->indexOf(update.seatId) >= 0)
            return m_models.value(id);
    }
    return m_order.size() == 1 ? m_models.value(m_order.first()) : nullptr;
}

void WatchedEvents::handleJoinRequested(const QString &eventId)
{
    if (EventSeatModel *m = model(eventId))
        m->markJoining();
}

void WatchedEvents::handleJoined(const QString &eventId)
{
    EventSeatModel *m = model(eventId);
    if (!m)
        return;
    m->markJoined();
    const int join = ++m_joins[eventId];
    // A server known to send snapshots gets no deadline: --screenshot waits for the real map.
    if (!m_connection->serverSendsSnapshots())
        QTimer::singleShot(SnapshotGraceMs, m, [this, eventId, join] {
            if (m_joins.value(eventId) == join)
                handleSnapshotGraceOver(eventId);
        });
}

void WatchedEvents::handleResumed(const QString &eventId, qint64 roomSeq)
{
    if (EventSeatModel *m = model(eventId))
        m->markResumed(roomSeq);
}

void WatchedEvents::handleSnapshotGraceOver(const QString &eventId)
{
    if (EventSeatModel *m = model(eventId); m && !m_connection->serverSendsSnapshots())
        m->markNoSnapshot();
}

void WatchedEvents::handleRefused(const QString &eventId, const QString &message)
{
    if (EventSeatModel *m = model(eventId))
        m->markRefused(message);
}

void WatchedEvents::handleSnapshot(const RoomMessages::RoomSnapshot &snapshot)
{
    if (EventSeatModel *m = model(snapshot.eventId))
        m->applySnapshot(snapshot);
}

void WatchedEvents::handleSeatUpdate(const RoomMessages::SeatUpdate &update)
{
    if (EventSeatModel *m = route(update))
        m->applyUpdate(update);
    else if (update.eventId.isEmpty())
        ++m_unrouted; // with an eventId it is just late news from a room already left
}

void WatchedEvents::handlePresence(const QString &eventId, int viewers)
{
    if (EventSeatModel *m = model(eventId))
        m->setViewers(viewers);
}

void WatchedEvents::handleEventsListed(const QList<NatsWire::EventSummary> &events)
{
    for (const NatsWire::EventSummary &event : events) {
        if (EventSeatModel *m = model(event.id)) {
            m->setName(event.name);
            m->setCapacity(event.capacity);
        }
    }
}

void WatchedEvents::handleConnectionLost(const QString &reason)
{
    for (EventSeatModel *m : std::as_const(m_models))
        m->markConnectionLost(reason);
}

} // namespace Reservo
