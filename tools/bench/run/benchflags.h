// SPDX-License-Identifier: MIT
#pragma once

#include "benchoptions.h"

namespace Reservo::Bench {

// reservo-bench's flags: the rows of its option table, each with its help, its default and how
// its text sets BenchOptions, in the order --help lists them.
class BenchFlags
{
public:
    static constexpr double MaxSeconds = 600; // the longest any phase of a run may be told to last

    static QList<Option<BenchOptions>> rows();
};

} // namespace Reservo::Bench
