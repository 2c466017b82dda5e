// SPDX-License-Identifier: MIT
#pragma once

#include "benchresult.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Reservo::Bench {

// Formats results for people: one run in detail, or many runs as one Markdown table (the shape
// docs/BENCHMARKS.md uses), plus each ramp's steps.
class BenchReport
{
public:
    static QString details(const BenchResult &result);
    static QString summaryTable(const QList<BenchResult> &results);
    static QString rampTable(const BenchResult &result);
    // Reads reports written with --json; false (with `error`) if one cannot be read.
    static bool load(const QStringList &files, QList<BenchResult> &results, QString &error);

private:
    static QString connectLine(const BenchResult &r);
    static QString latencyLine(const QString &name, const LatencySummary &l);
    static QString checkLine(const QString &name, const GroupResult &g);
    static QString deliveryLines(const BenchResult &r);
    static QString serverLines(const BenchResult &r);
    static QString summaryRow(const BenchResult &r);
    static QString idleLine(const BenchResult &r);
};

} // namespace Reservo::Bench
