// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <cstdint>

namespace Reservo::Bench {

// RLIMIT_NOFILE: each client is one socket, so N clients need N descriptors and some spare.
class FdLimit
{
public:
    struct Outcome
    {
        bool ok = false;
        uint64_t soft = 0; // after the attempt
        uint64_t hard = 0;
        QString note; // what was changed, or why it is not enough
    };

    // Raises the soft limit to `needed` if the hard limit allows it.
    static Outcome ensure(uint64_t needed);
};

} // namespace Reservo::Bench
