// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <functional>

namespace Reservo {
class NatsClient;
struct NatsReply;
} // namespace Reservo

namespace Reservo::Bench {

// Learns a join-storm's event from the events service over NATS, as reservo-ws would: the first
// upcoming event unless one is named, then its seats (events.get.id). An events service that is
// not there yet (no responders) is asked again until the deadline. Runs on the NATS client's
// thread and reports once.
class EventLookup : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const NatsWire::EventDetails *event, const QString &error)>;

    EventLookup(NatsClient *nats, const QString &eventId, int deadlineMs, Done done,
                QObject *parent = nullptr);
    // Asks now (NATS must be connected); later calls do nothing.
    void start();

private:
    void ask();
    void handleUpcoming(const NatsReply &reply);
    void handleEvent(const NatsReply &reply);
    // Asks again later when the service may just not be up yet; otherwise fails.
    void retryOrFail(const NatsReply &reply, const QString &what);
    void finish(const NatsWire::EventDetails *event, const QString &error);

    NatsClient *m_nats;
    QString m_eventId;
    int m_deadlineMs;
    Done m_done;
    QElapsedTimer m_since;
    bool m_started = false;
};

} // namespace Reservo::Bench
