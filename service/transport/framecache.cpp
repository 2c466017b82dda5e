// SPDX-License-Identifier: MIT
#include "framecache.h"

#include <algorithm>

namespace Reservo {

QByteArray FrameCache::framed(WebSocketFrame::Opcode opcode, const QByteArray &message)
{
    if (message.size() < MinMessageSize)
        return WebSocketFrame::encodeServerFrame(opcode, message);
    const auto same = [&](const Entry &e) {
        return e.opcode == opcode && e.message.constData() == message.constData() &&
               e.message.size() == message.size();
    };
    if (auto it = std::find_if(m_entries.begin(), m_entries.end(), same); it != m_entries.end()) {
        ++m_hits;
        Entry entry = std::move(*it);
        m_entries.erase(it);
        m_entries.push_back(std::move(entry));
        return m_entries.back().framed;
    }
    QByteArray framed = WebSocketFrame::encodeServerFrame(opcode, message);
    if (framed.size() > m_limits.bytes || m_limits.entries <= 0)
        return framed;
    dropUnshared();
    makeRoom(framed.size());
    m_bytes += framed.size();
    m_entries.push_back({message, opcode, framed});
    return framed;
}

void FrameCache::dropUnshared()
{
    // Detached: this entry holds the only reference, so no sender has the message any more.
    std::erase_if(m_entries, [this](const Entry &e) {
        if (!e.message.isDetached())
            return false;
        m_bytes -= e.framed.size();
        return true;
    });
}

void FrameCache::makeRoom(qsizetype incoming)
{
    while (!m_entries.empty() &&
           (int(m_entries.size()) >= m_limits.entries || m_bytes + incoming > m_limits.bytes)) {
        m_bytes -= m_entries.front().framed.size();
        m_entries.pop_front();
    }
}

} // namespace Reservo
