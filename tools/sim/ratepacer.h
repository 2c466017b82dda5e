// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace Reservo {

// Spreads N changes per second over periodic ticks: each tick asks how many are due by now.
// Holds no timer, so one timer can drive any rate and tests can feed it a clock.
class RatePacer
{
public:
    // limit < 0: no limit on the total.
    RatePacer(double perSecond, qint64 limit);

    // Counts from nowNs with nothing due yet (on start, and after a pause).
    void restart(qint64 nowNs);
    // How many changes are due at nowNs, and counts them as sent. Never more than one second's
    // worth at once: a stalled loop drops its backlog instead of bursting.
    qint64 take(qint64 nowNs);

    double rate() const { return m_perSecond; }
    qint64 sent() const { return m_sent; }
    bool isFinished() const { return m_limit >= 0 && m_sent >= m_limit; }
    bool isIdle() const { return m_perSecond <= 0 || isFinished(); }

private:
    double m_perSecond;
    qint64 m_limit;
    qint64 m_sent = 0;
    qint64 m_startNs = 0;
    qint64 m_sentAtStart = 0;
};

} // namespace Reservo
