// SPDX-License-Identifier: MIT
// reservo-monitor-bench: how much a busy event costs the monitor. Builds one event tab, applies
// seat updates at a fixed rate and reports paint time per frame and CPU. Use it offscreen:
//   QT_QPA_PLATFORM=offscreen reservo-monitor-bench --seats 2000 --rate 200 --seconds 20
#include "paintbenchmark.h"

#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

using namespace Reservo;

namespace {
void describeOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "Applies seat updates to one monitor event tab at a fixed rate and measures the seat "
        "map's paint time per frame and the process CPU."));
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("seats"), QStringLiteral("seats (default 2000)"),
                        QStringLiteral("N"), QStringLiteral("2000")},
                       {QStringLiteral("rate"), QStringLiteral("updates per second (default 200)"),
                        QStringLiteral("N"), QStringLiteral("200")},
                       {QStringLiteral("seconds"), QStringLiteral("measured duration (default 10)"),
                        QStringLiteral("S"), QStringLiteral("10")},
                       {QStringLiteral("full-repaint"),
                        QStringLiteral("repaint the whole map each frame (for comparison)")},
                       {QStringLiteral("screenshot"),
                        QStringLiteral("save the tab as PNG at the end"), QStringLiteral("FILE")}});
}

void report(const PaintBenchmark::Options &o, const PaintBenchmark::Result &r)
{
    std::printf("seats %d, %.0f updates/s, %s repaints, %.1f s: %lld updates applied\n", o.seats,
                o.rate, o.partialRepaints ? "changed-cell" : "full", r.seconds,
                static_cast<long long>(r.updates));
    std::printf("map frames %d (%.1f/s), %.1f rects/frame\n", r.frames, r.frames / r.seconds,
                r.rectsPerFrame);
    std::printf("paint ms per frame: mean %.3f, p50 %.3f, p99 %.3f, max %.3f\n", r.paintMeanMs,
                r.paintP50Ms, r.paintP99Ms, r.paintMaxMs);
    std::printf("event loop max lag %.1f ms, process CPU %.1f%% of one core\n", r.maxLoopLagMs,
                r.cpuPercent);
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    describeOptions(parser);
    parser.process(app);
    PaintBenchmark::Options options;
    options.seats = parser.value(QStringLiteral("seats")).toInt();
    options.rate = parser.value(QStringLiteral("rate")).toDouble();
    options.seconds = parser.value(QStringLiteral("seconds")).toDouble();
    options.partialRepaints = !parser.isSet(QStringLiteral("full-repaint"));
    if (options.seats <= 0 || options.rate <= 0 || options.seconds <= 0) {
        std::fprintf(stderr, "reservo-monitor-bench: --seats, --rate, --seconds must be > 0\n");
        return 2;
    }
    PaintBenchmark bench(options);
    report(options, bench.run());
    const QString shot = parser.value(QStringLiteral("screenshot"));
    if (!shot.isEmpty() && !bench.saveScreenshot(shot)) {
        std::fprintf(stderr, "reservo-monitor-bench: cannot write %s\n", qPrintable(shot));
        return 1;
    }
    return 0;
}
