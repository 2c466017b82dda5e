// SPDX-License-Identifier: MIT
// reservo-conformance-server: the protocol library behind the echo handlers of the published
// Engine.IO v4 / Socket.IO v5 test suites. To run a suite, start this with --port 3000 (the
// suites' URL), then `npm install && npx mocha test-suite.js` in a copy of the suite's folder.
#include "conformanceserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using Reservo::ConformanceServer;

namespace {
int number(const QCommandLineParser &parser, const QCommandLineOption &option, int max, bool &ok)
{
    bool valid = false;
    const int value = parser.value(option).toInt(&valid);
    if (!valid || value < 0 || value > max) {
        QTextStream(stderr) << "reservo-conformance-server: invalid --" << option.names().first()
                            << ' ' << parser.value(option) << '\n';
        ok = false;
    }
    return value;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Echo server for the published Engine.IO v4 and Socket.IO v5 test suites."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("TCP port (0: any)."),
                                  QStringLiteral("port"), QStringLiteral("3000"));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to listen on."),
                                  QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption pingInterval(QStringLiteral("ping-interval"),
                                          QStringLiteral("Engine.IO ping interval (ms)."),
                                          QStringLiteral("ms"), QStringLiteral("300"));
    const QCommandLineOption pingTimeout(QStringLiteral("ping-timeout"),
                                         QStringLiteral("Engine.IO ping timeout (ms)."),
                                         QStringLiteral("ms"), QStringLiteral("200"));
    const QCommandLineOption workerThreads(
        QStringLiteral("worker-threads"),
        QStringLiteral("WebSocket shards, as reservo-ws's WORKER_THREADS (0: one thread)."),
        QStringLiteral("n"), QStringLiteral("0"));
    parser.addOptions({port, host, pingInterval, pingTimeout, workerThreads});
    parser.process(app);

    bool ok = true;
    ConformanceServer::Options options;
    options.pingInterval = number(parser, pingInterval, 3600000, ok);
    options.pingTimeout = number(parser, pingTimeout, 3600000, ok);
    options.workerThreads = number(parser, workerThreads, 64, ok);
    const quint16 portNumber = quint16(number(parser, port, 65535, ok));
    const QHostAddress address(parser.value(host));
    if (address.isNull()) {
        QTextStream(stderr) << "reservo-conformance-server: invalid --host " << parser.value(host)
                            << '\n';
        ok = false;
    }
    if (!ok)
        return 2;

    ConformanceServer server(options);
    if (!server.listen(address, portNumber)) {
        QTextStream(stderr) << "reservo-conformance-server: cannot listen on " << address.toString()
                            << " port " << portNumber << ": " << server.errorString() << '\n';
        return 1;
    }
    // The chosen port, for a caller that passed --port 0.
    QTextStream(stdout) << "listening on " << address.toString() << " port " << server.port()
                        << Qt::endl;
    return app.exec();
}
