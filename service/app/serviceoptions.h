// SPDX-License-Identifier: MIT
#pragma once

#include "config.h"
#include "eventloopchoice.h"
#include "eventsclient.h"
#include "httpfrontdoor.h"
#include "recoverystore.h"
#include "roommanager.h"
#include "sessionregistry.h"

namespace Reservo::ServiceOptions {

// Log lines unless QT_MESSAGE_PATTERN says otherwise: time, level letter, category, message.
inline const QString LogPattern =
    QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                   "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                   "%{category}: %{message}");
// From SIGTERM to exit: clients are closed going-away, then NATS drains within half of it.
constexpr int ShutdownGraceMs = 5000;
constexpr int NatsDrainMs = ShutdownGraceMs / 2;

// What each part of reservo-ws is told: the operator's Config, and named here the numbers the
// operator does not set.
RoomManager::Options rooms(const Config &config);
EventsClient::Options events(const Config &config);
RecoveryStore::Limits recovery(const Config &config);
HttpFrontDoor::Limits http(const Config &config);
// The Engine.IO sessions, the Socket.IO clients and the transport, with `cores` for the number
// of worker threads and their event loops from `workerDispatchers` (empty: Qt's own).
SessionRegistry::Options sessions(const Config &config, int cores,
                                  const EventLoopChoice::DispatcherFactory &workerDispatchers);

// WORKER_THREADS resolved: unset becomes one per core beyond the first, 1 to 16.
int workerThreads(const Config &config, int cores);
// The slot pings are rounded up to (ServerSession::Options::pingSlotMs) for `pingIntervalMs`.
int pingSlotMs(int pingIntervalMs);

} // namespace Reservo::ServiceOptions
