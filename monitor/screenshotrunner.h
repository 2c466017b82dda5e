// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class QWidget;

namespace Reservo {

class MonitorConnection;
class WatchedEvents;

// Runs `--screenshot`: waits until every watched map is in sync (or the connection fails for
// good, or a timeout), saves the window as a PNG, and reports the process exit code.
class ScreenshotRunner : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { Saved = 0, TimedOut = 1, CannotSave = 3, Refused = 4 };
    // Lets the last status ticks, log batches and repaints land before the grab.
    static constexpr int SettleMs = 400;

    ScreenshotRunner(QWidget *window, MonitorConnection *connection, WatchedEvents *events,
                     const QString &file, int timeoutMs, QObject *parent = nullptr);
    void start();
    QString message() const { return m_message; }

signals:
    void finished(int exitCode);

private:
    void check();
    void handleTimeout();
    void capture(int exitCode);
    QString notInSync() const;
    QString refusedEvents() const;

    QWidget *m_window;
    MonitorConnection *m_connection;
    WatchedEvents *m_events;
    QString m_file;
    int m_timeoutMs;
    QString m_message;
    QTimer m_deadline;
    QTimer m_settle;
    bool m_done = false;
};

} // namespace Reservo
