// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"
#include "natsclient.h"
#include "natswire.h"

#include <QElapsedTimer>
#include <QObject>
#include <array>

namespace Reservo {

class RoomManager;

// Turns `update.seat.state` messages from NATS into room broadcasts; rejects, counts and
// (rate-limited) logs bad ones so they never reach a client.
class SeatFeed : public QObject
{
    Q_OBJECT
public:
    SeatFeed(NatsClient *nats, RoomManager *rooms, qsizetype maxPayload, QObject *parent = nullptr);

    quint64 received() const { return m_received; }
    quint64 applied() const { return m_applied; }
    quint64 badInputs(NatsWire::BadInput kind) const { return m_bad[int(kind)].count; }
    // NATS receipt (on nats.c's thread) to the frame handed to the last member's socket.
    const LatencyHistogram &deliveryLatency() const { return m_latency; }

private:
    void handleMessages(const QList<NatsMessage> &messages);
    void handleSeatUpdate(const NatsMessage &message);
    void reportBadInput(NatsWire::BadInput kind, const QString &detail);

    struct BadInputLog
    {
        quint64 count = 0;
        quint64 suppressed = 0;
        QElapsedTimer lastLogged;
    };

    NatsClient *m_nats;
    RoomManager *m_rooms;
    qsizetype m_maxPayload;
    quint64 m_received = 0;
    quint64 m_applied = 0;
    std::array<BadInputLog, NatsWire::BadInputKinds> m_bad;
    LatencyHistogram m_latency;
};

} // namespace Reservo
