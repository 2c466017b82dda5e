// SPDX-License-Identifier: MIT
#pragma once

#include "childprocess.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace Reservo::Test {

// The real reservo-events-sim (from RESERVO_SIM_EXE) playing the events service on NATS: started
// with the test's flags in an empty working directory, its event ids read from the lines it
// prints, its log kept for a failing test, stopped or killed with the fixture.
class SimProcess
{
public:
    // The sim's flags; ids depend only on `seed` (and the event's number), so two sims with the
    // same seed serve the same events and seats, whatever their initial states or change streams.
    struct Options
    {
        int events = 1;
        int seats = 15;
        quint32 seed = 1;
        int initialOccupiedPercent = 0;
        double rate = 0; // 0: only answer requests
        qint64 count = -1;
        int replyDelayMs = 0;

        QStringList arguments() const;
    };

    SimProcess() = default;
    ~SimProcess();

    // Starts the sim and waits for its `event <id> <name> <seats>` lines. It may still be
    // connecting to NATS: EventsProbe::waitUntilAnswering() tells when it serves requests.
    bool start(const QString &natsUrl, const Options &options);
    // SIGTERM, then waits for the exit (SIGKILL if it does not come); true once it has ended.
    bool stop();
    // What `--print-events` says about these options: each event's `events.get.id` message,
    // with the initial seat states, without NATS.
    static QList<QJsonObject> describeEvents(const Options &options, QString *error);

    bool isRunning() const { return m_process.isRunning(); }
    QStringList eventIds() const { return m_eventIds; }
    // Waits until the sim says it answers requests (it logs that once its subscriptions are live;
    // EventsProbe::waitUntilAnswering() asks instead, which costs a whole reply delay).
    bool waitUntilAnswering();
    // Waits until the sim has published its whole `count` of changes (it logs that line).
    bool waitUntilPublished(qint64 count);
    // Whether it has published its whole `count` already (without waiting).
    bool hasFinishedPublishing();
    QString errorString() const { return m_error; }
    QByteArray output() { return m_process.output(); }
    void printOutputIfFailed() { m_process.printOutputIfFailed(); }

private:
    bool waitForLogLine(const QByteArray &text);
    void readEventLines();

    ChildProcess m_process{QStringLiteral("reservo-events-sim")};
    QTemporaryDir m_workDir;
    QStringList m_eventIds;
    QString m_error;
};

} // namespace Reservo::Test
