// SPDX-License-Identifier: MIT
#include "benchrun.h"

#include "clientpool.h"
#include "joinstorm.h"
#include "monotonicclock.h"
#include "natsclient.h"
#include "publishlog.h"
#include "ramprun.h"
#include "resultcollector.h"
#include "runsetup.h"
#include "seatpublisher.h"
#include "stormevent.h"
#include "targetaddress.h"
#include "windowmeter.h"

#include <QDateTime>
#include <QFile>
#include <chrono>
#include <cmath>

namespace Reservo::Bench {

namespace {
constexpr double NatsWaitS = 10;
constexpr double QuietS = 1;
constexpr double CloseWaitS = 3;
constexpr int64_t PollNs = 20'000'000;

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readAll()).section(u' ', 0, 2);
}

int64_t toNs(double seconds)
{
    return int64_t(seconds * 1e9);
}
} // namespace

BenchRun::BenchRun(const BenchOptions &options, NatsClient *nats)
    : m_options(options), m_nats(nats), m_probe(pid_t(options.serverPid))
{
}

BenchRun::~BenchRun()
{
    join();
}

bool BenchRun::prepare(QString &error)
{
    if (!setupClients(error))
        return false;
    if (!m_options.publishes())
        return true;
    const auto nats =
        TargetAddress::parse(m_options.natsServer, {QStringLiteral("nats")}, 4222, &error);
    if (!nats)
        return false;
    QStringList eventIds;
    for (const std::string &id : m_setup.eventIds)
        eventIds.append(QString::fromStdString(id));
    m_publisher = std::make_unique<SeatPublisher>(m_nats, m_log.get(), eventIds);
    QObject::connect(m_nats, &NatsClient::subscriptionsReady, m_publisher.get(),
                     [this] { m_natsReady.store(true); });
    if (m_options.isJoinStorm())
        m_event = std::make_unique<StormEvent>(
            m_nats, StormEvent::Targets{m_options, m_setup, m_log, *m_publisher, m_result.storm},
            [this](const QString &why) { abort(why); });
    if (!m_nats->start({m_options.natsServer}, QStringLiteral("reservo-bench"))) {
        error = m_nats->errorString();
        return false;
    }
    return m_publisher->listenToItself();
}

bool BenchRun::setupClients(QString &error)
{
    RunSetup::Built built;
    if (!RunSetup::build(m_options, m_setup, m_windows, built, error))
        return false;
    m_log = std::move(built.log);
    m_setup.probe = &m_probeOutcome;
    m_result.notes = built.note;
    m_pool = std::make_unique<ClientPool>(m_setup);
    return true;
}

void BenchRun::start(std::function<void()> finished)
{
    m_finished = std::move(finished);
    m_thread = std::thread([this] { execute(); });
}

void BenchRun::abort(const QString &why)
{
    std::lock_guard lock(m_abortMutex);
    if (m_abortReason.isEmpty())
        m_abortReason = why;
    m_aborted.store(true);
}

void BenchRun::join()
{
    if (m_thread.joinable())
        m_thread.join();
}

void BenchRun::execute()
{
    const BenchOptions &o = m_options;
    m_result.date = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    m_result.machineLoad = loadAverage();
    m_deadlineNs = monotonicNs() + toNs(o.budgetSeconds());
    const ServerProbe::Sample before = m_probe.sample();
    m_result.rssBeforeKb = before.ok ? before.rssKb : -1;
    const bool storm = o.isJoinStorm(); // its event decides whom the clients join
    const auto sleeper = [this](double seconds) { return sleepFor(seconds); };
    if ((!storm || (waitForNats() && m_event->wait(sleeper))) && connectClients() &&
        sleepFor(o.settleS)) {
        recordConnected();
        if (!o.publishes())
            measureIdle();
        else if (storm || waitForNats())
            runPublishing();
        if (m_publisher)
            m_publisher->requestRate(0);
        drain();
    }
    m_pool->stop();
    collect();
    closeClients();
    if (m_aborted.load()) {
        std::lock_guard lock(m_abortMutex);
        m_result.error = m_abortReason;
    }
    if (m_finished)
        m_finished();
}

bool BenchRun::sleepFor(double seconds)
{
    const int64_t until = monotonicNs() + toNs(seconds);
    for (int64_t now = monotonicNs(); now < until; now = monotonicNs()) {
        if (now > m_deadlineNs)
            abort(QStringLiteral("time budget of %1 s exceeded").arg(m_options.budgetSeconds()));
        if (m_aborted.load())
            return false;
        std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(PollNs, until - now)));
    }
    return !m_aborted.load();
}

