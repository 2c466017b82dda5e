// SPDX-License-Identifier: MIT
#pragma once

#include "eventseatmodel.h"
#include "monitorsettings.h"

#include <QMainWindow>
#include <QTimer>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace Reservo {

class ConnectionIndicator;
class EventTab;
class MonitorConnection;
class WatchedEvents;

// The monitor's window: a tab per watched event, the connection state always in the status bar,
// actions to add or close events, change the server or reconnect; remembers URL and events.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // The status bar's summary lags the events by at most this.
    static constexpr int SummaryIntervalMs = 200;

    MainWindow(MonitorConnection *connection, WatchedEvents *events,
               const MonitorSettings &settings, QWidget *parent = nullptr);

    EventTab *tabFor(const QString &eventId) const;
    QTabWidget *tabs() const { return m_tabs; }

private:
    void buildActions();
    QWidget *buildEmptyPage();
    void handleEventAdded(EventSeatModel *model);
    void handleEventRemoved(const QString &eventId);
    void handleTabSyncChanged(EventTab *tab, EventSeatModel::SyncState state);
    void pickEvents();
    void closeCurrentEvent();
    void changeUrl();
    void refreshSummary();
    void save();

    MonitorConnection *m_connection;
    WatchedEvents *m_events;
    MonitorSettings m_settings;
    QStackedWidget *m_pages = nullptr;
    QTabWidget *m_tabs = nullptr;
    ConnectionIndicator *m_indicator = nullptr;
    QLabel *m_summary = nullptr;
    QTimer m_summaryTimer;
};

} // namespace Reservo
