// SPDX-License-Identifier: MIT
#include "runsetup.h"

#include "fdlimit.h"
#include "publishlog.h"
#include "targetaddress.h"

#include <algorithm>

namespace Reservo::Bench {

namespace {
constexpr uint64_t SpareDescriptors = 64;
constexpr double MaxHandshakeS = 30;
constexpr double LogHeadroom = 1.5; // a stalled publisher catches up by up to one second
constexpr uint32_t LogSlack = 1024;

int64_t toNs(double seconds)
{
    return int64_t(seconds * 1e9);
}
} // namespace

// Socket.IO's default path when the URL names none, with the trailing slash it requires.
std::string RunSetup::requestTarget(const std::string &urlPath)
{
    const std::string path = urlPath == "/"          ? std::string("/socket.io/")
                             : urlPath.back() == '/' ? urlPath
                                                     : urlPath + '/';
    return path + "?EIO=4&transport=websocket";
}

uint32_t RunSetup::changesPerRoom(const BenchOptions &o)
{
    if (o.isJoinStorm()) // publishing from the baseline to the end, at most the whole budget
        return uint32_t(std::min(o.changesPerSecond * o.budgetSeconds() * LogHeadroom, 1e9)) +
               LogSlack;
    const bool ramp = o.scenario == BenchOptions::Scenario::Ramp;
    const double maxRate = ramp ? o.ramp.to : o.rate;
    const double seconds = ramp ? o.ramp.steps() * o.ramp.stepSeconds : o.warmupS + o.durationS;
    const double perRoom = maxRate / o.clientsPerRoom() * seconds * LogHeadroom / o.rooms;
    return uint32_t(std::min(perRoom, 1e9)) + LogSlack;
}

bool RunSetup::build(const BenchOptions &o, ClientSetup &setup, RunWindows &windows, Built &built,
                     QString &error)
{
    const auto target =
        TargetAddress::parse(o.url, {QStringLiteral("ws"), QStringLiteral("http")}, 80, &error);
    if (!target)
        return false;
    const FdLimit::Outcome fds = FdLimit::ensure(uint64_t(o.connections()) + SpareDescriptors);
    built.note = fds.note;
    if (!fds.ok) {
        error = fds.note;
        return false;
    }
    setup.address = target->address;
    setup.host = target->host;
    setup.target = requestTarget(target->path);
    for (int room = 0; room < o.rooms; ++room)
        setup.eventIds.push_back((o.eventIds.isEmpty()
                                      ? QStringLiteral("%1-r%2").arg(o.eventPrefix).arg(room)
                                      : o.eventIds[room])
                                     .toStdString());
    built.log = std::make_unique<PublishLog>(o.rooms, o.seats, changesPerRoom(o));
    setup.log = built.log.get();
    setup.windows = &windows;
    setup.connectConcurrency = o.connectConcurrency;
    setup.handshakeTimeoutNs = toNs(std::min(MaxHandshakeS, o.connectTimeoutS));
    setup.slowReceiveBuffer = o.slowReceiveBuffer;
    setup.reads = o.reads;
    windows.lateNs = toNs(o.p99BoundMs / 1000.0);
    windows.stepNs = toNs(o.ramp.stepSeconds);
    windows.steps = o.scenario == BenchOptions::Scenario::Ramp ? o.ramp.steps() : 0;
    return true;
}

bool RunSetup::adoptEvent(const BenchOptions &o, const NatsWire::EventDetails &event,
                          ClientSetup &setup, std::unique_ptr<PublishLog> &log, QString &error)
{
    std::vector<std::string> ids;
    ids.reserve(size_t(event.seats.size()));
    for (const Seat &seat : event.seats) {
        if (seat.state != SeatState::Available) {
            error = QStringLiteral("seat %1 of event %2 is %3: a join-storm needs every seat "
                                   "AVAILABLE (reservo-events-sim --initial-occupied 0)")
                        .arg(seat.id, event.id, seatStateName(seat.state));
            return false;
        }
        ids.push_back(seat.id.toStdString());
    }
    if (ids.empty()) {
        error = QStringLiteral("event %1 has no seats").arg(event.id);
        return false;
    }
    setup.eventIds = {event.id.toStdString()};
    setup.seats = SeatNames(std::move(ids));
    log = std::make_unique<PublishLog>(1, int(event.seats.size()), changesPerRoom(o));
    setup.log = log.get();
    return true;
}

} // namespace Reservo::Bench
