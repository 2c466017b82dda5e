// SPDX-License-Identifier: MIT
#include "stormevent.h"

#include "natsclient.h"
#include "publishlog.h"
#include "runsetup.h"
#include "seatpublisher.h"

namespace Reservo::Bench {

namespace {
constexpr int LookupMs = 30000; // the events service may still be starting
constexpr double PollS = 0.02;
} // namespace

StormEvent::StormEvent(NatsClient *nats, const Targets &targets,
                       std::function<void(const QString &)> abort)
    : m_targets(targets), m_abort(std::move(abort)),
      m_lookup(
          nats, targets.options.eventIds.value(0), LookupMs,
          [this](const NatsWire::EventDetails *event, const QString &why) { adopt(event, why); })
{
    QObject::connect(nats, &NatsClient::subscriptionsReady, &m_lookup, &EventLookup::start);
}

void StormEvent::adopt(const NatsWire::EventDetails *event, const QString &error)
{
    QString why = error;
    Targets &t = m_targets;
    if (event && RunSetup::adoptEvent(t.options, *event, t.setup, t.log, why)) {
        t.publisher.setSchedule(t.log.get(), {event->id}, t.setup.seats);
        t.storm.seats = int(event->seats.size());
        m_state.store(1, std::memory_order_release);
        return;
    }
    m_abort(why);
    m_state.store(-1, std::memory_order_release);
}

bool StormEvent::wait(const std::function<bool(double)> &sleepFor) const
{
    while (m_state.load(std::memory_order_acquire) == 0 && sleepFor(PollS)) {
    }
    return m_state.load(std::memory_order_acquire) == 1;
}

} // namespace Reservo::Bench
