// SPDX-License-Identifier: MIT
#pragma once

#include <QPoint>
#include <QRect>
#include <QSize>

namespace Reservo {

// Where the cells of a seat map go in a widget of a given size: one pitch (cell size) for the
// whole map, as large as fits, with rows folded into side-by-side blocks when the map is much
// taller than wide (a 100-row hall becomes two blocks of 50), so it fits without scrolling.
class SeatMapGeometry
{
public:
    static constexpr int MaxBlocks = 4;
    static constexpr int MaxPitch = 60;
    static constexpr int MinPitch = 3;
    static constexpr int Padding = 12;
    static constexpr int BlockSpacing = 24;

    struct Frame
    {
        int labelWidth = 0;   // row letters left of each block
        int headerHeight = 0; // seat numbers above each block
    };

    SeatMapGeometry() = default;
    static SeatMapGeometry fit(int columns, int lines, const QSize &size, const Frame &frame);

    int pitch() const { return m_pitch; }
    int blocks() const { return m_blocks; }
    int linesPerBlock() const { return m_linesPerBlock; }
    // The square of cell (column, line), before the gap between cells is taken off.
    QRect cellBox(int column, int line) const;
    // The cell under pos as (column, line); (-1, -1) outside every block.
    QPoint cellAt(const QPoint &pos) const;
    // Where line's row label goes, and the seat number above a column of a block.
    QRect labelBox(int line) const;
    QRect headerBox(int block, int column) const;
    // The block's whole area: labels, header and cells.
    QRect blockArea(int block) const;
    // The cells of a block that area touches, as columns x lines (global line numbers); empty
    // if none.
    QRect cellsIn(int block, const QRect &area) const;

private:
    int blockLeft(int block) const; // x of the block's column 0
    static int pitchFor(int blocks, int columns, int lines, const QSize &size, const Frame &frame);

    int m_columns = 0;
    int m_lines = 0;
    int m_pitch = MinPitch;
    int m_blocks = 1;
    int m_linesPerBlock = 0;
    QPoint m_origin; // top-left of block 0's first cell
    Frame m_frame;
};

} // namespace Reservo
