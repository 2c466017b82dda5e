// SPDX-License-Identifier: MIT
#pragma once

#include "benchresult.h"

#include <QList>
#include <QString>

namespace Reservo::Bench {

// Formats join-storm results for people: one run in detail, or many (base, new and floor side
// by side) as one Markdown table.
class StormReport
{
public:
    static QString details(const BenchResult &result);
    static QString table(const QList<BenchResult> &results);

private:
    static QString headLines(const BenchResult &r);
    static QString joinLines(const BenchResult &r);
    static QString serverLines(const BenchResult &r);
    static QString row(const BenchResult &r);
};

} // namespace Reservo::Bench
