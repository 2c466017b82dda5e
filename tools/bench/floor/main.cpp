// SPDX-License-Identifier: MIT
// reservo-bench-floor: the fan-out and pre-encoded snapshots alone (FloorServer), measured beside
// reservo-ws by scripts/bench.sh (BENCH_VARIANTS=floor) to show what a delivery and a join cost
// on the machine itself.
#include "epolleventdispatcher.h"
#include "floorserver.h"
#include "natsclient.h"
#include "natswire.h"
#include "signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

using namespace Reservo;
using Reservo::Bench::FloorServer;

int main(int argc, char **argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher); // as reservo-ws by default
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("reservo-bench-floor"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The fan-out alone, for reservo-bench: one thread sends each update.seat.state from NATS "
        "to its room's WebSocket clients, and a joiner its room's snapshot (the events service's "
        "map, pre-encoded), with nothing else a product needs. Loopback only."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (default 3000)"),
                                  QStringLiteral("PORT"), QStringLiteral("3000"));
    const QCommandLineOption nats(QStringLiteral("nats-server"),
                                  QStringLiteral("NATS URL (default nats://127.0.0.1:4222)"),
                                  QStringLiteral("URL"), QStringLiteral("nats://127.0.0.1:4222"));
    const QCommandLineOption writes(QStringLiteral("writes"),
                                    QStringLiteral("io_uring (default) or send"),
                                    QStringLiteral("HOW"), QStringLiteral("io_uring"));
    parser.addOptions({port, nats, writes});
    parser.process(app);
    bool portOk = false;
    const quint16 portNumber = parser.value(port).toUShort(&portOk);
    const auto method = SocketBatch::parseMethod(parser.value(writes).toUtf8(), "send");
    if (!portOk || portNumber == 0 || !method) {
        std::fputs("reservo-bench-floor: --port must be 1-65535, --writes io_uring or send\n",
                   stderr);
        return 2;
    }
    SignalWatcher signals_;
    NatsClient natsClient;
    FloorServer server(&natsClient, *method);
    if (!server.listen(QHostAddress::LocalHost, portNumber)) {
        std::fprintf(stderr, "reservo-bench-floor: cannot listen on 127.0.0.1:%u: %s\n", portNumber,
                     qPrintable(server.errorString()));
        return 1;
    }
    if (!natsClient.start({parser.value(nats)}, QStringLiteral("reservo-bench-floor")) ||
        !natsClient.subscribe(NatsWire::SeatUpdateSubject)) {
        std::fprintf(stderr, "reservo-bench-floor: %s\n", qPrintable(natsClient.errorString()));
        return 1;
    }
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &app, [&] {
        std::fprintf(stderr, "reservo-bench-floor: %llu deliveries, %llu clients dropped\n",
                     qulonglong(server.deliveries()), qulonglong(server.dropped()));
        QCoreApplication::quit();
    });
    return app.exec();
}
