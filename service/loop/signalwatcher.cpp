// SPDX-License-Identifier: MIT
#include "signalwatcher.h"

#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

namespace Reservo {

SignalWatcher::SignalWatcher(QObject *parent) : QObject(parent)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    // Blocked here, in the main thread before any other thread starts, so every thread inherits it.
    if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0)
        return;
    m_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0)
        return;
    m_notifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &SignalWatcher::handleActivated);
}

SignalWatcher::~SignalWatcher()
{
    m_notifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

void SignalWatcher::handleActivated()
{
    signalfd_siginfo info;
    while (::read(m_fd, &info, sizeof info) == ssize_t(sizeof info))
        emit terminationRequested(int(info.ssi_signo));
}

} // namespace Reservo
