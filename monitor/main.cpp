// SPDX-License-Identifier: MIT
// reservo-monitor: composition root. Read options and settings, build the connection, the
// watched events and the window, connect them, exec().
#include "eventpicker.h"
#include "mainwindow.h"
#include "monitorconnection.h"
#include "monitorsettings.h"
#include "screenshotrunner.h"
#include "socketiourl.h"
#include "watchedevents.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <cstdio>

using namespace Reservo;

namespace {
const QUrl DefaultUrl(QStringLiteral("http://127.0.0.1:3000"));

struct Options
{
    std::optional<QUrl> url;             // nullopt: the remembered one
    std::optional<QStringList> eventIds; // nullopt: the remembered ones
    QString screenshot;                  // empty: run for staff
    int timeoutMs = 15000;
};

void describeOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Live seat maps of Reservo events for staff, from a reservo-ws service.\n"
        "Without --url/--event the last URL and events are used; given ones are remembered.\n"
        "--screenshot uses only the command line and remembers nothing."));
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("url"),
          QStringLiteral("service URL (default: last used, else %1)").arg(DefaultUrl.toString()),
          QStringLiteral("URL")},
         {QStringLiteral("event"), QStringLiteral("event id to watch (repeatable)"),
          QStringLiteral("ID")},
         {QStringLiteral("screenshot"),
          QStringLiteral("wait until every map is in sync, save the window as PNG, exit"),
          QStringLiteral("FILE")},
         {QStringLiteral("timeout"),
          QStringLiteral("--screenshot gives up after MS milliseconds (default 15000)"),
          QStringLiteral("MS"), QStringLiteral("15000")}});
}

// One clear line and nullopt for a bad value.
std::optional<Options> readOptions(const QCommandLineParser &parser)
{
    Options options;
    if (parser.isSet(QStringLiteral("url"))) {
        options.url = QUrl::fromUserInput(parser.value(QStringLiteral("url")));
        if (socketIoUrl(*options.url).isEmpty()) {
            std::fprintf(stderr, "reservo-monitor: invalid --url %s (want http://host:port)\n",
                         qPrintable(parser.value(QStringLiteral("url"))));
            return std::nullopt;
        }
    }
    if (parser.isSet(QStringLiteral("event")))
        options.eventIds = EventPicker::parseIds(parser.values(QStringLiteral("event")).join(u' '));
    options.screenshot = parser.value(QStringLiteral("screenshot"));
    bool ok = false;
    options.timeoutMs = parser.value(QStringLiteral("timeout")).toInt(&ok);
    if (!ok || options.timeoutMs <= 0) {
        std::fprintf(stderr, "reservo-monitor: --timeout needs a positive number of ms\n");
        return std::nullopt;
    }
    return options;
}

int runScreenshot(QApplication &app, MainWindow &window, MonitorConnection &connection,
                  WatchedEvents &watched, const Options &options)
{
    ScreenshotRunner runner(&window, &connection, &watched, options.screenshot, options.timeoutMs);
    QObject::connect(&runner, &ScreenshotRunner::finished, &app, [&](int code) {
        std::fprintf(code == 0 ? stdout : stderr, "reservo-monitor: %s: %s\n",
                     code == 0 ? "saved" : "screenshot failed", qPrintable(runner.message()));
        app.exit(code);
    });
    runner.start();
    return app.exec();
}

// Options are read before any display is needed, so --help and bad flags work on a console.
std::optional<Options> parseCommandLine(int argc, char **argv, int &exitCode)
{
    QCoreApplication console(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("reservo-monitor"));
    QCommandLineParser parser;
    describeOptions(parser);
    if (!parser.parse(console.arguments())) {
        std::fprintf(stderr, "reservo-monitor: %s\n", qPrintable(parser.errorText()));
        exitCode = 2;
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        exitCode = 0;
        return std::nullopt;
    }
    exitCode = 2;
    return readOptions(parser);
}
} // namespace

int main(int argc, char **argv)
{
    int exitCode = 0;
    const std::optional<Options> options = parseCommandLine(argc, argv, exitCode);
    if (!options)
        return exitCode;
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Reservo"));
    QApplication::setApplicationName(QStringLiteral("reservo-monitor"));

    QSettings settings;
    const MonitorSettings remembered(options->screenshot.isEmpty() ? &settings : nullptr);
    MonitorConnection connection;
    WatchedEvents watched(&connection);
    connection.start(options->url.value_or(remembered.url(DefaultUrl)));
    MainWindow window(&connection, &watched, remembered);
    QList<MonitorSettings::Event> events = remembered.events();
    if (options->eventIds)
        events = MonitorSettings::eventsFromIds(*options->eventIds);
    for (const MonitorSettings::Event &event : std::as_const(events))
        watched.add(event.id, event.name, event.capacity);
    window.resize(1280, 800);
    window.show();
    return options->screenshot.isEmpty()
               ? app.exec()
               : runScreenshot(app, window, connection, watched, *options);
}
