// SPDX-License-Identifier: MIT
// reservo-ws: composition root. Parse the config, build the parts, connect them, run.
#include "config.h"
#include "epolleventdispatcher.h"
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
#include "socketbatch.h"

#include <QCoreApplication>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using namespace Reservo;

namespace {
constexpr int ShutdownGraceMs = 5000;

std::optional<Config> loadConfig(int argc, char **argv, bool &helpShown)
{
    const ConfigLoader::ProcessInputs in = ConfigLoader::processInputs(argc, argv);
    ConfigLoader loader;
    const std::optional<Config> config = loader.load(in.environment, in.dotEnv, in.arguments);
    helpShown = loader.helpRequested();
    if (helpShown) {
        std::fputs(qPrintable(ConfigLoader::helpText(QStringLiteral("reservo-ws"))), stdout);
        std::fputs(
            "\nEnvironment only, for A/B benchmarks (docs/BENCHMARKS.md):\n"
            "  RESERVO_EVENT_DISPATCHER=epoll|qt  event loop of every thread (default epoll)\n"
            "  RESERVO_SOCKET_WRITES=io_uring|send how worker threads write (default "
            "io_uring; send() where io_uring is unavailable)\n",
            stdout);
    } else if (!config)
        std::fprintf(stderr, "reservo-ws: %s\n", qPrintable(loader.errorString()));
    return config;
}

// Qt's dispatchers poll() every socket on every wake-up, so epoll is the default;
// RESERVO_EVENT_DISPATCHER=qt keeps Qt's UNIX one for A/B runs. False for any other value.
bool installEventDispatcher()
{
    const QByteArray choice = qgetenv("RESERVO_EVENT_DISPATCHER");
    if (choice == "qt")
        return true;
    if (!choice.isEmpty() && choice != "epoll")
        return false;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher.release()); // the main thread owns it
    else
        qCWarning(lcWs) << "epoll unavailable:" << dispatcher->errorString();
    return true;
}

// How shard threads write to their sockets: io_uring (one system call per batch) unless
// RESERVO_SOCKET_WRITES=send asks for a send() per socket, for A/B runs.
std::optional<SocketBatch::Method> socketWriteMethod()
{
    const QByteArray choice = qgetenv("RESERVO_SOCKET_WRITES");
    return choice.isEmpty() ? SocketBatch::Method::IoUring
                            : SocketBatch::parseMethod(choice, "send");
}
} // namespace

int main(int argc, char **argv)
{
    // Qt's glib dispatcher caps socket fan-out; Qt's UNIX one is the fallback to epoll. Either must
    // be chosen before the app exists.
    qputenv("QT_NO_GLIB", "1");
    if (!qEnvironmentVariableIsSet("QT_MESSAGE_PATTERN"))
        qSetMessagePattern(
            QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                           "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                           "%{category}: %{message}"));
    bool helpShown = false;
    const std::optional<Config> config = loadConfig(argc, argv, helpShown);
    if (helpShown)
        return 0;
    if (!config)
        return 2;
    if (!installEventDispatcher()) {
        std::fputs("reservo-ws: RESERVO_EVENT_DISPATCHER must be epoll or qt\n", stderr);
        return 2;
    }
    const std::optional<SocketBatch::Method> socketWrites = socketWriteMethod();
    if (!socketWrites) {
        std::fputs("reservo-ws: RESERVO_SOCKET_WRITES must be io_uring or send\n", stderr);
        return 2;
    }

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
    sessionOptions.engine.socketWrites = *socketWrites;
    sessionOptions.engine.workerThreads =
        ConfigLoader::workerThreads(*config, QThread::idealThreadCount());
    if (qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher()))
        sessionOptions.engine.dispatcherFactory = []() -> QAbstractEventDispatcher * {
            auto dispatcher = std::make_unique<EpollEventDispatcher>();
            if (dispatcher->isValid())
                return dispatcher.release();
            qCWarning(lcWs) << "epoll unavailable for a worker thread:"
                            << dispatcher->errorString();
            return nullptr; // Qt's own
        };
    const auto listUpcoming = [&events](ClientSession::UpcomingHandler handler) {
        events.listUpcoming(std::move(handler));
    };
    SessionRegistry sessions(sessionOptions, {&rooms, &recovery, &jwt, listUpcoming});
    HttpFrontDoor http({config->handshakeTimeout, 16384});
    MetricsEndpoint metrics(&http, &nats, &rooms, &feed, &sessions, &recovery, &events);
    metrics.setMaxConnections(config->maxConnections);

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
