// SPDX-License-Identifier: MIT
#include "ratepacer.h"

#include <cmath>

namespace Reservo {

namespace {
constexpr double NsPerSecond = 1e9;
}

RatePacer::RatePacer(double perSecond, qint64 limit) : m_perSecond(perSecond), m_limit(limit) {}

void RatePacer::restart(qint64 nowNs)
{
    m_startNs = nowNs;
    m_sentAtStart = m_sent;
}

qint64 RatePacer::take(qint64 nowNs)
{
    if (isIdle() || nowNs <= m_startNs)
        return 0;
    const double elapsed = double(nowNs - m_startNs) / NsPerSecond;
    const qint64 maxBurst = qMax<qint64>(1, qint64(std::ceil(m_perSecond)));
    // The epsilon keeps 100/s x 0.01 s at 1 when the product rounds to 0.99999...
    qint64 due = qint64(std::floor(m_perSecond * elapsed + 1e-9)) - (m_sent - m_sentAtStart);
    if (due > maxBurst) {
        due = maxBurst;
        restart(nowNs); // forget the backlog; the schedule goes on from here
        m_sentAtStart += maxBurst;
    }
    if (m_limit >= 0)
        due = qMin(due, m_limit - m_sent);
    due = qMax<qint64>(due, 0);
    m_sent += due;
    return due;
}

} // namespace Reservo
