// SPDX-License-Identifier: MIT
// reservo-ws: composition root. Parse the config, build the parts, connect them, run.
#include "config.h"
#include "eventloopchoice.h"
#include "eventsclient.h"
#include "httpfrontdoor.h"
#include "jwtverifier.h"
#include "metricsendpoint.h"
#include "natsclient.h"
#include "natswire.h"
#include "recoverystore.h"
#include "roommanager.h"
#include "roomsync.h"
#include "seatfeed.h"
#include "serviceoptions.h"
#include "sessionregistry.h"
#include "signalwatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <cstdio>

using namespace Reservo;

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(ServiceOptions::LogPattern);
    int exitCode = 0;
    const std::optional<Config> config =
        ConfigLoader::table().fromProcess(QStringLiteral("reservo-ws"), argc, argv, exitCode);
    if (!config)
        return exitCode;
    EventLoopChoice::installOnMainThread(config->eventLoop);

    QCoreApplication app(argc, argv);
    qCInfo(lcWs) << "event dispatcher:"
                 << QCoreApplication::eventDispatcher()->metaObject()->className();
    SignalWatcher signals_;
    NatsClient nats;
    RoomManager rooms(ServiceOptions::rooms(*config));
    SeatFeed feed(&nats, &rooms, config->natsMaxPayload);
    EventsClient events(&nats, ServiceOptions::events(*config));
    RoomSync sync(&rooms, &events, &nats);
    RecoveryStore recovery(&rooms, ServiceOptions::recovery(*config));
    JwtVerifier jwt(config->jwtSecret);
    const auto listUpcoming = [&events](ClientSession::UpcomingHandler handler) {
        events.listUpcoming(std::move(handler));
    };
    const auto isUnknown = [&events](const QString &eventId) { return events.isUnknown(eventId); };
    SessionRegistry sessions(ServiceOptions::sessions(*config, QThread::idealThreadCount(),
                                                      EventLoopChoice::workerThreadFactory()),
                             {&rooms, &recovery, &jwt, listUpcoming, isUnknown});
    HttpFrontDoor http(ServiceOptions::http(*config));
    MetricsEndpoint metrics(&http, &nats, &rooms, &feed, &sessions, &recovery, &events);
    metrics.setMaxConnections(config->maxConnections);

    http.setSocketHandler(QStringLiteral("/socket.io"), [&](QTcpSocket *s, const HttpRequest &r) {
        return sessions.handleRequest(s, r);
    });
    metrics.serveOn(http);

    if (!http.listen(config->host, config->port)) {
        std::fprintf(stderr, "reservo-ws: cannot listen on %s:%u: %s\n",
                     qPrintable(config->host.toString()), config->port,
                     qPrintable(http.errorString()));
        return 1;
    }
    if (!nats.start(config->natsServers, QStringLiteral("reservo-ws"))) {
        std::fprintf(stderr, "reservo-ws: %s\n", qPrintable(nats.errorString()));
        return 1;
    }
    nats.subscribe(NatsWire::SeatUpdateSubject);

    // Shutdown: refuse new work, close clients going-away, drain NATS, exit 0 in bounded time.
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &app, [&](int sig) {
        qCInfo(lcWs) << "signal" << sig << "- shutting down";
        metrics.setShuttingDown();
        http.stopListening();
        sessions.closeAll();
        QTimer::singleShot(ServiceOptions::ShutdownGraceMs, &app,
                           [] { QCoreApplication::exit(0); });
    });
    QObject::connect(&sessions, &SessionRegistry::allClosed, &nats,
                     [&] { nats.drain(ServiceOptions::NatsDrainMs); });
    QObject::connect(&nats, &NatsClient::closed, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}
