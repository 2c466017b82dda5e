// SPDX-License-Identifier: MIT
#include "serviceoptions.h"

#include <algorithm>

namespace Reservo::ServiceOptions {

namespace {
// The first refetch of a seat map waits this long; each failure doubles it up to
// SNAPSHOT_RETRY_MAX_MS.
constexpr int FetchRetryInitialMs = 500;
// list-events answers come from the events service at most this often; its failures are
// reused for a shorter while, and at most so many list-events wait for one answer.
constexpr int UpcomingCacheMs = 2000;
constexpr int UpcomingFailureCacheMs = 1000;
constexpr qsizetype MaxUpcomingWaiters = 10000;
// A longer HTTP request head is refused (431).
constexpr qsizetype MaxRequestHeadBytes = 16384;
// Pings leave in slots of at most 50 ms and at most 1/500 of the interval (a ping is at most
// 0.2% late): one wake-up per slot, not one per connection (docs/BENCHMARKS.md, idle).
constexpr int MaxPingSlotMs = 50;
constexpr int PingSlotsPerInterval = 500;
// Unset WORKER_THREADS: one thread per core beyond the main thread's, at most this many.
constexpr int MaxDefaultWorkerThreads = 16;
} // namespace

RoomManager::Options rooms(const Config &config)
{
    RoomManager::Options options{config.roomGrace, config.presenceInterval, config.recoveryBuffer};
    options.maxRooms = config.maxRooms;
    return options;
}

EventsClient::Options events(const Config &config)
{
    EventsClient::Options options{config.natsRequestTimeout, FetchRetryInitialMs,
                                  config.snapshotRetryMax, UpcomingCacheMs};
    options.upcomingFailureCacheMs = UpcomingFailureCacheMs;
    options.upcomingMaxWaiters = MaxUpcomingWaiters;
    options.queue = {config.eventsMaxInFlight, config.eventsRequestRate, config.eventsRequestBurst,
                     config.eventsQueueMax};
    options.unknown = {config.unknownEventCache, config.unknownEventTtl};
    return options;
}

RecoveryStore::Limits recovery(const Config &config)
{
    return {config.maxDisconnectionDuration, config.maxRecoverySessions};
}

HttpFrontDoor::Limits http(const Config &config)
{
    return {config.handshakeTimeout, MaxRequestHeadBytes};
}

SessionRegistry::Options sessions(const Config &config, int cores,
                                  const EventLoopChoice::DispatcherFactory &workerDispatchers)
{
    SessionRegistry::Options options;
    options.session = {config.pingInterval, config.pingTimeout, config.maxPayload,
                       config.connectTimeout};
    options.session.pingSlotMs = pingSlotMs(config.pingInterval);
    options.client = {config.maxRoomsPerConnection, config.joinRate, config.slowClientBuffer,
                      config.maxClientBuffer, config.maxUnknownJoins};
    options.engine.maxPayload = config.maxPayload;
    options.engine.maxConnections = config.maxConnections;
    options.engine.handshakeTimeoutMs = config.handshakeTimeout;
    options.engine.allowedOrigins = config.allowedOrigins;
    options.engine.socketWrites = config.socketWrites;
    options.engine.workerThreads = workerThreads(config, cores);
    options.engine.dispatcherFactory = workerDispatchers;
    return options;
}

int workerThreads(const Config &config, int cores)
{
    return config.workerThreads >= 0 ? config.workerThreads
                                     : std::clamp(cores - 1, 1, MaxDefaultWorkerThreads);
}

int pingSlotMs(int pingIntervalMs)
{
    return std::min(MaxPingSlotMs, pingIntervalMs / PingSlotsPerInterval);
}

} // namespace Reservo::ServiceOptions
