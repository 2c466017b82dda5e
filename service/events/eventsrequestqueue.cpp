// SPDX-License-Identifier: MIT
#include "eventsrequestqueue.h"

#include <algorithm>
#include <cmath>

namespace Reservo {

EventsRequestQueue::EventsRequestQueue(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_tokens(1.0 + options.burst)
{
    m_options.maxInFlight = std::max(1, m_options.maxInFlight);
    m_options.ratePerSecond = std::max(1, m_options.ratePerSecond);
    m_options.burst = std::max(0, m_options.burst);
    m_refillClock.start();
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &EventsRequestQueue::handlePump);
}

bool EventsRequestQueue::enqueue(const QString &eventId)
{
    if (m_tickets.contains(eventId))
        return true;
    if (m_tickets.size() >= m_options.maxQueued) {
        ++m_refused;
        return false;
    }
    const Entry entry{eventId, ++m_nextTicket};
    m_tickets.insert(eventId, entry.ticket);
    // Placed on the next pass: a room is created before its first member is in it.
    m_arrivals.push_back(entry);
    ++m_entries;
    schedulePump(0);
    return true;
}

void EventsRequestQueue::remove(const QString &eventId)
{
    if (m_tickets.remove(eventId) && m_entries > 2 * m_tickets.size() + 1024)
        compact();
}

void EventsRequestQueue::finish()
{
    m_inFlight = std::max(0, m_inFlight - 1);
    schedulePump(0);
}

void EventsRequestQueue::schedulePump(int delayMs)
{
    if (!m_pumpTimer.isActive() || m_pumpTimer.remainingTime() > delayMs)
        m_pumpTimer.start(delayMs);
}

// Whether `needed` tokens are there; if not, the pass that will have them is scheduled.
bool EventsRequestQueue::refill(double needed)
{
    const double capacity = 1.0 + m_options.burst;
    const double perMs = m_options.ratePerSecond / 1000.0;
    m_tokens = std::min(capacity, m_tokens + perMs * double(m_refillClock.restart()));
    if (m_tokens >= needed)
        return true;
    schedulePump(std::max(1, int(std::ceil((needed - m_tokens) / perMs))));
    return false;
}

void EventsRequestQueue::handlePump()
{
    while (!m_arrivals.empty()) {
        const Entry entry = m_arrivals.front();
        m_arrivals.pop_front();
        --m_entries;
        if (isLive(entry))
            place(entry, standingOf(entry.eventId));
    }
    while (m_inFlight < m_options.maxInFlight && !m_tickets.isEmpty()) {
        if (!refill(1.0))
            return;
        Entry entry;
        if (takeMember(entry)) {
            const Standing standing = standingOf(entry.eventId);
            if (standing.need == Need::Members)
                start(entry);
            else
                place(entry, standing); // its members left while it waited
            continue;
        }
        // The burst is for rooms with members: the others wait until the bucket is full.
        if (m_idle.empty() || !refill(1.0 + m_options.burst))
            return;
        if (!takeIdle(entry))
            return;
        const Standing standing = standingOf(entry.eventId);
        if (standing.need == Need::Idle)
            start(entry);
        else
            place(entry, standing); // members came, or nobody needs it any more
    }
}

EventsRequestQueue::Standing EventsRequestQueue::standingOf(const QString &eventId) const
{
    return m_standingOf ? m_standingOf(eventId) : Standing{};
}

void EventsRequestQueue::place(const Entry &entry, const Standing &standing)
{
    switch (standing.need) {
    case Need::Members: {
        std::deque<Entry> &lane = m_byOwner[standing.owner];
        if (lane.empty())
            m_owners.push_back(standing.owner);
        lane.push_back(entry);
        ++m_entries;
        return;
    }
    case Need::Idle:
        m_idle.push_back(entry);
        ++m_entries;
        return;
    case Need::None:
        abandon(entry);
        return;
    }
}

// The next live request of the next owner in turn.
bool EventsRequestQueue::takeMember(Entry &entry)
{
    while (!m_owners.empty()) {
        const quintptr owner = m_owners.front();
        m_owners.pop_front();
        const auto lane = m_byOwner.find(owner);
        if (lane == m_byOwner.end())
            continue;
        bool found = false;
        while (!found && !lane->empty()) {
            entry = lane->front();
            lane->pop_front();
            --m_entries;
            found = isLive(entry);
        }
        if (lane->empty())
            m_byOwner.erase(lane);
        else
            m_owners.push_back(owner);
        if (found)
            return true;
    }
    return false;
}

bool EventsRequestQueue::takeIdle(Entry &entry)
{
    while (!m_idle.empty()) {
        entry = m_idle.front();
        m_idle.pop_front();
        --m_entries;
        if (isLive(entry))
            return true;
    }
    return false;
}

bool EventsRequestQueue::isLive(const Entry &entry) const
{
    return m_tickets.value(entry.eventId) == entry.ticket;
}

void EventsRequestQueue::start(const Entry &entry)
{
    m_tickets.remove(entry.eventId);
    ++m_inFlight;
    m_tokens -= 1.0;
    emit ready(entry.eventId);
}

void EventsRequestQueue::abandon(const Entry &entry)
{
    m_tickets.remove(entry.eventId);
    ++m_abandoned;
    emit requestAbandoned(entry.eventId);
}

// Removed requests leave their lane entries behind until their turn; drop them all at once
// when they outnumber the live ones.
void EventsRequestQueue::compact()
{
    const auto live = [this](std::deque<Entry> &lane) {
        std::erase_if(lane, [this](const Entry &e) { return !isLive(e); });
        return qsizetype(lane.size());
    };
    m_entries = live(m_arrivals) + live(m_idle);
    for (auto it = m_byOwner.begin(); it != m_byOwner.end();) {
        const qsizetype left = live(*it);
        m_entries += left;
        it = left ? std::next(it) : m_byOwner.erase(it);
    }
    std::erase_if(m_owners, [this](quintptr owner) { return !m_byOwner.contains(owner); });
}

} // namespace Reservo
