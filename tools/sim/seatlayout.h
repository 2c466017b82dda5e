// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace Reservo {

// The seat tags of a simulated event: the seed layout A11..C15, or rows of numbered seats.
class SeatLayout
{
public:
    static constexpr int SeedSeatCount = 15;
    static constexpr int SeatsPerRow = 20;

    // Exactly seatCount tags: the seed layout for 15, else rows A, B, ... Z, AA, ... of
    // SeatsPerRow seats numbered from 1.
    static QStringList tags(int seatCount);
    // Row name of a zero-based row index: 0 -> A, 25 -> Z, 26 -> AA, 27 -> AB.
    static QString rowName(int row);
};

} // namespace Reservo
