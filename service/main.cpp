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
#include "sessionregistry.h"
#include "signalwatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace Reservo;

namespace {
constexpr int ShutdownGraceMs = 5000;
} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(
            QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                           "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                           "%{category}: %{message}"));
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
    RoomManager rooms({config->roomGrace, config->presenceInterval, config->recoveryBuffer});
    SeatFeed feed(&nats, &rooms, config->natsMaxPayload);
    EventsClient events(&nats, {config->natsRequestTimeout, 500, config->snapshotRetryMax, 2000});
    RoomSync sync(&rooms, &events, &nats);
    RecoveryStore recovery(&rooms, config->maxDisconnectionDuration, config->maxRecoverySessions);
    JwtVerifier jwt(config->jwtSecret);
    SessionRegistry::Options sessionOptions;
    sessionOptions.session = {config->pingInterval, config->pingTimeout, config->maxPayload,
                              config->connectTimeout};
    // Pings leave in 50 ms slots (at most 0.2% of the interval late): one wake-up per slot, not
    // one per connection (docs/BENCHMARKS.md, idle).
    sessionOptions.session.pingSlotMs = std::min(50, config->pingInterval / 500);
    sessionOptions.client = {config->maxRoomsPerConnection, config->joinRate,
                             config->slowClientBuffer, config->maxClientBuffer};
    sessionOptions.engine.maxPayload = config->maxPayload;
    sessionOptions.engine.maxConnections = config->maxConnections;
    sessionOptions.engine.handshakeTimeoutMs = config->handshakeTimeout;
    sessionOptions.engine.allowedOrigins = config->allowedOrigins;
    sessionOptions.engine.socketWrites = config->socketWrites;
    // WORKER_THREADS unset: one per core beyond the first, 1 to 16.
    sessionOptions.engine.workerThreads = config->workerThreads >= 0
                                              ? config->workerThreads
                                              : std::clamp(QThread::idealThreadCount() - 1, 1, 16);
    sessionOptions.engine.dispatcherFactory = EventLoopChoice::workerThreadFactory();
    const auto listUpcoming = [&events](ClientSession::UpcomingHandler handler) {
        events.listUpcoming(std::move(handler));
    };
    SessionRegistry sessions(sessionOptions, {&rooms, &recovery, &jwt, listUpcoming});
    HttpFrontDoor http({config->handshakeTimeout, 16384});
    MetricsEndpoint metrics(&http, &nats, &rooms, &feed, &sessions, &recovery, &events);

    http.setSocketHandler(QStringLiteral("/socket.io"), [&](QTcpSocket *s, const HttpRequest &r) {
        return sessions.handleRequest(s, r);
    });
    http.setHandler(QStringLiteral("/healthz"), [](const HttpRequest &) {
        return HttpReply{200, "text/plain", "ok\n"};
    });
    http.setHandler(QStringLiteral("/readyz"), [&](const HttpRequest &) {
        return metrics.isReady() ? HttpReply{200, "text/plain", "ready\n"}
                                 : HttpReply{503, "text/plain", "not ready\n"};
    });
    http.setHandler(QStringLiteral("/metrics"), [&](const HttpRequest &) {
        return HttpReply{200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()};
    });

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
        QTimer::singleShot(ShutdownGraceMs, &app, [] { QCoreApplication::exit(0); });
    });
    QObject::connect(&sessions, &SessionRegistry::allClosed, &nats,
                     [&] { nats.drain(ShutdownGraceMs / 2); });
    QObject::connect(&nats, &NatsClient::closed, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}
