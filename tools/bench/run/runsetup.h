// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"
#include "clientsetup.h"
#include "natswire.h"

#include <QString>
#include <memory>

namespace Reservo::Bench {

class PublishLog;

// Turns BenchOptions into what the workers and the publisher share: the resolved loopback
// target, one event id per room, a PublishLog large enough for the whole run, the fixed parts of
// the latency windows, and enough file descriptors.
class RunSetup
{
public:
    struct Built
    {
        std::unique_ptr<PublishLog> log;
        QString note; // what was changed on the way, e.g. RLIMIT_NOFILE
    };

    static bool build(const BenchOptions &options, ClientSetup &setup, RunWindows &windows,
                      Built &built, QString &error);
    // join-storm: the event the events service described is the one room, and its seats are
    // those the changes go to. They must all be AVAILABLE, so that every change alters a seat.
    static bool adoptEvent(const BenchOptions &options, const NatsWire::EventDetails &event,
                           ClientSetup &setup, std::unique_ptr<PublishLog> &log, QString &error);

private:
    static std::string requestTarget(const std::string &urlPath);
    static uint32_t changesPerRoom(const BenchOptions &options);
};

} // namespace Reservo::Bench
