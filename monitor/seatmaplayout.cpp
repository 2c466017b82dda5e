// SPDX-License-Identifier: MIT
#include "seatmaplayout.h"

#include "seat.h"

#include <QHash>
#include <QMap>
#include <algorithm>
#include <cmath>

namespace Reservo {

namespace {
// A..Z before AA..ZZ before AAA..: shorter row names first, then alphabetical.
bool rowBefore(const QString &a, const QString &b)
{
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

template <typename T, typename Less> QList<T> sortedUnique(QList<T> values, Less less)
{
    std::sort(values.begin(), values.end(), less);
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

// Column of each distinct seat number, keeping gaps where numbers skip (capped).
QMap<int, int> columnsOf(const QList<int> &sortedNumbers, int &width)
{
    QMap<int, int> columns;
    int column = -1;
    int previous = 0;
    for (int n : sortedNumbers) {
        column += column < 0 ? 1 : std::min(n - previous, SeatMapLayout::MaxGapColumns + 1);
        columns.insert(n, column);
        previous = n;
    }
    width = column + 1;
    return columns;
}
} // namespace

SeatMapLayout SeatMapLayout::build(const QStringList &tags)
{
    SeatMapLayout layout;
    layout.m_cells.fill(QPoint(-1, -1), tags.size());
    QList<Parsed> parsed;
    QList<int> flow;
    for (int i = 0; i < tags.size(); ++i) {
        const SeatTag tag = SeatTag::parse(tags[i]);
        if (tag.isValid())
            parsed.append({tag.row, tag.number, i});
        else
            flow.append(i);
    }
    layout.placeGrid(parsed, flow);
    layout.placeFlow(tags, flow);
    return layout;
}

void SeatMapLayout::placeGrid(const QList<Parsed> &seats, QList<int> &overflow)
{
    QStringList rows;
    QList<int> numbers;
    for (const Parsed &p : seats) {
        rows.append(p.row);
        numbers.append(p.number);
    }
    rows = sortedUnique(rows, rowBefore);
    numbers = sortedUnique(numbers, std::less<int>());
    int width = 0;
    const QMap<int, int> columnOf = columnsOf(numbers, width);
    const int linesPerRow = width > MaxColumns ? (width + MaxColumns - 1) / MaxColumns : 1;
    m_columns = std::min(width, int(MaxColumns));
    m_lines = int(rows.size()) * linesPerRow;
    m_grid.fill(-1, qsizetype(m_columns) * m_lines);
    m_columnNumbers.fill(-1, m_columns);
    for (int line = 0; line < m_lines; ++line)
        m_labels.append(line % linesPerRow == 0 ? rows[line / linesPerRow] : QString());
    QHash<QString, int> rowIndex;
    for (int r = 0; r < rows.size(); ++r)
        rowIndex.insert(rows[r], r);
    placeSeats(seats, columnOf, rowIndex, linesPerRow, overflow);
}

void SeatMapLayout::placeSeats(const QList<Parsed> &seats, const QMap<int, int> &columnOf,
                               const QHash<QString, int> &rowIndex, int linesPerRow,
                               QList<int> &overflow)
{
    for (const Parsed &p : seats) {
        const int column = columnOf.value(p.number);
        const int line = rowIndex.value(p.row) * linesPerRow + column / MaxColumns;
        if (seatAt(column % MaxColumns, line) >= 0) {
            overflow.append(p.index); // a second seat with the same tag
            continue;
        }
        place(p.index, column % MaxColumns, line);
        if (linesPerRow == 1)
            m_columnNumbers[column] = p.number;
    }
}

void SeatMapLayout::placeFlow(const QStringList &tags, QList<int> indexes)
{
    m_firstFlowLine = m_lines;
    if (indexes.isEmpty())
        return;
    std::sort(indexes.begin(), indexes.end(), [&tags](int a, int b) {
        if (tags[a].isEmpty() != tags[b].isEmpty())
            return tags[b].isEmpty(); // seats with no tag at all go last
        const int c = tags[a].compare(tags[b], Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a < b;
    });
    const int n = int(indexes.size());
    const int square = int(std::ceil(std::sqrt(double(n)) * 1.6));
    int width = m_columns > 0
                    ? std::max(m_columns, std::min(n, int(MinFlowColumns)))
                    : std::clamp(square, std::min(n, int(MinFlowColumns)), int(MaxColumns));
    width = std::min(width, int(MaxColumns));
    m_firstFlowLine = m_lines > 0 ? m_lines + 1 : 0; // one empty line between grid and the rest
    const int flowLines = (n + width - 1) / width;
    const int newColumns = std::max(m_columns, width);
    QList<int> grid(qsizetype(newColumns) * (m_firstFlowLine + flowLines), -1);
    for (int line = 0; line < m_lines; ++line)
        for (int column = 0; column < m_columns; ++column)
            grid[line * newColumns + column] = m_grid[line * m_columns + column];
    m_grid = grid;
    m_columnNumbers.resize(newColumns, -1);
    m_columns = newColumns;
    m_lines = m_firstFlowLine + flowLines;
    m_labels.resize(m_lines);
    for (int i = 0; i < n; ++i)
        place(indexes[i], i % width, m_firstFlowLine + i / width);
}

void SeatMapLayout::place(int index, int column, int line)
{
    m_cells[index] = QPoint(column, line);
    m_grid[line * m_columns + column] = index;
}

int SeatMapLayout::seatAt(int column, int line) const
{
    if (column < 0 || column >= m_columns || line < 0 || line >= m_lines)
        return -1;
    return m_grid.value(line * m_columns + column, -1);
}

} // namespace Reservo
