// SPDX-License-Identifier: MIT
#include "seatlayout.h"

namespace Reservo {

namespace {
// The events service's seed data: rows A-C, seats 11-15.
constexpr int SeedRows = 3;
constexpr int SeedFirstSeat = 11;
constexpr int SeedSeatsPerRow = 5;
} // namespace

QStringList SeatLayout::tags(int seatCount)
{
    QStringList tags;
    if (seatCount <= 0)
        return tags;
    tags.reserve(seatCount);
    if (seatCount == SeedSeatCount) {
        for (int row = 0; row < SeedRows; ++row) {
            for (int seat = 0; seat < SeedSeatsPerRow; ++seat)
                tags.append(rowName(row) + QString::number(SeedFirstSeat + seat));
        }
        return tags;
    }
    for (int i = 0; i < seatCount; ++i)
        tags.append(rowName(i / SeatsPerRow) + QString::number(i % SeatsPerRow + 1));
    return tags;
}

QString SeatLayout::rowName(int row)
{
    // Bijective base 26, like spreadsheet columns.
    QString name;
    for (int n = row + 1; n > 0; n = (n - 1) / 26)
        name.prepend(QChar(u'A' + (n - 1) % 26));
    return name;
}

} // namespace Reservo
