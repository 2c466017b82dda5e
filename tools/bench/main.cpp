// SPDX-License-Identifier: MIT
// reservo-bench: composition root. Parse the options, build the run, serve NATS while it runs,
// print the report.
#include "benchoptions.h"
#include "benchreport.h"
#include "benchrun.h"
#include "natsclient.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <cstdio>

using namespace Reservo;
using namespace Reservo::Bench;

namespace {
int summarize(const QStringList &files)
{
    QList<BenchResult> results;
    QString error;
    if (!BenchReport::load(files, results, error)) {
        std::fprintf(stderr, "reservo-bench: %s\n", qPrintable(error));
        return 2;
    }
    std::fputs(qPrintable(BenchReport::summaryTable(results)), stdout);
    return 0;
}

// The options, or nullopt when the run is over already (--help, an error or --summarize shown,
// with `exitCode`).
std::optional<BenchOptions> loadOptions(int argc, char **argv, int &exitCode)
{
    std::optional<BenchOptions> options = BenchOptionsParser::table().fromProcess(
        QStringLiteral("reservo-bench"), argc, argv, exitCode);
    if (!options || options->summarize.isEmpty())
        return options;
    exitCode = summarize(options->summarize);
    return std::nullopt;
}

void print(const BenchOptions &options, const BenchResult &result)
{
    const QByteArray text = options.json ? QJsonDocument(result.toJson()).toJson()
                                         : BenchReport::details(result).toUtf8();
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    if (!result.error.isEmpty())
        std::fprintf(stderr, "reservo-bench: %s\n", qPrintable(result.error));
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("reservo.nats.info=false"));
    int exitCode = 0;
    const std::optional<BenchOptions> options = loadOptions(argc, argv, exitCode);
    if (!options)
        return exitCode;

    SignalWatcher signals_; // before any thread starts, so that every thread inherits the mask
    NatsClient nats;
    BenchRun run(*options, &nats);
    QString error;
    if (!run.prepare(error)) {
        std::fprintf(stderr, "reservo-bench: %s\n", qPrintable(error));
        return 2;
    }
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &app,
                     [&run](int) { run.abort(QStringLiteral("interrupted by a signal")); });
    run.start(
        [&app] { QMetaObject::invokeMethod(&app, &QCoreApplication::quit, Qt::QueuedConnection); });
    app.exec();
    run.join();
    print(*options, run.result());
    return run.result().error.isEmpty() ? 0 : 1;
}
