// SPDX-License-Identifier: MIT
#pragma once

#include "deliveryhistogram.h"
#include "seatnames.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>

namespace Reservo {
class NatsClient;
struct NatsMessage;
} // namespace Reservo

namespace Reservo::Bench {

class PublishLog;

// Publishes seat changes on NATS at a paced rate, round-robin over the rooms, each the next
// change of the PublishLog's schedule, and records its send time there. It also hears its own
// changes back on the subject, which times the NATS hop alone.
class SeatPublisher : public QObject
{
    Q_OBJECT
public:
    SeatPublisher(NatsClient *nats, PublishLog *log, const QStringList &eventIds,
                  const SeatNames &seats = {}, QObject *parent = nullptr);

    // Before publishing: the rooms and seats to publish to, once known (a join-storm learns
    // them from the events service).
    void setSchedule(PublishLog *log, const QStringList &eventIds, const SeatNames &seats);
    // From any thread: publish this many changes per second from now on; 0 stops.
    void requestRate(double changesPerSecond);
    bool listenToItself();

    uint64_t published() const { return m_published.load(std::memory_order_relaxed); }
    uint64_t failed() const { return m_failed.load(std::memory_order_relaxed); }
    uint64_t skippedFull() const { return m_full.load(std::memory_order_relaxed); }
    uint64_t clamped() const { return m_clamped.load(std::memory_order_relaxed); }
    DeliveryHistogram natsHop() const;

private:
    void setRate(double changesPerSecond);
    void handleTick();
    void publishNext(int64_t nowNs);
    void handleMessages(const QList<Reservo::NatsMessage> &messages);

    NatsClient *m_nats;
    PublishLog *m_log;
    QList<QString> m_eventIds;
    SeatNames m_seats;
    QByteArray m_prefix; // common to every event id of this run: echoes of other sources differ
    QTimer m_timer;
    double m_rate = 0;
    int64_t m_rateSinceNs = 0;
    uint64_t m_sentAtRate = 0;
    uint64_t m_next = 0;
    std::deque<std::pair<QByteArray, int64_t>> m_awaitingEcho; // payload, send time
    std::atomic<uint64_t> m_published{0};
    std::atomic<uint64_t> m_failed{0};
    std::atomic<uint64_t> m_full{0};
    std::atomic<uint64_t> m_clamped{0};
    mutable std::mutex m_hopMutex;
    DeliveryHistogram m_hop;
};

} // namespace Reservo::Bench
