// SPDX-License-Identifier: MIT
#include "ratelimitedlog.h"

namespace Reservo {

bool RateLimitedLog::take(QString *suffix)
{
    if (m_lastLogged.isValid() && m_lastLogged.elapsed() < m_intervalMs) {
        ++m_suppressed;
        return false;
    }
    *suffix = m_suppressed ? QStringLiteral(" (%1 more suppressed)").arg(m_suppressed) : QString();
    m_suppressed = 0;
    m_lastLogged.start();
    return true;
}

} // namespace Reservo
