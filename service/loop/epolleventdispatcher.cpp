// SPDX-License-Identifier: MIT
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

Q_LOGGING_CATEGORY(lcLoop, "reservo.loop", QtInfoMsg)

namespace Reservo {

namespace {
constexpr int MaxEventsPerWait = 256;
constexpr quint64 WakeUpTag = ~quint64(0); // never a (generation << 32 | descriptor) value
constexpr quint32 WatchedEvents[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};
// poll()'s semantics, as in Qt's dispatcher: a hang-up or an error activates every notifier.
constexpr quint32 ActivatingEvents[3] = {
    EPOLLIN | EPOLLHUP | EPOLLERR, EPOLLOUT | EPOLLHUP | EPOLLERR, EPOLLPRI | EPOLLHUP | EPOLLERR};
} // namespace

quint32 EpollEventDispatcher::Descriptor::wantedEvents() const
{
    quint32 events = 0;
    for (int type = 0; type < 3; ++type)
        if (notifiers[type])
            events |= WatchedEvents[type];
    return events;
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent), m_epollFd(epoll_create1(EPOLL_CLOEXEC)),
      m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.u64 = WakeUpTag;
    if (m_epollFd < 0 || m_wakeFd < 0 || epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &wake) < 0) {
        m_errorString = qt_error_string(errno);
        if (m_epollFd >= 0)
            ::close(std::exchange(m_epollFd, -1));
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_epollFd >= 0)
        ::close(m_epollFd);
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    if (!isValid())
        return false;
    m_interrupted.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.loadRelaxed())
        return false;

    // Events posted meanwhile have written to the eventfd, so the wait below returns at once.
    const int timeoutMs = !canWait ? 0 : includeTimers ? m_timers.timeToNextMs() : -1;
    int activated = 0;
    if (flags & QEventLoop::ExcludeSocketNotifiers)
        activated += waitForWakeUpOnly(timeoutMs);
    else
        activated += waitForSockets(m_unpollable.empty() ? timeoutMs : 0);
    if (includeTimers)
        activated += m_timers.activate();
    return activated > 0;
}

void EpollEventDispatcher::wakeUp()
{
    // Coalesced: one write until the loop has read it, however many threads post meanwhile.
    if (m_wakeUpPending.testAndSetOrdered(0, 1))
        eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUp()
{
    eventfd_t value;
    eventfd_read(m_wakeFd, &value);
    // After the read: a wakeUp() from now on writes again, and its event is seen by the next
    // sendPostedEvents() since it was posted before wakeUp() saw 0.
    m_wakeUpPending.fetchAndStoreOrdered(0);
}

int EpollEventDispatcher::waitForWakeUpOnly(int timeoutMs)
{
    pollfd wake{m_wakeFd, POLLIN, 0};
    if (::poll(&wake, 1, timeoutMs) <= 0 || !(wake.revents & POLLIN))
        return 0;
    drainWakeUp();
    return 1;
}

// ---- socket notifiers ----

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const qintptr fd = notifier->socket();
    const int type = notifier->type();
    if (fd < 0 || fd > INT_MAX) {
        qCWarning(lcLoop, "socket notifier with invalid descriptor %lld", qlonglong(fd));
        return;
    }
    if (size_t(fd) >= m_descriptors.size())
        m_descriptors.resize(size_t(fd) + 1);
    Descriptor &descriptor = m_descriptors[fd];
    if (descriptor.notifiers[type] && descriptor.notifiers[type] != notifier)
        qCWarning(lcLoop, "several socket notifiers of type %d on descriptor %d", type, int(fd));
    descriptor.notifiers[type] = notifier;
    // Applied just before the next wait: Qt enables and disables a socket's write notifier around
    // every buffered write, and a change undone within the same pass then costs no system call.
    if (!std::exchange(descriptor.dirty, true))
        m_dirty.push_back(int(fd));
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const qintptr fd = notifier->socket();
    const int type = notifier->type();
    if (fd < 0 || size_t(fd) >= m_descriptors.size() ||
        m_descriptors[fd].notifiers[type] != notifier)
        return;
    Descriptor &descriptor = m_descriptors[fd];
    descriptor.notifiers[type] = nullptr;
    if (descriptor.wantedEvents() != 0) {
        if (!std::exchange(descriptor.dirty, true))
            m_dirty.push_back(int(fd));
        return;
    }
    // The last notifier goes now, not before the next wait: the descriptor may be closed and its
    // number reused meanwhile, and the new socket must get a fresh registration.
    unwatch(int(fd), descriptor);
}

