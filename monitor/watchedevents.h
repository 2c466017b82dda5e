// SPDX-License-Identifier: MIT
#pragma once

#include "eventseatmodel.h"
#include "monitorconnection.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace Reservo {

// The events being watched and their seat models, kept in step with one MonitorConnection:
// routes room events to the right model, tells joins which map each model holds, resyncs a model
// that missed updates, decides when a server that sends no snapshots has had its chance, and
// names events from list-events.
class WatchedEvents : public QObject
{
    Q_OBJECT
public:
    // How long after a join ack a snapshot may take before the server counts as one without.
    static constexpr int SnapshotGraceMs = 3000;

    explicit WatchedEvents(MonitorConnection *connection, QObject *parent = nullptr);
    ~WatchedEvents() override;

    // Watches an event (joins its room); returns its model, existing or new.
    EventSeatModel *add(const QString &eventId, const QString &name = {}, int capacity = 0);
    void remove(const QString &eventId);
    EventSeatModel *model(const QString &eventId) const;
    QStringList eventIds() const { return m_order; }
    bool allInSync() const;
    // Seat updates no watched event could claim (no eventId, seat unknown, several events).
    int unroutedUpdates() const { return m_unrouted; }

    // The model an update belongs to: by its eventId, else the one that has the seat, else the
    // only one; nullptr if none fits.
    EventSeatModel *route(const RoomMessages::SeatUpdate &update) const;

signals:
    void eventAdded(Reservo::EventSeatModel *model);
    void eventRemoved(const QString &eventId);
    // Some model's sync state may have changed (allInSync() may differ).
    void syncChanged();

private:
    void handleJoinRequested(const QString &eventId);
    void handleJoined(const QString &eventId);
    void handleResumed(const QString &eventId, qint64 roomSeq);
    void handleRefused(const QString &eventId, const QString &message);
    void handleSnapshot(const RoomMessages::RoomSnapshot &snapshot);
    void handleSeatUpdate(const RoomMessages::SeatUpdate &update);
    void handlePresence(const QString &eventId, int viewers);
    void handleConnectionLost(const QString &reason);
    void handleSnapshotGraceOver(const QString &eventId);
    void handleEventsListed(const QList<NatsWire::EventSummary> &events);

    MonitorConnection *m_connection;
    QStringList m_order;
    QHash<QString, EventSeatModel *> m_models; // children of this object
    QHash<QString, int> m_joins;               // join acks per event, to expire old grace timers
    int m_unrouted = 0;
};

} // namespace Reservo
