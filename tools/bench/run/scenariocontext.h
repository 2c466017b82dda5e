// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"
#include "clientsetup.h"

#include <QString>
#include <functional>

namespace Reservo::Bench {

class ClientPool;
class SeatPublisher;
class ServerProbe;

// What a scenario's steps work with once every client is connected (BenchRun owns it all): the
// options, the clients' setup and pool, the publisher, the server probe, the windows the
// workers measure by, and the run's sleep, which returns false once the run is aborted.
struct ScenarioContext
{
    const BenchOptions &options;
    const ClientSetup &setup;
    ClientPool &pool;
    SeatPublisher &publisher;
    const ServerProbe &probe;
    RunWindows &windows;
    std::function<bool(double)> sleepFor;
    std::function<void(const QString &)> abort;
};

} // namespace Reservo::Bench
