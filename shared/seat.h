// SPDX-License-Identifier: MIT
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <optional>

namespace Reservo {

// A seat's reservation state, with the exact strings of the events service.
enum class SeatState {
    Available,
    Pending,
    Occupied,
};

QLatin1StringView seatStateName(SeatState state);
std::optional<SeatState> seatStateFromName(QStringView name);

// A seat tag such as `A11` split into its row letters and seat number.
struct SeatTag
{
    QString row;     // upper-cased letters, empty when the tag does not parse
    int number = -1; // -1 when the tag does not parse

    bool isValid() const { return number >= 0; }
    static SeatTag parse(QStringView tag);
    friend bool operator==(const SeatTag &, const SeatTag &) = default;
};

// One seat of an event as the events service describes it.
struct Seat
{
    QString id;
    QString tag;
    SeatState state = SeatState::Available;
    friend bool operator==(const Seat &, const Seat &) = default;
};

} // namespace Reservo
