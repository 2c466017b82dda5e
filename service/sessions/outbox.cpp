// SPDX-License-Identifier: MIT
#include "outbox.h"

namespace Reservo {

void Outbox::push(const QByteArray &frame, const QString &key)
{
    if (!key.isEmpty()) {
        const auto it = m_positions.constFind(key);
        if (it != m_positions.cend()) {
            Entry &queued = m_queue[std::size_t(*it - m_popped)];
            m_bytes -= queued.frame.size();
            queued = {QByteArray(), QString(), true};
            --m_live;
            ++m_superseded;
        }
        m_positions.insert(key, m_popped + m_queue.size());
    } else {
        m_positions.clear(); // a barrier: nothing queued later may overtake it
    }
    m_queue.push_back({frame, key});
    m_bytes += frame.size();
    ++m_live;
}

QByteArray Outbox::pop()
{
    while (m_queue.front().dropped) {
        m_queue.pop_front();
        ++m_popped;
    }
    Entry entry = std::move(m_queue.front());
    m_queue.pop_front();
    ++m_popped;
    --m_live;
    if (!entry.key.isEmpty())
        m_positions.remove(entry.key);
    m_bytes -= entry.frame.size();
    return std::move(entry.frame);
}

} // namespace Reservo
