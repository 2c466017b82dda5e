// SPDX-License-Identifier: MIT
#pragma once

#include "seatmapgeometry.h"
#include "seatmaplayout.h"

#include <QFont>
#include <QRect>

class QPainter;

namespace Reservo {

// The row letters left of each block of the map and the seat numbers above it: the room they
// need, and drawing the part of them a repaint touches.
class SeatMapLabels
{
public:
    SeatMapLabels(const SeatMapLayout &layout, const SeatMapGeometry &geometry,
                  const QFont &widgetFont);

    static QFont font(QFont widgetFont);
    static SeatMapGeometry::Frame measure(const SeatMapLayout &layout, const QFont &widgetFont);

    // cells: the block's cells whose labels area touches (SeatMapGeometry::cellsIn).
    void paintRows(QPainter &painter, const QRect &area, const QRect &cells) const;
    void paintNumbers(QPainter &painter, const QRect &area, int block, const QRect &cells) const;

private:
    const SeatMapLayout &m_layout;
    const SeatMapGeometry &m_geometry;
    QFont m_font;
};

} // namespace Reservo
