// SPDX-License-Identifier: MIT
#include "seatmapgeometry.h"

#include <algorithm>

namespace Reservo {

namespace {
int ceilDiv(int a, int b)
{
    return (a + b - 1) / b;
}

int floorDiv(int a, int b)
{
    return a >= 0 ? a / b : -ceilDiv(-a, b);
}
} // namespace

int SeatMapGeometry::pitchFor(int blocks, int columns, int lines, const QSize &size,
                              const Frame &frame)
{
    const int roomX =
        size.width() - 2 * Padding - blocks * frame.labelWidth - (blocks - 1) * BlockSpacing;
    const int roomY = size.height() - 2 * Padding - frame.headerHeight;
    return std::min(roomX / (blocks * columns), roomY / ceilDiv(lines, blocks));
}

SeatMapGeometry SeatMapGeometry::fit(int columns, int lines, const QSize &size, const Frame &frame)
{
    SeatMapGeometry g;
    g.m_columns = std::max(1, columns);
    g.m_lines = std::max(1, lines);
    g.m_frame = frame;
    int best = pitchFor(1, g.m_columns, g.m_lines, size, frame);
    for (int blocks = 2; blocks <= std::min(MaxBlocks, g.m_lines); ++blocks) {
        const int pitch = pitchFor(blocks, g.m_columns, g.m_lines, size, frame);
        if (pitch > best) { // more blocks only when they give bigger cells
            best = pitch;
            g.m_blocks = blocks;
        }
    }
    g.m_pitch = std::clamp(best, int(MinPitch), int(MaxPitch));
    g.m_linesPerBlock = ceilDiv(g.m_lines, g.m_blocks);
    const int width =
        g.m_blocks * (frame.labelWidth + g.m_columns * g.m_pitch) + (g.m_blocks - 1) * BlockSpacing;
    const int height = frame.headerHeight + g.m_linesPerBlock * g.m_pitch;
    g.m_origin = QPoint(std::max(Padding, (size.width() - width) / 2) + frame.labelWidth,
                        std::max(Padding, (size.height() - height) / 2) + frame.headerHeight);
    return g;
}

int SeatMapGeometry::blockLeft(int block) const
{
    return m_origin.x() + block * (m_columns * m_pitch + BlockSpacing + m_frame.labelWidth);
}

QRect SeatMapGeometry::cellBox(int column, int line) const
{
    const int block = line / m_linesPerBlock;
    return QRect(blockLeft(block) + column * m_pitch,
                 m_origin.y() + (line % m_linesPerBlock) * m_pitch, m_pitch, m_pitch);
}

QPoint SeatMapGeometry::cellAt(const QPoint &pos) const
{
    for (int block = 0; block < m_blocks; ++block) {
        const int column = floorDiv(pos.x() - blockLeft(block), m_pitch);
        const int row = floorDiv(pos.y() - m_origin.y(), m_pitch);
        const int line = block * m_linesPerBlock + row;
        if (column >= 0 && column < m_columns && row >= 0 && row < m_linesPerBlock &&
            line < m_lines)
            return QPoint(column, line);
    }
    return QPoint(-1, -1);
}

QRect SeatMapGeometry::labelBox(int line) const
{
    const QRect cell = cellBox(0, line);
    return QRect(cell.left() - m_frame.labelWidth, cell.top(), m_frame.labelWidth - 8, m_pitch);
}

QRect SeatMapGeometry::headerBox(int block, int column) const
{
    return QRect(blockLeft(block) + (column - 1) * m_pitch, m_origin.y() - m_frame.headerHeight,
                 3 * m_pitch, m_frame.headerHeight - 4);
}

QRect SeatMapGeometry::blockArea(int block) const
{
    const int lines = std::min(m_linesPerBlock, m_lines - block * m_linesPerBlock);
    return QRect(blockLeft(block) - m_frame.labelWidth, m_origin.y() - m_frame.headerHeight,
                 m_frame.labelWidth + m_columns * m_pitch,
                 m_frame.headerHeight + std::max(0, lines) * m_pitch);
}

QRect SeatMapGeometry::cellsIn(int block, const QRect &area) const
{
    const int first = block * m_linesPerBlock;
    const int last = std::min(m_lines, first + m_linesPerBlock) - 1;
    const int left = std::max(0, floorDiv(area.left() - blockLeft(block), m_pitch));
    const int right = std::min(m_columns - 1, floorDiv(area.right() - blockLeft(block), m_pitch));
    const int top = std::max(first, first + floorDiv(area.top() - m_origin.y(), m_pitch));
    const int bottom = std::min(last, first + floorDiv(area.bottom() - m_origin.y(), m_pitch));
    if (left > right || top > bottom)
        return {};
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

} // namespace Reservo
