// SPDX-License-Identifier: MIT
#pragma once

#include "seatnames.h"
#include "socketbatch.h"

#include <atomic>
#include <climits>
#include <cstdint>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <vector>

namespace Reservo::Bench {

class PublishLog;

// The windows the orchestrator opens while workers run. A delivery's latency counts for the
// measured figures when its change was *published* inside [measureFromNs, measureToNs), and for
// ramp step i when published in step i.
struct RunWindows
{
    std::atomic<int64_t> measureFromNs{INT64_MAX};
    std::atomic<int64_t> measureToNs{INT64_MAX};
    std::atomic<int64_t> rampStartNs{0};
    int64_t stepNs = 0; // fixed before the workers start
    int steps = 0;
    int64_t lateNs = 50'000'000; // a delivery slower than this is late (ramp saturation)
};

// What a join-storm's probe (the one join before the storm) learnt, for the newcomers' joins:
// written by the worker whose client made it, read by the orchestrator once the probe is done.
struct ProbeOutcome
{
    std::mutex mutex;
    std::string layout;   // the room's layout version, empty when the server sent none
    bool compact = false; // the server answered the compact join with a compact snapshot
};

// What every worker needs to know to run its clients; shared read-only between threads.
struct ClientSetup
{
    sockaddr_in address{};
    std::string host;                  // Host header
    std::string target;                // request target, e.g. /socket.io/?EIO=4&transport=websocket
    std::vector<std::string> eventIds; // one per room
    SeatNames seats;                   // the ids of the seats the changes go to
    const PublishLog *log = nullptr;
    RunWindows *windows = nullptr;
    ProbeOutcome *probe = nullptr;
    int connectConcurrency = 256; // handshakes in flight, all workers together
    int64_t handshakeTimeoutNs = 30'000'000'000;
    int slowReceiveBuffer = 4096; // SO_RCVBUF of clients that stop reading; 0: default
    // How workers read joined clients: one io_uring submission for all the sockets an epoll
    // wake-up reports, or one recv() each.
    SocketBatch::Method reads = SocketBatch::Method::IoUring;
};

} // namespace Reservo::Bench
