// SPDX-License-Identifier: MIT
// reservo-events-sim: composition root. Parse the options, build the catalogue, serve it on NATS.
#include "eventcatalogue.h"
#include "eventssimulator.h"
#include "natsclient.h"
#include "signalwatcher.h"
#include "simoptions.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <utility>

using namespace Reservo;

namespace {
constexpr int DrainTimeoutMs = 1000;
constexpr int ShutdownGraceMs = 3000;
const char Program[] = "reservo-events-sim";

// Each event as the `message` of its events.get.id reply: the exact wire shape, one per line.
void printEventsAsJson(const EventCatalogue &catalogue)
{
    for (const NatsWire::EventDetails &event : catalogue.events()) {
        const QJsonDocument reply = QJsonDocument::fromJson(NatsWire::encodeEventByIdReply(event));
        const QJsonObject message = reply.object().value(QStringLiteral("message")).toObject();
        std::printf("%s\n", QJsonDocument(message).toJson(QJsonDocument::Compact).constData());
    }
}

void printEventLines(const EventCatalogue &catalogue)
{
    for (const NatsWire::EventDetails &event : catalogue.events())
        std::printf("event %s %s %d\n", qPrintable(event.id), qPrintable(event.name),
                    int(event.seats.size()));
    std::fflush(stdout); // scripts read this through a pipe while the sim keeps running
}
// Exit 0 on SIGINT/SIGTERM or after durationS: stop publishing, drain NATS, bounded in time.
void stopOnSignalOrTimeout(SignalWatcher &signals_, NatsClient &nats, EventsSimulator &sim,
                           double durationS)
{
    auto *app = QCoreApplication::instance();
    const auto stopping = std::make_shared<bool>(false);
    const auto shutDown = [&nats, &sim, app, stopping](const char *why) {
        if (std::exchange(*stopping, true))
            return;
        qCInfo(lcSim) << why << "- shutting down after" << sim.published() << "changes";
        sim.stop();
        nats.drain(DrainTimeoutMs);
        QTimer::singleShot(ShutdownGraceMs, app, [] { QCoreApplication::exit(0); });
    };
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, app,
                     [shutDown](int) { shutDown("signal"); });
    if (durationS > 0)
        QTimer::singleShot(int(durationS * 1000), app,
                           [shutDown] { shutDown("duration elapsed"); });
    QObject::connect(&nats, &NatsClient::closed, app, [] { QCoreApplication::exit(0); });
}
} // namespace

int main(int argc, char **argv)
{
    int exitCode = 0;
    const std::optional<SimOptions> options =
        SimOptionsParser::table().fromProcess(QString::fromLatin1(Program), argc, argv, exitCode);
    if (!options)
        return exitCode;
    EventCatalogue catalogue(options->catalogue);
    if (options->printEvents) {
        printEventsAsJson(catalogue);
        return 0;
    }

    QCoreApplication app(argc, argv);
    SignalWatcher signals_; // before NatsClient starts threads, so they inherit the signal mask
    NatsClient nats;
    printEventLines(catalogue);
    EventsSimulator sim(
        &nats, std::move(catalogue),
        {options->rate, options->count, options->replyDelayMs, options->catalogue.seed});
    if (!nats.start(options->natsServers, QString::fromLatin1(Program))) {
        std::fprintf(stderr, "%s: %s\n", Program, qPrintable(nats.errorString()));
        return 1;
    }
    if (!sim.start()) {
        std::fprintf(stderr, "%s: cannot subscribe to the request subjects\n", Program);
        return 1;
    }

    stopOnSignalOrTimeout(signals_, nats, sim, options->durationS);
    return app.exec();
}
