// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <memory>

namespace Reservo {

// Turns SIGINT/SIGTERM into a Qt signal through signalfd: no Qt call ever runs in a handler.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;
    bool isValid() const { return m_fd >= 0; }

signals:
    void terminationRequested(int signal);

private:
    void handleActivated();

    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace Reservo
