// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

namespace Reservo {

class EventsClient;
class HttpFrontDoor;
class NatsClient;
class RecoveryStore;
class RoomManager;
class SeatFeed;
class SessionRegistry;

// The operator's view: readiness and the Prometheus text of every component's counters.
class MetricsEndpoint
{
public:
    MetricsEndpoint(const HttpFrontDoor *http, const NatsClient *nats, const RoomManager *rooms,
                    const SeatFeed *feed, const SessionRegistry *sessions,
                    const RecoveryStore *recovery, const EventsClient *events);

    // Answers GET /healthz (alive), /readyz (isReady()) and /metrics (render()) on `http`.
    void serveOn(HttpFrontDoor &http);
    bool isReady() const;
    void setShuttingDown() { m_shuttingDown = true; }
    // Exported beside reservo_connections, so that an alert can compare the two.
    void setMaxConnections(int maxConnections) { m_maxConnections = maxConnections; }
    QByteArray render() const;

private:
    void renderAbuse(QByteArray &out) const;

    const HttpFrontDoor *m_http;
    const NatsClient *m_nats;
    const RoomManager *m_rooms;
    const SeatFeed *m_feed;
    const SessionRegistry *m_sessions;
    const RecoveryStore *m_recovery;
    const EventsClient *m_events;
    bool m_shuttingDown = false;
    int m_maxConnections = 0;
};

} // namespace Reservo
