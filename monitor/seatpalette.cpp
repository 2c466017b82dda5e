// SPDX-License-Identifier: MIT
#include "seatpalette.h"

#include <QFont>
#include <QPainter>
#include <QPainterPath>

namespace Reservo::SeatPalette {

namespace {
// Below this size an initial is unreadable; pending seats get a slash instead.
constexpr qreal MinInitialSize = 13;

// Mixes amount (0..1) of white into color.
QColor lighter(const QColor &color, qreal amount)
{
    return QColor::fromRgbF(color.redF() + (1 - color.redF()) * amount,
                            color.greenF() + (1 - color.greenF()) * amount,
                            color.blueF() + (1 - color.blueF()) * amount);
}

// The second cue besides colour: the state's initial, or on cells too small for a letter a crisp
// slash for pending seats.
void paintMark(QPainter &painter, const QRectF &rect, SeatState state)
{
    if (rect.height() >= MinInitialSize) {
        QFont font = painter.font();
        font.setPixelSize(int(rect.height() * 0.52));
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(ink(state));
        painter.drawText(rect, Qt::AlignCenter, QString(initial(state)));
    } else if (state == SeatState::Pending) {
        const qreal inset = rect.width() * 0.2;
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.setPen(QPen(ink(state), std::max(1, qRound(rect.width() / 5))));
        painter.drawLine(QPointF(rect.left() + inset, rect.bottom() - inset),
                         QPointF(rect.right() - inset, rect.top() + inset));
        painter.restore();
    }
}
} // namespace

// Chosen to differ in lightness as well as hue (teal, amber, dark crimson), so they stay apart
// for the common colour-vision deficiencies and in greyscale.
QColor fill(SeatState state)
{
    switch (state) {
    case SeatState::Available:
        return QColor(0x1b, 0x9e, 0x77);
    case SeatState::Pending:
        return QColor(0xf2, 0xa9, 0x00);
    case SeatState::Occupied:
        return QColor(0x9e, 0x2a, 0x3a);
    }
    return Qt::gray;
}

QColor ink(SeatState state)
{
    return state == SeatState::Pending ? QColor(0x3a, 0x2a, 0x00) : QColor(Qt::white);
}

QChar initial(SeatState state)
{
    return seatStateName(state).front();
}

QString label(SeatState state)
{
    switch (state) {
    case SeatState::Available:
        return QStringLiteral("Available");
    case SeatState::Pending:
        return QStringLiteral("Pending");
    case SeatState::Occupied:
        return QStringLiteral("Occupied");
    }
    return {};
}

QColor flashColor()
{
    return QColor(0x1e, 0x6f, 0xff);
}

QColor mapBackground()
{
    return QColor(0xf6, 0xf7, 0xf9);
}

void paintCell(QPainter &painter, const QRectF &rect, SeatState state, qreal flash)
{
    const qreal radius = std::max<qreal>(1.5, rect.width() * 0.18);
    painter.setPen(Qt::NoPen);
    painter.setBrush(flash > 0 ? lighter(fill(state), flash * 0.55) : fill(state));
    painter.drawRoundedRect(rect, radius, radius);
    paintMark(painter, rect, state);
    if (flash <= 0)
        return;
    QColor ring = flashColor();
    ring.setAlphaF(flash);
    const qreal width = std::max<qreal>(2, rect.width() * 0.12);
    painter.setPen(QPen(ring, width));
    painter.setBrush(Qt::NoBrush);
    painter.drawRoundedRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2), radius,
                            radius);
}

QPixmap swatch(SeatState state, int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    paintCell(painter, QRectF(0, 0, size, size), state);
    return pixmap;
}

} // namespace Reservo::SeatPalette
