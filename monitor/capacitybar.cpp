// SPDX-License-Identifier: MIT
#include "capacitybar.h"

#include "seatpalette.h"

#include <QPainter>
#include <QPainterPath>

namespace Reservo {

CapacityBar::CapacityBar(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CapacityBar::setCounts(int available, int pending, int occupied, int capacity)
{
    const int known = available + pending + occupied;
    const int total = std::max(capacity, known);
    if (available == m_available && pending == m_pending && occupied == m_occupied &&
        total == m_capacity)
        return;
    m_available = available;
    m_pending = pending;
    m_occupied = occupied;
    m_capacity = total;
    update();
}

void CapacityBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF bar = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath outline;
    outline.addRoundedRect(bar, 4, 4);
    painter.setClipPath(outline);
    painter.fillRect(bar, QBrush(QColor(0xc9, 0xcd, 0xd4), Qt::BDiagPattern)); // not seen yet
    if (m_capacity > 0) {
        qreal x = bar.left();
        const std::pair<SeatState, int> parts[] = {{SeatState::Occupied, m_occupied},
                                                   {SeatState::Pending, m_pending},
                                                   {SeatState::Available, m_available}};
        for (const auto &[state, count] : parts) {
            const qreal w = bar.width() * count / m_capacity;
            painter.fillRect(QRectF(x, bar.top(), w, bar.height()), SeatPalette::fill(state));
            x += w;
        }
    }
    painter.setClipping(false);
    painter.setPen(QColor(0xb0, 0xb6, 0xc0));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(outline);
}

} // namespace Reservo