bool BenchRun::connectClients()
{
    const ClientPool::Plan plan{m_options.clients, m_options.rooms, m_options.slowPercent,
                                m_options.threads, m_options.connections() - m_options.clients};
    std::string error;
    if (!m_pool->start(plan, error)) {
        abort(QString::fromStdString(error));
        return false;
    }
    const int64_t deadline = monotonicNs() + toNs(m_options.connectTimeoutS);
    while (m_pool->settled() < uint64_t(m_options.connections()) && monotonicNs() < deadline &&
           sleepFor(0.02)) {
    }
    m_result.joined = int(m_pool->joined());
    m_result.failed = m_options.connections() - m_result.joined - int(m_pool->ready());
    if (m_result.joined == 0)
        abort(QStringLiteral("no client joined a room"));
    else if (m_result.joined < m_options.clients)
        m_result.notes += QStringLiteral(" only %1 of %2 clients joined;")
                              .arg(m_result.joined)
                              .arg(m_options.clients);
    return !m_aborted.load();
}

void BenchRun::recordConnected()
{
    const ServerProbe::Sample connected = m_probe.sample();
    if (!connected.ok || m_result.rssBeforeKb < 0)
        return;
    m_result.rssConnectedKb = connected.rssKb;
    const double connections = double(m_result.joined) + double(m_pool->ready());
    m_result.rssPerConnectionKb = double(connected.rssKb - m_result.rssBeforeKb) / connections;
}

bool BenchRun::waitForNats()
{
    const int64_t until = monotonicNs() + toNs(NatsWaitS);
    while (!m_natsReady.load() && monotonicNs() < until && sleepFor(0.02)) {
    }
    if (!m_natsReady.load())
        abort(QStringLiteral("NATS at %1 not ready within %2 s")
                  .arg(m_options.natsServer)
                  .arg(NatsWaitS));
    return m_natsReady.load();
}

void BenchRun::runPublishing()
{
    const ScenarioContext context{m_options,
                                  m_setup,
                                  *m_pool,
                                  *m_publisher,
                                  m_probe,
                                  m_windows,
                                  [this](double seconds) { return sleepFor(seconds); },
                                  [this](const QString &why) { abort(why); }};
    if (m_options.isJoinStorm())
        JoinStorm(context).run(m_result);
    else if (m_options.scenario == BenchOptions::Scenario::Ramp)
        RampRun(context).run(m_result);
    else
        runFixed();
}

void BenchRun::measureIdle()
{
    WindowMeter meter(m_probe, *m_pool);
    meter.open();
    sleepFor(m_options.durationS);
    meter.close();
    ResultCollector::fillWindow(m_result, meter.delta());
}

void BenchRun::runFixed()
{
    WindowMeter meter(m_probe, *m_pool);
    if (m_options.slowPercent > 0)
        m_pool->setSlowReading(false);
    m_publisher->requestRate(m_options.rate / m_options.clientsPerRoom());
    if (!sleepFor(m_options.warmupS))
        return;
    m_windows.measureFromNs.store(meter.open());
    sleepFor(m_options.durationS);
    m_windows.measureToNs.store(meter.close());
    m_publisher->requestRate(0);
    ResultCollector::fillWindow(m_result, meter.delta());
}

// Normal readers first; then slow readers read again and must end with every seat's latest state.
void BenchRun::drain()
{
    if (!m_options.publishes())
        return;
    waitQuiet(m_options.drainS);
    if (m_options.slowPercent > 0) {
        m_pool->setSlowReading(true);
        waitQuiet(m_options.drainS);
    }
}

bool BenchRun::waitQuiet(double seconds)
{
    const int64_t until = monotonicNs() + toNs(seconds);
    uint64_t last = m_pool->deliveries();
    int64_t quietSince = monotonicNs();
    while (monotonicNs() < until && !m_aborted.load()) {
        if (!sleepFor(0.05))
            return false;
        const uint64_t now = m_pool->deliveries();
        if (now != last)
            quietSince = monotonicNs();
        last = now;
        if (monotonicNs() - quietSince >= toNs(QuietS))
            return true;
    }
    return false;
}

void BenchRun::collect()
{
    ResultCollector::fill(m_result, m_options, *m_pool, m_publisher.get());
}

// Closes every client, then gives the server a moment to free them: its RSS after that says
// whether memory is returned after a disconnect burst.
void BenchRun::closeClients()
{
    const ServerProbe::Sample open = m_probe.sample();
    m_pool->closeAll();
    if (!m_probe.isEnabled())
        return;
    std::this_thread::sleep_for(std::chrono::duration<double>(CloseWaitS));
    const ServerProbe::Sample closed = m_probe.sample();
    if (closed.ok) {
        m_result.rssClosedKb = closed.rssKb;
        m_result.rssPeakKb = closed.hwmKb;
        m_result.serverCloseCpuS = open.ok ? double(closed.cpuUs - open.cpuUs) / 1e6 : -1;
    }
}

} // namespace Reservo::Bench
