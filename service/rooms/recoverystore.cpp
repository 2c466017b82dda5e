// SPDX-License-Identifier: MIT
#include "recoverystore.h"

#include "roommanager.h"

namespace Reservo {

RecoveryStore::RecoveryStore(RoomManager *rooms, const Limits &limits, QObject *parent)
    : QObject(parent), m_rooms(rooms), m_maxDisconnectionMs(limits.maxDisconnectionMs),
      m_maxSessions(limits.maxSessions)
{
    m_expiryTimer.setInterval(std::clamp(m_maxDisconnectionMs / 4, 10, 5000));
    connect(&m_expiryTimer, &QTimer::timeout, this, &RecoveryStore::expire);
}

void RecoveryStore::store(const QString &pid, const Session &session)
{
    if (!isEnabled() || pid.isEmpty())
        return;
    if (m_sessions.contains(pid))
        drop(pid);
    while (m_sessions.size() >= m_maxSessions && !m_order.isEmpty())
        drop(m_order.first());
    for (auto it = session.rooms.cbegin(); it != session.rooms.cend(); ++it)
        m_rooms->hold(it.key());
    Stored stored{session, {}};
    stored.age.start();
    m_sessions.insert(pid, stored);
    m_order.append(pid);
    if (!m_expiryTimer.isActive())
        m_expiryTimer.start();
}

std::optional<RecoveryStore::Session> RecoveryStore::take(const QString &pid)
{
    const auto it = m_sessions.constFind(pid);
    if (it == m_sessions.cend() || it->age.elapsed() > m_maxDisconnectionMs)
        return std::nullopt;
    const Session session = it->session;
    drop(pid); // releases the holds; the caller rejoins the rooms at once
    return session;
}

void RecoveryStore::drop(const QString &pid)
{
    const auto it = m_sessions.constFind(pid);
    if (it == m_sessions.cend())
        return;
    for (auto room = it->session.rooms.cbegin(); room != it->session.rooms.cend(); ++room)
        m_rooms->release(room.key());
    m_sessions.erase(it);
    m_order.removeOne(pid);
}

void RecoveryStore::expire()
{
    while (!m_order.isEmpty() &&
           m_sessions.value(m_order.first()).age.elapsed() > m_maxDisconnectionMs)
        drop(m_order.first());
    if (m_order.isEmpty())
        m_expiryTimer.stop();
}

} // namespace Reservo
