// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

namespace Reservo {

// How long to wait before the next connection attempt: doubling from InitialMs up to MaxMs, each
// wait jittered by +-25% so a room full of monitors does not reconnect in step after a restart.
// Only a connection that stayed up StableAfterMs starts the sequence over: a server that accepts
// and drops at once is not hammered.
class ReconnectBackoff
{
public:
    static constexpr int InitialMs = 500;
    static constexpr int MaxMs = 15000;
    static constexpr int StableAfterMs = 10000;
    static constexpr double Jitter = 0.25;

    // The wait before the next attempt; the one after will be twice as long (up to MaxMs).
    int nextDelayMs();
    void reset() { m_baseMs = InitialMs; }
    // A connection that was live for liveMs ended.
    void connectionEnded(qint64 liveMs);

private:
    int m_baseMs = InitialMs;
};

} // namespace Reservo
