// SPDX-License-Identifier: MIT
#pragma once

#include "timerqueue.h"

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QLoggingCategory>

#include <vector>

struct epoll_event;

Q_DECLARE_LOGGING_CATEGORY(lcLoop)

namespace Reservo {

// A thread's event loop on Linux epoll: enabling, disabling and activating a socket notifier cost
// O(1), where Qt's own dispatchers poll() every notifier of the thread on every wake-up.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the epoll or eventfd descriptor could not be created; errorString() says why.
    bool isValid() const { return m_epollFd >= 0 && m_wakeFd >= 0; }
    QString errorString() const { return m_errorString; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    // The notifiers of one descriptor share one epoll registration.
    struct Descriptor
    {
        QSocketNotifier *notifiers[3] = {}; // by QSocketNotifier::Type
        quint32 generation = 0;   // bumped when the registration goes: its queued events are stale
        quint32 kernelEvents = 0; // what epoll watches now
        quint64 lastWait = 0;     // the newest wait whose events were dispatched to it
        bool dirty = false;       // in m_dirty: kernelEvents to be brought up to date
        bool unpollable = false;  // epoll refused it (a regular file): always ready, as for poll()

        quint32 wantedEvents() const;
    };

    int waitForSockets(int timeoutMs);
    int waitForWakeUpOnly(int timeoutMs);
    int dispatch(const epoll_event &event, quint64 wait);
    int activateUnpollable(quint64 wait);
    void applyDescriptorChanges();
    void watch(int fd, Descriptor &descriptor, quint32 events);
    void unwatch(int fd, Descriptor &descriptor);
    void drainWakeUp();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QString m_errorString;
    QAtomicInt m_wakeUpPending;
    QAtomicInt m_interrupted;
    std::vector<Descriptor> m_descriptors; // by descriptor number
    std::vector<int> m_dirty;
    std::vector<int> m_unpollable;
    quint64 m_waits = 0;
    TimerQueue m_timers;
};

} // namespace Reservo
