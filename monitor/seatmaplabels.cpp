// SPDX-License-Identifier: MIT
#include "seatmaplabels.h"

#include <QFontMetrics>
#include <QPainter>

namespace Reservo {

namespace {
const QString OtherLabel = QStringLiteral("other"); // before the seats whose tag does not parse
const QColor Ink(0x55, 0x5b, 0x66);
} // namespace

SeatMapLabels::SeatMapLabels(const SeatMapLayout &layout, const SeatMapGeometry &geometry,
                             const QFont &widgetFont)
    : m_layout(layout), m_geometry(geometry), m_font(font(widgetFont))
{
}

QFont SeatMapLabels::font(QFont widgetFont)
{
    widgetFont.setPixelSize(12);
    widgetFont.setBold(true);
    return widgetFont;
}

SeatMapGeometry::Frame SeatMapLabels::measure(const SeatMapLayout &layout, const QFont &widgetFont)
{
    const QFontMetrics metrics(font(widgetFont));
    int widest =
        layout.firstFlowLine() < layout.lineCount() ? metrics.horizontalAdvance(OtherLabel) : 0;
    for (int line = 0; line < layout.lineCount(); ++line)
        widest = std::max(widest, metrics.horizontalAdvance(layout.lineLabel(line)));
    bool numbered = false;
    for (int column = 0; column < layout.columnCount() && !numbered; ++column)
        numbered = layout.columnNumber(column) >= 0;
    return {widest > 0 ? widest + 14 : 0, numbered ? metrics.height() + 6 : 0};
}

void SeatMapLabels::paintRows(QPainter &painter, const QRect &area, const QRect &cells) const
{
    painter.setFont(m_font);
    painter.setPen(Ink);
    // On small cells, label every n-th row so the letters do not overlap.
    const int pitch = m_geometry.pitch();
    const int step = (QFontMetrics(m_font).height() + pitch - 1) / pitch;
    for (int line = cells.top(); line <= cells.bottom(); ++line) {
        const bool flowStart = line == m_layout.firstFlowLine();
        const QString text = flowStart ? OtherLabel : m_layout.lineLabel(line);
        const int inBlock = line % m_geometry.linesPerBlock();
        const QRect box = m_geometry.labelBox(line);
        if (text.isEmpty() || !box.intersects(area) || (!flowStart && inBlock % step != 0))
            continue;
        painter.drawText(box.adjusted(0, -step * pitch, 0, step * pitch),
                         Qt::AlignRight | Qt::AlignVCenter, text);
    }
}

void SeatMapLabels::paintNumbers(QPainter &painter, const QRect &area, int block,
                                 const QRect &cells) const
{
    painter.setFont(m_font);
    painter.setPen(Ink);
    // Every number if they fit, else every fifth.
    const bool sparse =
        QFontMetrics(m_font).horizontalAdvance(QStringLiteral("888")) + 4 > m_geometry.pitch();
    for (int column = cells.left(); column <= cells.right(); ++column) {
        const int number = m_layout.columnNumber(column);
        const QRect box = m_geometry.headerBox(block, column);
        if (number < 0 || (sparse && number % 5 != 0) || !box.intersects(area))
            continue;
        painter.drawText(box, Qt::AlignHCenter | Qt::AlignBottom, QString::number(number));
    }
}

} // namespace Reservo
