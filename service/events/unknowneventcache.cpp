// SPDX-License-Identifier: MIT
#include "unknowneventcache.h"

namespace Reservo {

void UnknownEventCache::insert(const QString &eventId, qint64 nowMs)
{
    if (m_options.capacity <= 0)
        return;
    expire(nowMs);
    const qint64 expiresMs = nowMs + m_options.ttlMs;
    m_expiry.insert(eventId, expiresMs);
    m_order.push_back({eventId, expiresMs});
    while (m_expiry.size() > m_options.capacity)
        dropOldest();
    if (qsizetype(m_order.size()) > 2 * m_expiry.size() + 64) // renewals left stale entries behind
        compact();
}

bool UnknownEventCache::contains(const QString &eventId, qint64 nowMs) const
{
    const auto it = m_expiry.constFind(eventId);
    return it != m_expiry.cend() && *it > nowMs;
}

void UnknownEventCache::expire(qint64 nowMs)
{
    while (!m_order.empty() && m_order.front().expiresMs <= nowMs)
        dropOldest();
}

void UnknownEventCache::dropOldest()
{
    const Entry oldest = m_order.front();
    m_order.pop_front();
    const auto it = m_expiry.find(oldest.eventId);
    if (it != m_expiry.end() && *it == oldest.expiresMs)
        m_expiry.erase(it);
}

void UnknownEventCache::compact()
{
    std::deque<Entry> live;
    for (const Entry &entry : m_order) {
        if (m_expiry.value(entry.eventId) == entry.expiresMs)
            live.push_back(entry);
    }
    m_order = std::move(live);
}

} // namespace Reservo
