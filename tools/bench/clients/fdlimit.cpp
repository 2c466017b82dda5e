// SPDX-License-Identifier: MIT
#include "fdlimit.h"

#include <cerrno>
#include <cstring>
#include <sys/resource.h>

namespace Reservo::Bench {

FdLimit::Outcome FdLimit::ensure(uint64_t needed)
{
    Outcome out;
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        out.note = QStringLiteral("getrlimit: %1").arg(QString::fromUtf8(std::strerror(errno)));
        return out;
    }
    out.hard = limit.rlim_max;
    const uint64_t before = limit.rlim_cur;
    if (before < needed && limit.rlim_max >= needed) {
        limit.rlim_cur = needed;
        if (setrlimit(RLIMIT_NOFILE, &limit) == 0)
            out.note = QStringLiteral("RLIMIT_NOFILE raised from %1 to %2").arg(before).arg(needed);
    }
    getrlimit(RLIMIT_NOFILE, &limit);
    out.soft = limit.rlim_cur;
    out.ok = out.soft >= needed;
    if (!out.ok)
        out.note = QStringLiteral("RLIMIT_NOFILE is %1 (hard %2) but %3 descriptors are needed; "
                                  "raise the hard limit (ulimit -Hn) or use fewer clients")
                       .arg(out.soft)
                       .arg(out.hard)
                       .arg(needed);
    return out;
}

} // namespace Reservo::Bench
