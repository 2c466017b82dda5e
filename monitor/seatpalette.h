// SPDX-License-Identifier: MIT
#pragma once

#include "seat.h"

#include <QColor>
#include <QPixmap>
#include <QRectF>
#include <QString>

class QPainter;

// How seat states look everywhere in the monitor (map, legend, capacity bar), so staff learn one
// code. Colour is never the only cue: cells carry the state's initial; when too small for a
// letter, pending cells carry a slash (and the three fills differ in lightness too).
namespace Reservo::SeatPalette {

inline constexpr SeatState States[] = {SeatState::Available, SeatState::Pending,
                                       SeatState::Occupied};

QColor fill(SeatState state);
QColor ink(SeatState state); // text and pattern colour on top of fill()
QChar initial(SeatState state);
QString label(SeatState state); // "Available", ...
QColor flashColor();
QColor mapBackground();

// One seat cell; flash in [0, 1] fades a highlight ring and a lighter fill out as it drops to 0.
void paintCell(QPainter &painter, const QRectF &rect, SeatState state, qreal flash = 0);
// A legend swatch drawn exactly like a map cell.
QPixmap swatch(SeatState state, int size, qreal devicePixelRatio = 1.0);

} // namespace Reservo::SeatPalette
