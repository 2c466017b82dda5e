// SPDX-License-Identifier: MIT
#pragma once

#include "socketbatch.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo::Bench {

// Everything reservo-bench can be told. Rates are deliveries per second (one change to a room
// of M members is M deliveries): the unit the service's figures are quoted in.
struct BenchOptions
{
    enum class Scenario { Idle, Fanout, Ramp, HotRoom, SlowReaders };
    struct Ramp
    {
        double from = 10000;
        double to = 200000;
        double step = 10000;
        double stepSeconds = 3;
        int steps() const;
    };

    Scenario scenario = Scenario::Fanout;
    QString url = QStringLiteral("ws://127.0.0.1:3000/socket.io/");
    QString natsServer = QStringLiteral("nats://127.0.0.1:4222");
    qint64 serverPid = 0;
    int clients = 1000;
    int rooms = 10;
    int seats = 100;
    double rate = 10000;
    Ramp ramp;
    double p99BoundMs = 50;
    int slowPercent = 0;
    double durationS = 10;
    double warmupS = 2;
    double drainS = 5;
    double settleS = 2;
    double connectTimeoutS = 120;
    int threads = 1;
    int connectConcurrency = 256;
    int slowReceiveBuffer = 4096;
    SocketBatch::Method reads = SocketBatch::Method::IoUring;
    QString eventPrefix;
    QStringList eventIds; // rooms given by id (--events) instead of <eventPrefix>-r<n>
    QString label;
    bool json = false;
    QStringList summarize; // JSON reports to print as one table

    static QString scenarioName(Scenario scenario);
    bool publishes() const { return scenario != Scenario::Idle; }
    double clientsPerRoom() const { return double(clients) / double(rooms); }
    // Seconds of the whole run at most, connect phase included.
    double budgetSeconds() const;
};

// Builds BenchOptions from the command line: --scenario sets defaults, other flags override.
class BenchOptionsParser
{
public:
    static QString helpText();
    std::optional<BenchOptions> parse(const QStringList &arguments);
    bool helpRequested() const { return m_helpRequested; }
    QString errorString() const { return m_error; }

private:
    bool collect(const QStringList &arguments, QList<std::pair<QString, QString>> &flags);
    bool applyScenario(BenchOptions &options, const QString &name);
    bool validate(const BenchOptions &options);

    bool m_helpRequested = false;
    QString m_error;
};

} // namespace Reservo::Bench
