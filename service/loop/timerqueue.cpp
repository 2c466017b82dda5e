// SPDX-License-Identifier: MIT
#include "timerqueue.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <climits>
#include <ctime>

Q_DECLARE_LOGGING_CATEGORY(lcLoop)

namespace Reservo {

namespace {
constexpr qint64 NsPerMs = 1000 * 1000;
constexpr qint64 NsPerSecond = 1000 * NsPerMs;

qint64 monotonicNs()
{
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * NsPerSecond + now.tv_nsec;
}

int roundUpToMs(qint64 ns)
{
    return ns <= 0 ? 0 : int(qMin<qint64>((ns + NsPerMs - 1) / NsPerMs, INT_MAX));
}

// Qt's rules: a coarse timer up to 20 ms is precise, one of 20 s or more counts whole seconds.
Qt::TimerType effectiveType(Qt::TimerType type, qint64 intervalMs)
{
    if (type != Qt::CoarseTimer)
        return type;
    if (intervalMs <= 20)
        return Qt::PreciseTimer;
    return intervalMs >= 20000 ? Qt::VeryCoarseTimer : Qt::CoarseTimer;
}

// A coarse timer may be 5% early or late; rounding its deadline to a round number of
// milliseconds lets timers of similar intervals share one wake-up.
qint64 roundCoarse(qint64 deadline, qint64 intervalMs)
{
    const qint64 slack = intervalMs * NsPerMs / 20;
    for (const qint64 stepMs : {1000, 500, 250, 100, 50, 25, 10, 5, 2}) {
        const qint64 step = stepMs * NsPerMs;
        if (step / 2 <= slack)
            return (deadline + step / 2) / step * step;
    }
    return deadline;
}

qint64 wholeSeconds(qint64 intervalMs)
{
    return (intervalMs + 500) / 1000;
}

qint64 firstDeadline(qint64 intervalMs, Qt::TimerType type, qint64 now)
{
    switch (effectiveType(type, intervalMs)) {
    case Qt::PreciseTimer:
        return now + intervalMs * NsPerMs;
    case Qt::CoarseTimer:
        return roundCoarse(now + intervalMs * NsPerMs, intervalMs);
    case Qt::VeryCoarseTimer:
        break;
    }
    // On a second boundary, now rounded to the nearest second like the interval itself.
    return (now + NsPerSecond / 2) / NsPerSecond * NsPerSecond +
           wholeSeconds(intervalMs) * NsPerSecond;
}

// Keeps the timer's phase unless it fell behind; then it counts from now, skipping what it missed.
qint64 nextDeadline(qint64 deadline, qint64 intervalMs, Qt::TimerType type, qint64 now)
{
    const Qt::TimerType effective = effectiveType(type, intervalMs);
    if (effective == Qt::VeryCoarseTimer) {
        deadline += wholeSeconds(intervalMs) * NsPerSecond;
        if (deadline <= now)
            deadline = now / NsPerSecond * NsPerSecond + wholeSeconds(intervalMs) * NsPerSecond;
        return deadline;
    }
    deadline += intervalMs * NsPerMs;
    if (deadline < now)
        deadline = now + intervalMs * NsPerMs;
    return effective == Qt::CoarseTimer ? qMax(roundCoarse(deadline, intervalMs), now) : deadline;
}
} // namespace

void TimerQueue::registerTimer(int timerId, qint64 intervalMs, Qt::TimerType type, QObject *object)
{
    if (timerId <= 0 || intervalMs < 0 || !object) {
        qCWarning(lcLoop, "invalid timer %d (interval %lld ms)", timerId, qlonglong(intervalMs));
        return;
    }
    if (m_timers.count(timerId)) {
        qCWarning(lcLoop, "timer %d registered twice; replacing it", timerId);
        unregisterTimer(timerId);
    }
    const qint64 deadline = firstDeadline(intervalMs, type, monotonicNs());
    const quint64 order = m_nextOrder++;
    m_timers.emplace(timerId, Timer{object, intervalMs, type, deadline, order});
    m_queue.insert({deadline, order, timerId});
    m_byObject.insert(object, timerId);
}

bool TimerQueue::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_queue.erase({it->second.deadline, it->second.order, timerId});
    m_byObject.remove(it->second.object, timerId);
    m_timers.erase(it);
    return true;
}

bool TimerQueue::unregisterTimers(QObject *object)
{
    const QList<int> ids = m_byObject.values(object);
    for (const int id : ids) {
        const auto it = m_timers.find(id);
        m_queue.erase({it->second.deadline, it->second.order, id});
        m_timers.erase(it);
    }
    m_byObject.remove(object);
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo> TimerQueue::registeredTimers(QObject *object) const
{
    QList<QAbstractEventDispatcher::TimerInfo> timers;
    for (const int id : m_byObject.values(object)) {
        const Timer &timer = m_timers.at(id);
        timers.append({id, int(timer.interval), timer.type});
    }
    return timers;
}

int TimerQueue::remainingTime(int timerId) const
{
    const auto it = m_timers.find(timerId);
    return it == m_timers.end() ? -1 : roundUpToMs(it->second.deadline - monotonicNs());
}

int TimerQueue::timeToNextMs() const
{
    // A timer busy in its own event (its handler runs a nested loop) does not shorten the wait.
    for (const Key &key : m_queue)
        if (!m_timers.at(key.id).firing)
            return roundUpToMs(key.deadline - monotonicNs());
    return -1;
}

void TimerQueue::rearm(int timerId, Timer &timer, qint64 deadline)
{
    // Moves the queue's node instead of allocating a new one: timers re-arm on every expiry.
    auto node = m_queue.extract({timer.deadline, timer.order, timerId});
    timer.deadline = deadline;
    timer.order = m_nextOrder++;
    node.value() = {deadline, timer.order, timerId};
    m_queue.insert(std::move(node));
}

int TimerQueue::activate()
{
    const qint64 now = monotonicNs();
    // Listed first, then each fired at most once: a timer re-armed by its own event (a zero
    // timer) waits for the next pass, so it cannot starve sockets and posted events.
    QVarLengthArray<std::pair<int, quint64>, 64> due;
    for (auto it = m_queue.cbegin(); it != m_queue.cend() && it->deadline <= now; ++it)
        due.append({it->id, it->order});
    int activated = 0;
    for (const auto &[id, order] : due) {
        auto it = m_timers.find(id);
        // Stopped, restarted (perhaps under a reused id) or fired by a nested loop since it was
        // listed, or busy in its own event.
        if (it == m_timers.end() || it->second.order != order || it->second.firing)
            continue;
        Timer &timer = it->second;
        rearm(id, timer, nextDeadline(timer.deadline, timer.interval, timer.type, now));
        activated += timer.interval > 0 ? 1 : 0;
        timer.firing = true;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(timer.object, &event); // may unregister and re-register it
        it = m_timers.find(id);
        if (it != m_timers.end())
            it->second.firing = false;
    }
    return activated;
}

} // namespace Reservo
