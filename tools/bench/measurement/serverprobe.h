// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <sys/types.h>

namespace Reservo::Bench {

// Reads the CPU time and memory of the server under test from /proc/<pid>, before and after a
// measured window. CPU time (utime + stime of every thread) has the kernel's tick resolution.
class ServerProbe
{
public:
    struct Sample
    {
        bool ok = false;
        int64_t atNs = 0;
        int64_t cpuUs = 0;
        int64_t rssKb = 0;
        int64_t hwmKb = 0; // peak RSS
        int threads = 0;
    };

    explicit ServerProbe(pid_t pid) : m_pid(pid) {}
    bool isEnabled() const { return m_pid > 0; }
    Sample sample() const;

    // Parsers, public for tests: the text of /proc/<pid>/stat and /proc/<pid>/status.
    static bool parseStat(const char *text, long ticksPerSecond, Sample &out);
    static bool parseStatus(const char *text, Sample &out);

private:
    pid_t m_pid;
};

// The bench's own CPU time (all its threads) and peak RSS, from getrusage.
struct SelfUsage
{
    int64_t cpuUs = 0;
    int64_t maxRssKb = 0;
    static SelfUsage now();
};

} // namespace Reservo::Bench
