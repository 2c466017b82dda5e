// SPDX-License-Identifier: MIT
#include "seatmapwidget.h"

#include "seatmaplabels.h"
#include "seatpalette.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

namespace Reservo {

SeatMapWidget::SeatMapWidget(QWidget *parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_clock.start();
    m_frameTimer.setInterval(1000 / FrameRateHz);
    connect(&m_frameTimer, &QTimer::timeout, this, &SeatMapWidget::handleFrame);
    relayout();
}

void SeatMapWidget::setModel(EventSeatModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_flashes.clear();
    if (model) {
        connect(model, &EventSeatModel::seatsReset, this, &SeatMapWidget::handleSeatsReset);
        connect(model, &EventSeatModel::seatChanged, this,
                [this](int index) { handleSeatChanged(index); });
        connect(model, &EventSeatModel::statusChanged, this, &SeatMapWidget::handleStatusChanged);
    }
    m_dimmed = isDimmed();
    relayout();
}

QRect SeatMapWidget::cellRect(int index) const
{
    const QPoint cell = m_layout.cellOf(index);
    if (cell.x() < 0)
        return {};
    const QRect box = m_geometry.cellBox(cell.x(), cell.y());
    const int half = m_cellGap / 2;
    return QRect(box.left() + half, box.top() + half, box.width() - m_cellGap,
                 box.height() - m_cellGap);
}

int SeatMapWidget::seatAt(const QPoint &pos) const
{
    const QPoint cell = m_geometry.cellAt(pos);
    const int index = m_layout.seatAt(cell.x(), cell.y());
    return index >= 0 && cellRect(index).contains(pos) ? index : -1;
}

QString SeatMapWidget::toolTipFor(int index) const
{
    if (!m_model || index < 0 || index >= m_model->seats().size())
        return {};
    const Seat &seat = m_model->seats()[index];
    const qint64 changed = m_model->changedAtMs(index);
    return QStringLiteral("Seat %1 — %2 (%3)\nid %4\n%5")
        .arg(seat.tag.isEmpty() ? QStringLiteral("(no tag)") : seat.tag,
             SeatPalette::label(seat.state), seatStateName(seat.state), seat.id,
             changed > 0 ? QStringLiteral("last change %1")
                               .arg(QDateTime::fromMSecsSinceEpoch(changed).toString(
                                   QStringLiteral("hh:mm:ss")))
                         : QStringLiteral("unchanged since the monitor joined"));
}

QSize SeatMapWidget::sizeHint() const
{
    const int columns = std::max(1, m_layout.columnCount());
    const int lines = std::max(1, m_layout.lineCount());
    return QSize(2 * SeatMapGeometry::Padding + m_frame.labelWidth + columns * PreferredPitch,
                 2 * SeatMapGeometry::Padding + m_frame.headerHeight + lines * PreferredPitch)
        .boundedTo(QSize(1200, 900));
}

QSize SeatMapWidget::minimumSizeHint() const
{
    return QSize(240, 160);
}

void SeatMapWidget::handleSeatsReset()
{
    m_layoutDirty = true;
    if (!m_frameTimer.isActive())
        m_frameTimer.start();
}

void SeatMapWidget::handleSeatChanged(int index)
{
    m_flashes.insert(index, Flash{m_clock.elapsed(), -1});
    if (!m_frameTimer.isActive())
        m_frameTimer.start();
}

void SeatMapWidget::handleStatusChanged()
{
    if (isDimmed() == m_dimmed)
        return;
    m_dimmed = !m_dimmed;
    update();
}

bool SeatMapWidget::isDimmed() const
{
    return m_model && !m_model->isInSync();
}

void SeatMapWidget::handleFrame()
{
    if (m_layoutDirty)
        relayout();
    const qint64 now = m_clock.elapsed();
    // Past a third of the map, one full repaint is cheaper than many small ones.
    const bool full =
        !m_partialRepaints || m_flashes.size() * 3 > m_layout.lineCount() * m_layout.columnCount();
    if (full && !m_flashes.isEmpty())
        update();
    for (auto it = m_flashes.begin(); it != m_flashes.end();) {
        const int step = flashStep(now - it->startMs);
        if (step != it->paintedStep && !full)
            update(cellRect(it.key())); // only when its shade changes
        it->paintedStep = step;
        it = step == 0 ? m_flashes.erase(it) : std::next(it);
    }
    if (m_flashes.isEmpty())
        m_frameTimer.stop(); // the last update() above paints the flash's end
}

void SeatMapWidget::relayout()
{
    QStringList tags;
    if (m_model) {
        tags.reserve(m_model->seats().size());
        for (const Seat &seat : m_model->seats())
            tags.append(seat.tag);
    }
    m_layout = SeatMapLayout::build(tags);
    m_layoutDirty = false;
    updateGeometryCache();
    updateGeometry();
    update();
}

void SeatMapWidget::updateGeometryCache()
{
    m_frame = SeatMapLabels::measure(m_layout, font());
    const int oldPitch = m_geometry.pitch();
    m_geometry =
        SeatMapGeometry::fit(m_layout.columnCount(), m_layout.lineCount(), size(), m_frame);
    if (m_geometry.pitch() == oldPitch && !m_cellPixmaps[0].isNull())
        return;
    m_cellGap = std::max(1, m_geometry.pitch() / 7);
    for (SeatState state : SeatPalette::States)
        m_cellPixmaps[int(state)] =
            SeatPalette::swatch(state, m_geometry.pitch() - m_cellGap, devicePixelRatioF());
}

void SeatMapWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateGeometryCache();
}

