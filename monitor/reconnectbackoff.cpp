// SPDX-License-Identifier: MIT
#include "reconnectbackoff.h"

#include <QRandomGenerator>
#include <algorithm>

namespace Reservo {

int ReconnectBackoff::nextDelayMs()
{
    const double factor = 1.0 + Jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1);
    const int delay = int(m_baseMs * factor);
    m_baseMs = std::min(m_baseMs * 2, MaxMs);
    return delay;
}

void ReconnectBackoff::connectionEnded(qint64 liveMs)
{
    if (liveMs >= StableAfterMs)
        reset();
}

} // namespace Reservo
