// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractEventDispatcher>
#include <QMultiHash>

#include <set>
#include <unordered_map>

namespace Reservo {

// The timers of one EpollEventDispatcher, ordered by deadline: starting, stopping and re-arming
// one costs O(log n) with thousands running (one heartbeat per client).
class TimerQueue
{
public:
    void registerTimer(int timerId, qint64 intervalMs, Qt::TimerType type, QObject *object);
    bool unregisterTimer(int timerId);
    bool unregisterTimers(QObject *object);
    QList<QAbstractEventDispatcher::TimerInfo> registeredTimers(QObject *object) const;
    int remainingTime(int timerId) const;

    // Milliseconds until the next timer is due (rounded up), 0 if one is, -1 if there is none.
    int timeToNextMs() const;
    // Sends a QTimerEvent for each timer due now, each at most once; returns how many non-zero
    // timers fired (Qt's dispatchers do not count zero timers as activity).
    int activate();

private:
    struct Timer
    {
        QObject *object;
        qint64 interval; // ms, as registered
        Qt::TimerType type;
        qint64 deadline; // ns on the monotonic clock
        quint64 order;   // unique per arming: equal deadlines fire in arming order
        bool firing = false;
    };
    struct Key
    {
        qint64 deadline;
        quint64 order;
        int id;
        bool operator<(const Key &o) const
        {
            return deadline < o.deadline || (deadline == o.deadline && order < o.order);
        }
    };

    void rearm(int timerId, Timer &timer, qint64 deadline);

    std::unordered_map<int, Timer> m_timers;
    std::set<Key> m_queue;
    QMultiHash<QObject *, int> m_byObject;
    quint64 m_nextOrder = 0;
};

} // namespace Reservo
