// SPDX-License-Identifier: MIT
#include "clientjoin.h"

#include "workercontext.h"
#include "wsframeparser.h"

namespace Reservo::Bench {

std::string ClientJoin::begin(JoinBatch batch, std::string_view payload,
                              const JoinProgress::Request &request)
{
    m_batch = batch;
    m_progress.begin(request, m_ctx.nowNs);
    m_ctx.stats.joins[int(batch)].recordSent(m_ctx.nowNs);
    std::string text = "421[\"join-event-room\",";
    text.append(payload).append("]");
    return text;
}

void ClientJoin::countFrame(size_t payloadBytes)
{
    m_progress.countFrame(WsFrameParser::serverFrameSize(payloadBytes));
}

void ClientJoin::onAck(bool refused)
{
    if (m_progress.onAck(refused, m_ctx.nowNs))
        finish();
}

void ClientJoin::onMessage(const SioInbound &in, size_t payloadBytes)
{
    if (m_progress.onMessage(in, WsFrameParser::serverFrameSize(payloadBytes), m_ctx.nowNs))
        finish();
}

void ClientJoin::finish()
{
    m_ctx.stats.joins[int(m_batch)].record(m_progress);
    if (m_batch == JoinBatch::Probe && m_ctx.setup->probe) {
        ProbeOutcome &probe = *m_ctx.setup->probe;
        std::lock_guard lock(probe.mutex);
        probe.layout = m_progress.layout();
        probe.compact =
            m_progress.state() == JoinProgress::State::Complete && !m_progress.jsonForCompact();
    }
    WorkerCounters::bump(m_ctx.counters.joinsDone[int(m_batch)]);
}

} // namespace Reservo::Bench
