// SPDX-License-Identifier: MIT
// reservo-watch: print live seat changes of one or more events, as a browser would see them.
#include "seatwatcher.h"
#include "socketiourl.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("reservo-watch"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Joins event rooms on a reservo-ws (or any compatible Socket.IO) service "
                       "and prints every seat change as it arrives."));
    parser.addHelpOption();
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("service URL (default http://127.0.0.1:3000)"),
                                 QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:3000"));
    const QCommandLineOption event(QStringLiteral("event"),
                                   QStringLiteral("event id to watch (repeatable, required)"),
                                   QStringLiteral("ID"));
    const QCommandLineOption count(QStringLiteral("count"),
                                   QStringLiteral("exit 0 after N seat changes (default: never)"),
                                   QStringLiteral("N"), QStringLiteral("0"));
    parser.addOptions({url, event, count});
    parser.process(app);
    const QUrl serviceUrl(parser.value(url));
    bool countOk = false;
    const int maxUpdates = parser.value(count).toInt(&countOk);
    if (Reservo::socketIoUrl(serviceUrl).isEmpty()) {
        std::fprintf(stderr, "reservo-watch: invalid --url %s\n", qPrintable(parser.value(url)));
        return 2;
    }
    if (!countOk || maxUpdates < 0 || parser.values(event).isEmpty()) {
        std::fprintf(stderr, "reservo-watch: need at least one --event and a --count >= 0\n");
        return 2;
    }
    Reservo::SeatWatcher watcher(serviceUrl, parser.values(event), maxUpdates);
    QObject::connect(&watcher, &Reservo::SeatWatcher::done, &app, &QCoreApplication::quit);
    watcher.start();
    return app.exec();
}
