// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QString>

namespace Reservo {

// One kind of log line that a client can make repeat at will: lets one through per interval and
// counts the rest, so a flood costs one line per interval that says how many it stands for.
class RateLimitedLog
{
public:
    static constexpr qint64 DefaultIntervalMs = 10000;

    explicit RateLimitedLog(qint64 intervalMs = DefaultIntervalMs) : m_intervalMs(intervalMs) {}

    // Whether to log this occurrence now; if so, the suffix for the line: empty, or how many
    // occurrences were held back since the last line.
    bool take(QString *suffix);

private:
    qint64 m_intervalMs;
    quint64 m_suppressed = 0;
    QElapsedTimer m_lastLogged;
};

} // namespace Reservo
