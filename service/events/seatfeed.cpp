// SPDX-License-Identifier: MIT
#include "seatfeed.h"

#include "roommanager.h"

#include <chrono>

namespace Reservo {

namespace {
constexpr qint64 BadInputLogIntervalMs = 10000;
}

SeatFeed::SeatFeed(NatsClient *nats, RoomManager *rooms, qsizetype maxPayload, QObject *parent)
    : QObject(parent), m_nats(nats), m_rooms(rooms), m_maxPayload(maxPayload)
{
    connect(m_nats, &NatsClient::messagesReceived, this, &SeatFeed::handleMessages);
}

void SeatFeed::handleMessages(const QList<NatsMessage> &messages)
{
    for (const NatsMessage &message : messages) {
        if (message.subject == NatsWire::SeatUpdateSubject)
            handleSeatUpdate(message);
    }
}

void SeatFeed::handleSeatUpdate(const NatsMessage &message)
{
    ++m_received;
    const NatsWire::Parsed<NatsWire::SeatChangeMessage> parsed =
        NatsWire::parseSeatChange(message.payload, m_maxPayload);
    if (!parsed) {
        reportBadInput(parsed.error, parsed.detail);
        if (!message.reply.isEmpty())
            m_nats->publish(message.reply,
                            NatsWire::encodeNestReply(parsed.requestId, parsed.detail));
        return;
    }
    ++m_applied;
    const int reached = m_rooms->applySeatChange(parsed.value->change);
    if (reached > 0) {
        const qint64 nowNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
        m_latency.observe(double(nowNs - message.receivedNs) / 1e9, quint64(reached));
    }
    if (!message.reply.isEmpty())
        m_nats->publish(message.reply, NatsWire::encodeNestReply(parsed.value->requestId));
}

void SeatFeed::reportBadInput(NatsWire::BadInput kind, const QString &detail)
{
    BadInputLog &log = m_bad[int(kind)];
    ++log.count;
    if (log.lastLogged.isValid() && log.lastLogged.elapsed() < BadInputLogIntervalMs) {
        ++log.suppressed;
        return;
    }
    qCWarning(lcNats).noquote()
        << "dropped bad" << NatsWire::SeatUpdateSubject << "message ("
        << NatsWire::badInputName(kind) << "):" << detail
        << (log.suppressed ? QStringLiteral("(%1 more of this kind suppressed)").arg(log.suppressed)
                           : QString());
    log.suppressed = 0;
    log.lastLogged.start();
}

} // namespace Reservo
