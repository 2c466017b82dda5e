// SPDX-License-Identifier: MIT
#include "benchflags.h"

namespace Reservo::Bench {

namespace {
using Scenario = BenchOptions::Scenario;
using Read = OptionReaders<BenchOptions>;
constexpr double MaxSeconds = BenchFlags::MaxSeconds;

// --scenario: the scenario, and the defaults it sets for the flags read after it.
bool readScenario(BenchOptions &o, const QString &text, QString &why)
{
    static const QStringList names{"idle",     "fanout",       "ramp",
                                   "hot-room", "slow-readers", "join-storm"};
    qsizetype index = 0;
    if (!ValueReaders::choice(text, names, index, why))
        return false;
    o.scenario = Scenario(index);
    if (o.scenario == Scenario::Idle) {
        o.durationS = 5;
    } else if (o.scenario == Scenario::HotRoom) {
        o.clients = 5000;
        o.rooms = 1;
        o.rate = 50000;
    } else if (o.scenario == Scenario::SlowReaders) {
        o.slowPercent = 10;
    } else if (o.scenario == Scenario::JoinStorm) {
        o.clients = 100;
        o.rooms = 1;
        o.durationS = 3;
    }
    return true;
}

bool readRamp(BenchOptions &o, const QString &text, QString &why)
{
    const QStringList parts = text.split(u':');
    BenchOptions::Ramp r;
    if (parts.size() != 4 || !ValueReaders::number(parts[0], 1, 1e8, r.from, why) ||
        !ValueReaders::number(parts[1], r.from, 1e8, r.to, why) ||
        !ValueReaders::number(parts[2], 1, 1e8, r.step, why) ||
        !ValueReaders::number(parts[3], 0.5, MaxSeconds, r.stepSeconds, why)) {
        why = QStringLiteral("expected FROM:TO:STEP:SECONDS, e.g. 10000:200000:10000:3");
        return false;
    }
    o.ramp = r;
    return true;
}

} // namespace

QList<Option<BenchOptions>> BenchFlags::rows()
{
    return {
        {{.flag = "scenario",
          .valueName = "NAME",
          .description =
              "idle | fanout | ramp | hot-room | slow-readers | join-storm: sets the defaults "
              "below. idle: connect and join, publish nothing, report server RSS per connection "
              "and idle CPU; fanout: a fixed rate; ramp: rising rates until p99 passes "
              "--p99-bound or deliveries fall behind; hot-room: 5000 clients in one room; "
              "slow-readers: --slow 10, slow clients stop reading during the window; join-storm: "
              "--clients 100 viewers in a real event's room (the events service's seat map) "
              "receive --changes per second, then --newcomers, connected beforehand, join at "
              "once; reports each join's time to the complete snapshot, the server's CPU and the "
              "bytes per join, the viewers' latency during the storm and the server's RSS "
              "around it",
          .defaultValue = "fanout",
          .kind = OptionKind::Preset},
         readScenario},
        {{.flag = "url",
          .valueName = "URL",
          .description = "Socket.IO server, ws:// or http:// on 127.0.0.0/8 only",
          .defaultValue = "ws://127.0.0.1:3000/socket.io/"},
         Read::text(&BenchOptions::url)},
        {{.flag = "nats-server",
          .valueName = "URL",
          .description = "NATS server for the changes, on 127.0.0.0/8 only",
          .defaultValue = "nats://127.0.0.1:4222"},
         Read::text(&BenchOptions::natsServer)},
        {{.flag = "server-pid",
          .valueName = "PID",
          .description = "the server's process: its RSS and CPU time are read from /proc"},
         Read::integer(&BenchOptions::serverPid, 1, 1 << 30)},
        {{.flag = "clients",
          .valueName = "N",
          .description = "Socket.IO clients, 1-1000000; hot-room sets 5000; join-storm: the "
                         "viewers, sets 100",
          .defaultValue = "1000"},
         Read::integer(&BenchOptions::clients, 1, 1000000)},
        {{.flag = "rooms",
          .valueName = "R",
          .description = "rooms (events) the clients are spread over evenly; hot-room and "
                         "join-storm set 1",
          .defaultValue = "10"},
         Read::integer(&BenchOptions::rooms, 1, 1000000)},
        {{.flag = "seats",
          .valueName = "N",
          .description = "seats per room the changes cycle over, 1-100000; join-storm: the "
                         "event's seats, whatever this says",
          .defaultValue = "100"},
         Read::integer(&BenchOptions::seats, 1, 100000)},
        {{.flag = "rate",
          .valueName = "N",
          .description = "target deliveries per second, all clients together (changes per "
                         "second = N * rooms / clients); hot-room sets 50000",
          .defaultValue = "10000"},
         Read::number(&BenchOptions::rate, 0, 1e8)},
        {{.flag = "ramp",
          .valueName = "FROM:TO:STEP:SECONDS",
          .description = "ramp deliveries per second from FROM to TO by STEP, SECONDS per step",
          .defaultValue = "10000:200000:10000:3"},
         readRamp},
        {{.flag = "p99-bound",
          .valueName = "MS",
          .description = "ramp: a step whose p99 exceeds this is saturated",
          .defaultValue = "50"},
         Read::number(&BenchOptions::p99BoundMs, 0.1, 60000)},
        {{.flag = "slow",
          .valueName = "PCT",
          .description = "percentage of each room's clients that stop reading during the window, "
                         "then read again to check the final state, 0-100; slow-readers sets 10",
          .defaultValue = "0"},
         Read::integer(&BenchOptions::slowPercent, 0, 100)},
        {{.flag = "duration",
          .valueName = "S",
          .description = "measured window in seconds, 0.1-600; idle sets 5; join-storm: the "
                         "window just before the storm that gives the server's baseline CPU, sets "
                         "3",
          .defaultValue = "10"},
         Read::number(&BenchOptions::durationS, 0.1, MaxSeconds)},
        {{.flag = "warmup",
          .valueName = "S",
          .description = "publishing before the window opens, 0-60",
          .defaultValue = "2"},
         Read::number(&BenchOptions::warmupS, 0, 60)},
        {{.flag = "drain",
          .valueName = "S",
          .description = "longest wait for deliveries after publishing stops, 0.5-120",
          .defaultValue = "5"},
         Read::number(&BenchOptions::drainS, 0.5, 120)},
        {{.flag = "settle",
          .valueName = "S",
          .description = "pause after the last join before measuring, 0-60; join-storm: also "
                         "after the storm and after the newcomers leave, before the server's RSS "
                         "is read",
          .defaultValue = "2"},
         Read::number(&BenchOptions::settleS, 0, 60)},
        {{.flag = "connect-timeout",
          .valueName = "S",
          .description = "longest connect phase, all clients, 1-600",
          .defaultValue = "120"},
         Read::number(&BenchOptions::connectTimeoutS, 1, MaxSeconds)},
        {{.flag = "threads",
          .valueName = "N",
          .description = "client worker threads, one epoll loop each, 1-64",
          .defaultValue = "1"},
         Read::integer(&BenchOptions::threads, 1, 64)},
        {{.flag = "connect-concurrency",
          .valueName = "N",
          .description = "handshakes in flight at once, 1-100000",
          .defaultValue = "256"},
         Read::integer(&BenchOptions::connectConcurrency, 1, 100000)},
        {{.flag = "slow-rcvbuf",
          .valueName = "BYTES",
          .description = "SO_RCVBUF of slow clients, so the server sees them stall soon; 0: "
                         "the kernel's default",
          .defaultValue = "4096"},
         Read::integer(&BenchOptions::slowReceiveBuffer, 0, 1 << 24)},
        {{.flag = "reads",
          .valueName = "io_uring|recv",
          .description = "how client workers read: one io_uring submission for every socket an "
                         "epoll wake-up reports, or one recv() each; recv where io_uring is "
                         "unavailable",
          .defaultValue = "io_uring"},
         Read::choice(&BenchOptions::reads,
                      QList<std::pair<QString, SocketBatch::Method>>{
                          {"io_uring", SocketBatch::Method::IoUring},
                          {"recv", SocketBatch::Method::Syscalls}})},
        {{.flag = "event-prefix",
          .valueName = "TEXT",
          .description = "event id prefix; rooms are TEXT-r0, TEXT-r1..., fresh by default so that "
                         "every change alters a seat",
          .defaultNote = "bench-<pid>-<time>"},
         Read::text(&BenchOptions::eventPrefix)},
        {{.flag = "events",
          .valueName = "ID,ID...",
          .description = "join these existing rooms instead of fresh ones (sets --rooms to their "
                         "number), e.g. the events simulator's; idle scenario only, the bench "
                         "publishes on its own rooms alone. join-storm: the one event whose room "
                         "is stormed (default: the first of events.get.upcoming); its seats must "
                         "all be AVAILABLE (reservo-events-sim --initial-occupied 0)"},
         Read::list(&BenchOptions::eventIds)},
        {{.flag = "newcomers",
          .valueName = "N",
          .description = "join-storm: clients connected (WebSocket and Socket.IO CONNECT) before "
                         "the storm that then join the room at once, 1-1000000",
          .defaultValue = "1000"},
         Read::integer(&BenchOptions::newcomers, 1, 1000000)},
        {{.flag = "changes",
          .valueName = "N",
          .description = "join-storm: seat changes per second published to the room from before "
                         "the storm to the end, 0-100000",
          .defaultValue = "50"},
         Read::number(&BenchOptions::changesPerSecond, 0, 100000)},
        {{.flag = "snapshot",
          .valueName = "json|compact",
          .description = "join-storm: what newcomers ask for: json sends {\"eventId\"} exactly as "
                         "the original client; compact adds \"snapshot\":\"compact\"",
          .defaultValue = "json"},
         Read::choice(&BenchOptions::compactSnapshots,
                      QList<std::pair<QString, bool>>{{"json", false}, {"compact", true}})},
        {{.flag = "layout-held",
          .valueName = "yes|no",
          .description = "join-storm, compact: newcomers name the room's layout version, learnt "
                         "by one join before the storm, as returning visitors and a reconnect "
                         "wave do (yes), or hold none and receive room-layout too (no)",
          .defaultValue = "yes"},
         Read::choice(&BenchOptions::layoutHeld,
                      QList<std::pair<QString, bool>>{{"yes", true}, {"no", false}})},
        {{.flag = "storm-timeout",
          .valueName = "S",
          .description = "join-storm: the longest wait for the newcomers' complete snapshots, "
                         "1-600",
          .defaultValue = "120"},
         Read::number(&BenchOptions::stormTimeoutS, 1, MaxSeconds)},
        {{.flag = "label",
          .valueName = "TEXT",
          .description = "name of this run in tables",
          .defaultNote = "the scenario and sizes"},
         Read::text(&BenchOptions::label)},
        {{.flag = "json",
          .description = "print the report as JSON instead of a table",
          .kind = OptionKind::Switch},
         Read::switchOn(&BenchOptions::json)},
        {{.flag = "summarize",
          .valueName = "FILE...",
          .description = "print one table of the JSON reports given (no run)",
          .kind = OptionKind::Rest},
         Read::list(&BenchOptions::summarize, u'\n')},
    };
}

} // namespace Reservo::Bench
