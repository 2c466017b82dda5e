// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QPoint>
#include <QStringList>

namespace Reservo {

// Where each seat sits on the map, from its tag alone: rows by letters (A..Z, then AA..), seats by
// number with gaps where numbers skip, and seats whose tag does not parse flowing after the grid.
class SeatMapLayout
{
public:
    static constexpr int MaxColumns = 60;   // longer rows wrap onto continuation lines
    static constexpr int MaxGapColumns = 3; // a wider jump in the numbering shrinks to this gap
    static constexpr int MinFlowColumns = 10;

    // tags[i] is seat i's tag; cellOf(i) is then where seat i goes.
    static SeatMapLayout build(const QStringList &tags);

    int columnCount() const { return m_columns; }
    int lineCount() const { return m_lines; }
    QPoint cellOf(int index) const { return m_cells.value(index, QPoint(-1, -1)); }
    // The seat index at a cell, or -1 for a gap.
    int seatAt(int column, int line) const;
    // The row letters on the first line of each row; empty on other lines.
    QString lineLabel(int line) const { return m_labels.value(line); }
    // The seat number above a column, or -1 (a gap, or rows wrap so columns have no one number).
    int columnNumber(int column) const { return m_columnNumbers.value(column, -1); }
    // The first line of seats whose tag does not parse; lineCount() if there are none.
    int firstFlowLine() const { return m_firstFlowLine; }

private:
    struct Parsed
    {
        QString row;
        int number;
        int index;
    };
    void placeGrid(const QList<Parsed> &seats, QList<int> &overflow);
    void placeSeats(const QList<Parsed> &seats, const QMap<int, int> &columnOf,
                    const QHash<QString, int> &rowIndex, int linesPerRow, QList<int> &overflow);
    void placeFlow(const QStringList &tags, QList<int> indexes);
    void place(int index, int column, int line);

    int m_columns = 0;
    int m_lines = 0;
    int m_firstFlowLine = 0;
    QList<QPoint> m_cells;
    QList<int> m_grid; // line * m_columns + column -> seat index, -1 for a gap
    QStringList m_labels;
    QList<int> m_columnNumbers;
};

} // namespace Reservo
