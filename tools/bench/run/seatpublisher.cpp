// SPDX-License-Identifier: MIT
#include "seatpublisher.h"

#include "monotonicclock.h"
#include "natsclient.h"
#include "natswire.h"
#include "publishlog.h"

#include <cmath>

namespace Reservo::Bench {

namespace {
constexpr int TickMs = 1;
constexpr size_t MaxAwaitingEcho = 1'000'000;

SeatState stateOf(uint32_t k)
{
    static constexpr SeatState cycle[3] = {SeatState::Available, SeatState::Pending,
                                           SeatState::Occupied};
    return cycle[k % 3];
}

QByteArray commonPrefix(const QStringList &ids)
{
    QString prefix = ids.value(0);
    for (const QString &id : ids) {
        qsizetype n = 0;
        while (n < prefix.size() && n < id.size() && prefix[n] == id[n])
            ++n;
        prefix.truncate(n);
    }
    return prefix.toUtf8();
}
} // namespace

SeatPublisher::SeatPublisher(NatsClient *nats, PublishLog *log, const QStringList &eventIds,
                             const SeatNames &seats, QObject *parent)
    : QObject(parent), m_nats(nats), m_log(log), m_eventIds(eventIds), m_seats(seats),
      m_prefix(commonPrefix(eventIds))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(TickMs);
    connect(&m_timer, &QTimer::timeout, this, &SeatPublisher::handleTick);
}

void SeatPublisher::setSchedule(PublishLog *log, const QStringList &eventIds,
                                const SeatNames &seats)
{
    m_log = log;
    m_eventIds = eventIds;
    m_seats = seats;
    m_prefix = commonPrefix(eventIds);
}

void SeatPublisher::requestRate(double changesPerSecond)
{
    QMetaObject::invokeMethod(
        this, [this, changesPerSecond] { setRate(changesPerSecond); }, Qt::QueuedConnection);
}

bool SeatPublisher::listenToItself()
{
    connect(m_nats, &NatsClient::messagesReceived, this, &SeatPublisher::handleMessages);
    return m_nats->subscribe(NatsWire::SeatUpdateSubject);
}

void SeatPublisher::setRate(double changesPerSecond)
{
    m_rate = std::max(0.0, changesPerSecond);
    m_rateSinceNs = monotonicNs();
    m_sentAtRate = 0;
    if (m_rate > 0)
        m_timer.start();
    else
        m_timer.stop();
}

// Publishes what is due by now; a loop that stalled catches up by at most one second's worth.
void SeatPublisher::handleTick()
{
    const int64_t now = monotonicNs();
    const auto dueTotal = uint64_t(std::floor(double(now - m_rateSinceNs) * m_rate / 1e9));
    uint64_t due = dueTotal - std::min(dueTotal, m_sentAtRate);
    const auto cap = uint64_t(std::ceil(m_rate));
    if (due > cap) {
        m_clamped.fetch_add(due - cap, std::memory_order_relaxed);
        m_sentAtRate += due - cap;
        due = cap;
    }
    for (uint64_t i = 0; i < due; ++i)
        publishNext(monotonicNs());
    m_sentAtRate += due;
}

void SeatPublisher::publishNext(int64_t nowNs)
{
    const int room = int(m_next++ % uint64_t(m_log->rooms()));
    if (m_log->isFull(room)) {
        m_full.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const uint32_t seq = m_log->published(room) + 1;
    const uint32_t k = m_log->kOf(seq);
    const NatsWire::SeatChange change{
        m_eventIds[room], QString::fromStdString(m_seats.id(m_log->seatOf(seq))), stateOf(k)};
    const QByteArray payload = NatsWire::encodeSeatChange(change);
    m_log->recordSend(room, nowNs);
    if (!m_nats->publish(NatsWire::SeatUpdateSubject, payload)) {
        m_failed.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_published.fetch_add(1, std::memory_order_relaxed);
    if (m_awaitingEcho.size() < MaxAwaitingEcho)
        m_awaitingEcho.emplace_back(payload, nowNs);
}

// NATS keeps one publisher's order: an echo is the oldest change awaiting one with the same
// payload. Older ones without an echo went out before the subscription was live.
void SeatPublisher::handleMessages(const QList<NatsMessage> &messages)
{
    std::lock_guard lock(m_hopMutex);
    for (const NatsMessage &message : messages) {
        if (message.subject != NatsWire::SeatUpdateSubject || !message.payload.contains(m_prefix))
            continue;
        while (!m_awaitingEcho.empty() && m_awaitingEcho.front().first != message.payload)
            m_awaitingEcho.pop_front();
        if (m_awaitingEcho.empty())
            continue;
        m_hop.record(message.receivedNs - m_awaitingEcho.front().second);
        m_awaitingEcho.pop_front();
    }
}

DeliveryHistogram SeatPublisher::natsHop() const
{
    std::lock_guard lock(m_hopMutex);
    return m_hop;
}

} // namespace Reservo::Bench