bool SeatMapWidget::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const int index = seatAt(help->pos());
    if (index < 0) {
        QToolTip::hideText();
        event->ignore();
    } else {
        QToolTip::showText(help->globalPos(), toolTipFor(index), this, cellRect(index));
    }
    return true;
}

int SeatMapWidget::flashStep(qint64 elapsedMs)
{
    if (elapsedMs >= FlashMs)
        return 0;
    return int((FlashMs - elapsedMs) * FlashSteps + FlashMs - 1) / FlashMs; // FlashSteps..1
}

qreal SeatMapWidget::flashOf(int index, qint64 now) const
{
    const auto it = m_flashes.constFind(index);
    return it == m_flashes.cend() ? 0 : qreal(flashStep(now - it->startMs)) / FlashSteps;
}

void SeatMapWidget::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    if (!m_model || m_layout.lineCount() == 0)
        return paintEmpty(painter);
    painter.setRenderHint(QPainter::Antialiasing);
    const qint64 now = m_clock.elapsed();
    for (const QRect &area : event->region())
        paintArea(painter, area, now);
    if (m_dimmed) // not in sync: the map shows the last known state, washed out
        painter.fillRect(event->rect(), QColor(246, 247, 249, 150));
}

void SeatMapWidget::paintArea(QPainter &painter, const QRect &area, qint64 now)
{
    painter.fillRect(area, SeatPalette::mapBackground());
    const SeatMapLabels labels(m_layout, m_geometry, font());
    for (int block = 0; block < m_geometry.blocks(); ++block) {
        const QRect blockArea = m_geometry.blockArea(block);
        if (!blockArea.intersects(area))
            continue;
        // The first cell of the block anchors the label column and the header row.
        const QRect first = m_geometry.cellBox(0, block * m_geometry.linesPerBlock());
        if (area.left() < first.left())
            labels.paintRows(
                painter, area,
                m_geometry.cellsIn(block, QRect(first.left(), area.top(), 1, area.height())));
        if (area.top() < first.top())
            labels.paintNumbers(
                painter, area, block,
                m_geometry.cellsIn(block, QRect(area.left(), first.top(), area.width(), 1)));
        const QRect cells = m_geometry.cellsIn(block, area);
        if (!cells.isEmpty())
            paintCells(painter, cells, now);
    }
}

void SeatMapWidget::paintCells(QPainter &painter, const QRect &cells, qint64 now)
{
    const QList<Seat> &seats = m_model->seats();
    for (int line = cells.top(); line <= cells.bottom(); ++line) {
        for (int column = cells.left(); column <= cells.right(); ++column) {
            const int index = m_layout.seatAt(column, line);
            if (index < 0 || index >= seats.size())
                continue;
            const QRect rect = cellRect(index);
            const qreal flash = flashOf(index, now);
            if (flash > 0)
                SeatPalette::paintCell(painter, rect, seats[index].state, flash);
            else
                painter.drawPixmap(rect.topLeft(), m_cellPixmaps[int(seats[index].state)]);
        }
    }
}

void SeatMapWidget::paintEmpty(QPainter &painter)
{
    painter.fillRect(rect(), SeatPalette::mapBackground());
    painter.setPen(QColor(0x6b, 0x72, 0x80));
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                     m_model ? QStringLiteral("No seats known yet") : QStringLiteral("No event"));
}

} // namespace Reservo
