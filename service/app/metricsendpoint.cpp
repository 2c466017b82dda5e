// SPDX-License-Identifier: MIT
#include "metricsendpoint.h"

#include "eventsclient.h"
#include "httpfrontdoor.h"
#include "natsclient.h"
#include "recoverystore.h"
#include "roommanager.h"
#include "seatfeed.h"
#include "sessionregistry.h"

namespace Reservo {

namespace {
void metric(QByteArray &out, const char *name, const char *type, const char *help, double value,
            const QByteArray &labels = {})
{
    if (!labels.startsWith('{') || !out.contains(QByteArray("# TYPE ") + name + ' ')) {
        out += QByteArray("# HELP ") + name + ' ' + help + '\n';
        out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
    }
    out += name + labels + ' ' + QByteArray::number(value, 'g', 17) + '\n';
}
} // namespace

MetricsEndpoint::MetricsEndpoint(const HttpFrontDoor *http, const NatsClient *nats,
                                 const RoomManager *rooms, const SeatFeed *feed,
                                 const SessionRegistry *sessions, const RecoveryStore *recovery,
                                 const EventsClient *events)
    : m_http(http), m_nats(nats), m_rooms(rooms), m_feed(feed), m_sessions(sessions),
      m_recovery(recovery), m_events(events)
{
}

void MetricsEndpoint::serveOn(HttpFrontDoor &http)
{
    http.setHandler(QStringLiteral("/healthz"), [](const HttpRequest &) {
        return HttpReply{200, "text/plain", "ok\n"};
    });
    http.setHandler(QStringLiteral("/readyz"), [this](const HttpRequest &) {
        return isReady() ? HttpReply{200, "text/plain", "ready\n"}
                         : HttpReply{503, "text/plain", "not ready\n"};
    });
    http.setHandler(QStringLiteral("/metrics"), [this](const HttpRequest &) {
        return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", render()};
    });
}

bool MetricsEndpoint::isReady() const
{
    return !m_shuttingDown && m_http->isListening() &&
           m_nats->state() == NatsClient::State::Connected && m_nats->isSubscribed();
}

QByteArray MetricsEndpoint::render() const
{
    QByteArray out;
    const SessionCounters &c = m_sessions->counters();
    const EngineServer::Counters &e = m_sessions->engineCounters();
    metric(out, "reservo_ready", "gauge",
           "1 when /readyz answers 200: listening, subscribed on NATS, not shutting down.",
           isReady() ? 1 : 0);
    metric(out, "reservo_connections", "gauge", "Open client connections.",
           m_sessions->connectionCount());
    metric(out, "reservo_max_connections", "gauge",
           "MAX_CONNECTIONS: connections beyond it are refused.", m_maxConnections);
    metric(out, "reservo_connections_total", "counter", "Client connections accepted.",
           double(e.connectionsTotal));
    metric(out, "reservo_polling_connections_total", "counter",
           "Client connections opened by HTTP long-polling.", double(e.pollingConnectionsTotal));
    metric(out, "reservo_upgrades_total", "counter",
           "Long-polling connections upgraded to WebSocket.", double(e.upgrades));
    metric(out, "reservo_connections_refused_total", "counter",
           "Connections refused at the connection limit.", double(e.refusedConnections));
    metric(out, "reservo_handshakes_refused_total", "counter",
           "Handshakes refused (bad path, EIO, transport, sid, method, origin).",
           double(e.refusedHandshakes));
    metric(out, "reservo_rooms", "gauge", "Rooms with members.", m_rooms->roomCount());
    metric(out, "reservo_members", "gauge", "Room memberships.", m_rooms->totalMembers());
    metric(out, "reservo_messages_in_total", "counter", "Socket.IO events from clients.",
           double(c.messagesIn));
    metric(out, "reservo_messages_out_total", "counter", "Broadcast messages sent to clients.",
           double(c.messagesOut));
    metric(out, "reservo_malformed_packets_total", "counter",
           "Connections closed for a malformed packet.", double(c.malformedPackets));
    metric(out, "reservo_unknown_events_total", "counter", "Client events with unknown names.",
           double(c.unknownEvents));
    metric(out, "reservo_invalid_joins_total", "counter", "Joins refused with an error ack.",
           double(c.invalidJoins));
    metric(out, "reservo_auth_refused_total", "counter",
           "CONNECTs refused for a missing or bad token.", double(c.refusedAuth));
    metric(out, "reservo_origins_refused_total", "counter", "Handshakes from origins not allowed.",
           double(e.refusedOrigins));
    metric(out, "reservo_joins_rate_limited_total", "counter", "Joins refused by the join rate.",
           double(c.rateLimitedJoins));
    metric(out, "reservo_slow_client_episodes_total", "counter",
           "Times a client fell behind and its updates were queued.", double(c.slowClientEpisodes));
    metric(out, "reservo_superseded_updates_total", "counter",
           "Queued updates replaced by a newer state of the same seat for a slow client.",
           double(c.supersededFrames));
    metric(out, "reservo_slow_consumers_total", "counter",
           "Clients disconnected for exceeding MAX_CLIENT_BUFFER.", double(c.slowConsumersDropped));
    metric(out, "reservo_nats_connected", "gauge", "1 when connected to NATS.",
           m_nats->state() == NatsClient::State::Connected ? 1 : 0);
    metric(out, "reservo_nats_reconnects_total", "counter", "NATS reconnections.",
           double(m_nats->reconnects()));
    metric(out, "reservo_seat_updates_total", "counter", "Seat updates received from NATS.",
           double(m_feed->received()));
    metric(out, "reservo_seat_updates_without_room_total", "counter",
           "Valid seat updates for events nobody watches.", double(m_rooms->changesWithoutRoom()));
    for (int k = 0; k < NatsWire::BadInputKinds; ++k) {
        const auto kind = NatsWire::BadInput(k);
        metric(out, "reservo_nats_bad_input_total", "counter",
               "NATS messages dropped as bad input, by kind.", double(m_feed->badInputs(kind)),
               "{kind=\"" + QByteArray(NatsWire::badInputName(kind).data()) + "\"}");
    }
    metric(out, "reservo_seat_updates_unchanged_total", "counter",
           "Seat updates that did not change the seat's state (not broadcast).",
           double(m_rooms->unchangedSeatUpdates()));
    metric(out, "reservo_snapshots_sent_total", "counter",
           "room-snapshot messages sent (JSON and compact).", double(m_rooms->snapshotsSent()));
    metric(out, "reservo_snapshots_encoded_total", "counter",
           "Snapshots encoded: at most one per room and seq, whatever the number of joiners.",
           double(m_rooms->snapshotsEncoded()));
    metric(out, "reservo_rejoins_resumed_total", "counter",
           "Joins that named the room's epoch and seq and got only the updates since.",
           double(m_rooms->rejoinsResumed()));
    metric(out, "reservo_recovery_sessions", "gauge",
           "Disconnected sessions kept for connection state recovery.", m_recovery->size());
    metric(out, "reservo_recoveries_total", "counter", "Reconnections recovered.",
           double(m_recovery->recovered()));
    metric(out, "reservo_recoveries_refused_total", "counter",
           "Recovery attempts refused (unknown, expired or too old).",
           double(m_recovery->refused()));
    metric(out, "reservo_events_requests_failed_total", "counter",
           "Requests to the events service that failed or timed out.",
           double(m_events->failedRequests()));
    renderAbuse(out);
    metric(out, "reservo_http_bad_requests_total", "counter", "HTTP requests refused.",
           double(m_http->badRequests()));
    out += m_feed->deliveryLatency().render(
        "reservo_delivery_latency_seconds",
        "From a seat update's receipt from NATS to its frame handed to every member's socket.");
    return out;
}

// The bounds that keep clients from making the instance hold or ask for too much (issue 17).
void MetricsEndpoint::renderAbuse(QByteArray &out) const
{
    const SessionCounters &c = m_sessions->counters();
    const EventsRequestQueue &queue = m_events->queue();
    metric(out, "reservo_max_rooms", "gauge",
           "MAX_ROOMS: joins that need another room are refused.", m_rooms->maxRooms());
    metric(out, "reservo_rooms_refused_total", "counter",
           "Joins refused because MAX_ROOMS rooms were held.", double(m_rooms->roomsRefused()));
    metric(out, "reservo_events_requests_total", "counter",
           "Seat-map requests (events.get.id) sent to the events service.",
           double(m_events->sentRequests()));
    metric(out, "reservo_events_requests_queued", "gauge",
           "Seat-map requests waiting for their turn (in flight and rate).", queue.queued());
    metric(out, "reservo_events_requests_in_flight", "gauge",
           "Seat-map requests awaiting the events service's answer.", queue.inFlight());
    metric(out, "reservo_events_requests_refused_total", "counter",
           "Seat-map requests refused by a full queue (retried later).", double(queue.refused()));
    metric(out, "reservo_events_requests_dropped_total", "counter",
           "Queued seat-map requests dropped because their room lost its members.",
           double(queue.abandoned()));
    metric(out, "reservo_unknown_events", "gauge",
           "Event ids the events service did not know, remembered to refuse their joins.",
           m_events->unknownEventCount());
    metric(out, "reservo_unknown_event_joins_total", "counter",
           "Joins of unknown events: refused, or their room closed when the answer came.",
           double(c.unknownEventJoins));
    metric(out, "reservo_connections_closed_abuse_total", "counter",
           "Connections closed for joining more than MAX_UNKNOWN_JOINS unknown events.",
           double(c.abusiveClosed));
}

} // namespace Reservo
