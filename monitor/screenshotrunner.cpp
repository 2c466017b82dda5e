// SPDX-License-Identifier: MIT
#include "screenshotrunner.h"

#include "monitorconnection.h"
#include "watchedevents.h"

#include <QPixmap>
#include <QWidget>

namespace Reservo {

ScreenshotRunner::ScreenshotRunner(QWidget *window, MonitorConnection *connection,
                                   WatchedEvents *events, const QString &file, int timeoutMs,
                                   QObject *parent)
    : QObject(parent), m_window(window), m_connection(connection), m_events(events), m_file(file),
      m_timeoutMs(timeoutMs)
{
    m_deadline.setSingleShot(true);
    m_settle.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ScreenshotRunner::handleTimeout);
    connect(&m_settle, &QTimer::timeout, this, [this] {
        m_message = QStringLiteral("all %1 event(s) in sync").arg(m_events->eventIds().size());
        capture(Saved);
    });
}

void ScreenshotRunner::start()
{
    connect(m_events, &WatchedEvents::syncChanged, this, &ScreenshotRunner::check);
    connect(m_connection, &MonitorConnection::stateChanged, this, &ScreenshotRunner::check);
    m_deadline.start(m_timeoutMs);
    check();
}

void ScreenshotRunner::check()
{
    if (m_done)
        return;
    const QString refused = refusedEvents();
    if (m_connection->state() == MonitorConnection::State::Error || !refused.isEmpty()) {
        m_message = refused.isEmpty() ? m_connection->errorString()
                                      : QStringLiteral("join refused: %1").arg(refused);
        return capture(Refused);
    }
    const bool ready =
        m_events->allInSync() &&
        (m_events->eventIds().isEmpty() || m_connection->state() == MonitorConnection::State::Live);
    if (ready && !m_settle.isActive())
        m_settle.start(SettleMs);
    else if (!ready)
        m_settle.stop(); // e.g. a resync started: wait for it
}

void ScreenshotRunner::handleTimeout()
{
    m_message = QStringLiteral("timed out after %1 ms; connection: %2; not in sync: %3")
                    .arg(m_timeoutMs)
                    .arg(m_connection->state() == MonitorConnection::State::Live
                             ? QStringLiteral("live")
                             : m_connection->errorString(),
                         notInSync());
    capture(TimedOut);
}

void ScreenshotRunner::capture(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    m_settle.stop();
    // Saved even on failure: the picture shows what staff would have seen.
    if (!m_window->grab().save(m_file, "PNG")) {
        m_message = QStringLiteral("cannot write %1").arg(m_file);
        exitCode = CannotSave;
    }
    emit finished(exitCode);
}

QString ScreenshotRunner::notInSync() const
{
    QStringList ids;
    for (const QString &id : m_events->eventIds()) {
        const EventSeatModel *model = m_events->model(id);
        if (!model->isInSync())
            ids.append(QStringLiteral("%1 (%2)").arg(
                id, QVariant::fromValue(model->syncState()).toString().toLower()));
    }
    return ids.join(QStringLiteral(", "));
}

QString ScreenshotRunner::refusedEvents() const
{
    QStringList ids;
    for (const QString &id : m_events->eventIds()) {
        const EventSeatModel *model = m_events->model(id);
        if (model->syncState() == EventSeatModel::SyncState::Refused)
            ids.append(QStringLiteral("%1 (%2)").arg(id, model->syncDetail()));
    }
    return ids.join(QStringLiteral(", "));
}

} // namespace Reservo
