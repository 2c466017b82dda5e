// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"
#include "clientsetup.h"
#include "eventlookup.h"
#include "stormresult.h"

#include <QString>
#include <atomic>
#include <functional>
#include <memory>

namespace Reservo {
class NatsClient;
}

namespace Reservo::Bench {

class PublishLog;
class SeatPublisher;

// A join-storm's event, between the main thread and the run's: asked of the events service once
// NATS is up (EventLookup), then made the clients' one room, the publish log's seats and the
// publisher's schedule on the main thread, before the run thread connects any client.
class StormEvent
{
public:
    // What the event fills in, all owned by the run.
    struct Targets
    {
        const BenchOptions &options;
        ClientSetup &setup;
        std::unique_ptr<PublishLog> &log;
        SeatPublisher &publisher;
        StormResult &storm;
    };

    // `abort` is told why when there is no event to storm.
    StormEvent(NatsClient *nats, const Targets &targets,
               std::function<void(const QString &)> abort);
    // On the run thread: true once the event is adopted; false when it cannot be, or the run is
    // aborted while waiting (`sleepFor` returns false).
    bool wait(const std::function<bool(double)> &sleepFor) const;

private:
    void adopt(const NatsWire::EventDetails *event, const QString &error);

    Targets m_targets;
    std::function<void(const QString &)> m_abort;
    EventLookup m_lookup;
    std::atomic<int> m_state{0}; // 1 adopted, -1 none
};

} // namespace Reservo::Bench
