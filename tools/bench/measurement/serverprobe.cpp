// SPDX-License-Identifier: MIT
#include "serverprobe.h"

#include "monotonicclock.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace Reservo::Bench {

namespace {
std::string readSmallFile(const std::string &path)
{
    std::string text;
    if (FILE *f = std::fopen(path.c_str(), "re")) {
        char buffer[4096];
        size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0)
            text.append(buffer, n);
        std::fclose(f);
    }
    return text;
}

int64_t kilobytesAfter(const char *text, const char *key)
{
    const char *at = std::strstr(text, key);
    return at ? std::strtoll(at + std::strlen(key), nullptr, 10) : -1;
}
} // namespace

// Fields after the command name (which may hold spaces and parentheses): state is field 3,
// utime 14, stime 15, num_threads 20.
bool ServerProbe::parseStat(const char *text, long ticksPerSecond, Sample &out)
{
    const char *p = std::strrchr(text, ')');
    if (!p || ticksPerSecond <= 0)
        return false;
    int64_t fields[20] = {};
    ++p;
    for (int field = 3; field <= 20; ++field) {
        while (*p == ' ')
            ++p;
        if (!*p)
            return false;
        char *end = nullptr;
        fields[field - 1] = field == 3 ? 0 : std::strtoll(p, &end, 10);
        p = field == 3 ? p + 1 : end;
    }
    out.cpuUs = (fields[13] + fields[14]) * 1'000'000 / ticksPerSecond;
    out.threads = int(fields[19]);
    return true;
}

bool ServerProbe::parseStatus(const char *text, Sample &out)
{
    out.rssKb = kilobytesAfter(text, "VmRSS:");
    out.hwmKb = kilobytesAfter(text, "VmHWM:");
    return out.rssKb >= 0;
}

ServerProbe::Sample ServerProbe::sample() const
{
    Sample s;
    s.atNs = monotonicNs();
    if (m_pid <= 0)
        return s;
    const std::string base = "/proc/" + std::to_string(m_pid);
    const std::string stat = readSmallFile(base + "/stat");
    const std::string status = readSmallFile(base + "/status");
    s.ok = parseStat(stat.c_str(), sysconf(_SC_CLK_TCK), s) && parseStatus(status.c_str(), s);
    return s;
}

SelfUsage SelfUsage::now()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto us = [](const timeval &tv) { return int64_t(tv.tv_sec) * 1'000'000 + tv.tv_usec; };
    return {us(usage.ru_utime) + us(usage.ru_stime), usage.ru_maxrss};
}

} // namespace Reservo::Bench