void EpollEventDispatcher::applyDescriptorChanges()
{
    for (const int fd : m_dirty) {
        Descriptor &descriptor = m_descriptors[fd];
        descriptor.dirty = false;
        const quint32 events = descriptor.wantedEvents();
        if (events != 0 && events != descriptor.kernelEvents && !descriptor.unpollable)
            watch(fd, descriptor, events);
    }
    m_dirty.clear();
}

void EpollEventDispatcher::watch(int fd, Descriptor &descriptor, quint32 events)
{
    epoll_event event{};
    event.events = events;
    event.data.u64 = quint64(descriptor.generation) << 32 | quint32(fd);
    int op = descriptor.kernelEvents ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    int rc = epoll_ctl(m_epollFd, op, fd, &event);
    if (rc < 0 && op == EPOLL_CTL_MOD && errno == ENOENT) // closed and reopened while watched
        rc = epoll_ctl(m_epollFd, op = EPOLL_CTL_ADD, fd, &event);
    if (rc == 0) {
        descriptor.kernelEvents = events;
    } else if (op == EPOLL_CTL_ADD && errno == EPERM) {
        descriptor.unpollable = true;
        m_unpollable.push_back(fd);
    } else {
        qCWarning(lcLoop, "cannot watch descriptor %d: %s", fd, qPrintable(qt_error_string(errno)));
    }
}

void EpollEventDispatcher::unwatch(int fd, Descriptor &descriptor)
{
    // ENOENT and EBADF: the descriptor was closed first, which removed it from epoll already.
    if (descriptor.kernelEvents && epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr) < 0 &&
        errno != ENOENT && errno != EBADF)
        qCWarning(lcLoop, "cannot unwatch descriptor %d: %s", fd,
                  qPrintable(qt_error_string(errno)));
    descriptor.kernelEvents = 0;
    ++descriptor.generation;
    if (std::exchange(descriptor.unpollable, false))
        m_unpollable.erase(std::find(m_unpollable.begin(), m_unpollable.end(), fd));
}

int EpollEventDispatcher::waitForSockets(int timeoutMs)
{
    applyDescriptorChanges();
    epoll_event events[MaxEventsPerWait];
    const int count = epoll_wait(m_epollFd, events, MaxEventsPerWait, timeoutMs);
    if (count < 0 && errno != EINTR)
        qCWarning(lcLoop, "epoll_wait: %s", qPrintable(qt_error_string(errno)));
    // Numbered so that a nested loop that dispatched a descriptor again marks these events stale.
    const quint64 wait = ++m_waits;
    int activated = 0;
    for (int i = 0; i < count; ++i)
        activated += dispatch(events[i], wait);
    return activated + activateUnpollable(wait);
}

int EpollEventDispatcher::dispatch(const epoll_event &event, quint64 wait)
{
    if (event.data.u64 == WakeUpTag) {
        drainWakeUp();
        return 1;
    }
    const int fd = int(event.data.u64 & 0xffffffffu);
    const quint32 generation = quint32(event.data.u64 >> 32);
    int activated = 0;
    for (int type = 0; type < 3; ++type) {
        // Looked up again before each notifier: the previous activation may have deleted
        // notifiers, closed the descriptor or registered another socket on the same number.
        if (size_t(fd) >= m_descriptors.size())
            break;
        Descriptor &descriptor = m_descriptors[fd];
        if (descriptor.generation != generation || descriptor.lastWait > wait)
            break;
        descriptor.lastWait = wait;
        QSocketNotifier *notifier = descriptor.notifiers[type];
        if (!notifier || !(event.events & ActivatingEvents[type]))
            continue;
        QEvent activation(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &activation);
        ++activated;
    }
    return activated;
}

int EpollEventDispatcher::activateUnpollable(quint64 wait)
{
    int activated = 0;
    const std::vector<int> fds = m_unpollable; // activations may change the list
    for (const int fd : fds) {
        if (!m_descriptors[fd].unpollable) // unwatched by an earlier activation
            continue;
        epoll_event event{};
        event.events = EPOLLIN | EPOLLOUT;
        event.data.u64 = quint64(m_descriptors[fd].generation) << 32 | quint32(fd);
        activated += dispatch(event, wait);
    }
    return activated;
}

// ---- timers ----

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    m_timers.registerTimer(timerId, interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.unregisterTimer(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.unregisterTimers(object);
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    return m_timers.registeredTimers(object);
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    return m_timers.remainingTime(timerId);
}

} // namespace Reservo
