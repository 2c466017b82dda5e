// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"
#include "benchresult.h"
#include "clientsetup.h"
#include "serverprobe.h"

#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace Reservo {
class NatsClient;
}

namespace Reservo::Bench {

class ClientPool;
class PublishLog;
class SeatPublisher;
class StormEvent;

// Runs one scenario end to end on its own thread, while the main thread's event loop serves
// NATS and the publisher: connect and join every client, measure the window the scenario asks
// for, drain, check what arrived, close everything, and fill a BenchResult. A join-storm first
// learns its event from the events service (StormEvent), then JoinStorm measures the storm.
class BenchRun
{
public:
    BenchRun(const BenchOptions &options, NatsClient *nats);
    ~BenchRun();

    // On the main thread, before start(): resolves targets, raises limits, starts NATS.
    bool prepare(QString &error);
    // `finished` runs on the run's thread when everything is closed.
    void start(std::function<void()> finished);
    // From any thread: cut the run short, still closing everything and reporting.
    void abort(const QString &why);
    void join();

    const BenchResult &result() const { return m_result; }

private:
    void execute();
    bool connectClients();
    void recordConnected();
    bool waitForNats();
    void measureIdle();
    void runPublishing();
    void runFixed();
    void drain();
    bool waitQuiet(double seconds);
    void collect();
    void closeClients();
    bool sleepFor(double seconds);
    bool setupClients(QString &error);

    BenchOptions m_options;
    NatsClient *m_nats;
    ClientSetup m_setup;
    RunWindows m_windows;
    ServerProbe m_probe;
    std::unique_ptr<PublishLog> m_log;
    std::unique_ptr<ClientPool> m_pool;
    std::unique_ptr<SeatPublisher> m_publisher;
    std::unique_ptr<StormEvent> m_event; // join-storm
    ProbeOutcome m_probeOutcome;
    std::atomic<bool> m_natsReady{false};
    std::atomic<bool> m_aborted{false};
    std::mutex m_abortMutex;
    QString m_abortReason;
    int64_t m_deadlineNs = 0;
    BenchResult m_result;
    std::function<void()> m_finished;
    std::thread m_thread;
};

} // namespace Reservo::Bench
