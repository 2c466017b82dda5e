// SPDX-License-Identifier: MIT
#pragma once

#include "joinprogress.h"
#include "workerstats.h"

#include <string>
#include <string_view>

namespace Reservo::Bench {

struct WorkerContext;

// One bench client's join of its room: the join-event-room it sends (a member's as soon as it is
// connected, a newcomer's on its worker's command), where the join stands until the room's
// complete map is in hand (JoinProgress), and its record in the worker's statistics once it is.
class ClientJoin
{
public:
    explicit ClientJoin(WorkerContext &context) : m_ctx(context) {}

    // The text to send (`421["join-event-room",<payload>]`); the wait starts now.
    std::string begin(JoinBatch batch, std::string_view payload,
                      const JoinProgress::Request &request);
    // Every data frame received, before it is handled.
    void countFrame(size_t payloadBytes);
    void onAck(bool refused);
    void onMessage(const SioInbound &in, size_t payloadBytes);
    bool isWaiting() const { return m_progress.isWaiting(); }

private:
    void finish();

    WorkerContext &m_ctx;
    JoinBatch m_batch = JoinBatch::Members;
    JoinProgress m_progress;
};

} // namespace Reservo::Bench
