// SPDX-License-Identifier: MIT
#pragma once

#include "eventseatmodel.h"

#include <QPointer>
#include <QTime>
#include <QTimer>
#include <QWidget>
#include <array>

class QLabel;

namespace Reservo {

class CapacityBar;
class ChangeLogView;
class SeatMapWidget;

// One watched event on screen: its seat map, the legend with counts per state, a capacity bar,
// viewers, the room's seq, whether the map is in sync (and why not), and a log of changes.
class EventTab : public QWidget
{
    Q_OBJECT
public:
    static constexpr int StatusIntervalMs = 100;

    explicit EventTab(EventSeatModel *model, QWidget *parent = nullptr);

    EventSeatModel *model() const { return m_model; }
    SeatMapWidget *seatMap() const { return m_map; }
    ChangeLogView *changeLog() const { return m_log; }
    // Brings labels up to date now instead of on the next status tick.
    void refreshStatus();

    // The badge of a sync state: a word for staff and its colour.
    static QString stateText(EventSeatModel::SyncState state);
    static QColor stateColor(EventSeatModel::SyncState state);

signals:
    void syncStateChanged(Reservo::EventSeatModel::SyncState state);
    void titleChanged(const QString &title);

private:
    QWidget *buildHeader();
    QWidget *buildSidePanel();
    QWidget *buildLegend();
    QWidget *buildFacts();
    void handleSeatChanged(int index, std::optional<SeatState> previous, bool fromSnapshot);
    void handleStatusChanged();
    void refreshCounts();
    void refreshSync();
    void logSyncChange();

    QPointer<EventSeatModel> m_model;
    SeatMapWidget *m_map = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_eventId = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_banner = nullptr;
    std::array<QLabel *, 3> m_counts{};
    std::array<QLabel *, 3> m_shares{};
    CapacityBar *m_capacity = nullptr;
    QLabel *m_capacityText = nullptr;
    QLabel *m_viewers = nullptr;
    QLabel *m_seq = nullptr;
    QLabel *m_lastChange = nullptr;
    ChangeLogView *m_log = nullptr;
    QTimer m_statusTimer;
    std::optional<EventSeatModel::SyncState> m_loggedState;
    QTime m_lastChangeTime;
};

} // namespace Reservo
