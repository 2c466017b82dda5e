// SPDX-License-Identifier: MIT
#pragma once

#include "eventseatmodel.h"
#include "seatmapgeometry.h"
#include "seatmaplayout.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPixmap>
#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <array>

namespace Reservo {

// Paints one event's seat map, scaled to fit: a cell per seat where SeatMapLayout puts it, row
// letters and seat numbers around it, a short flash on each change. Changes are collected and
// repainted at most FrameRateHz times a second, and only the cells that changed.
class SeatMapWidget : public QWidget
{
    Q_OBJECT
public:
    static constexpr int FrameRateHz = 40;
    static constexpr int FlashMs = 700;
    // The flash fades in this many steps: a flashing cell is repainted FlashSteps + 1 times,
    // not on every frame.
    static constexpr int FlashSteps = 5;
    static constexpr int PreferredPitch = 32; // px per cell, including the gap between cells

    explicit SeatMapWidget(QWidget *parent = nullptr);

    // Not owned; the model must outlive the widget or be reset first.
    void setModel(EventSeatModel *model);
    const SeatMapLayout &seatLayout() const { return m_layout; }
    const SeatMapGeometry &geometry() const { return m_geometry; }
    // Where seat `index` is drawn, in widget coordinates; empty if it has no cell.
    QRect cellRect(int index) const;
    int seatAt(const QPoint &pos) const;
    QString toolTipFor(int index) const;
    // For the benchmark: false repaints the whole map on every frame instead of changed cells.
    void setPartialRepaints(bool partial) { m_partialRepaints = partial; }
    // Applies pending layout changes and repaint requests now instead of on the next frame.
    void flushFrame() { handleFrame(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    void handleSeatsReset();
    void handleSeatChanged(int index);
    void handleStatusChanged();
    void handleFrame();
    void relayout();
    void updateGeometryCache();
    void paintArea(QPainter &painter, const QRect &area, qint64 now);
    void paintCells(QPainter &painter, const QRect &cells, qint64 now);
    void paintEmpty(QPainter &painter);
    qreal flashOf(int index, qint64 now) const;
    static int flashStep(qint64 elapsedMs);
    bool isDimmed() const;

    QPointer<EventSeatModel> m_model;
    SeatMapLayout m_layout;
    bool m_layoutDirty = false;
    bool m_partialRepaints = true;
    bool m_dimmed = false;
    SeatMapGeometry m_geometry;
    SeatMapGeometry::Frame m_frame;
    int m_cellGap = 3;
    std::array<QPixmap, 3> m_cellPixmaps; // one pre-painted cell per state at the current pitch
    struct Flash
    {
        qint64 startMs = 0; // m_clock time of the change
        int paintedStep = -1;
    };
    QHash<int, Flash> m_flashes; // seat index -> its flash
    QElapsedTimer m_clock;
    QTimer m_frameTimer;
};

} // namespace Reservo
