// SPDX-License-Identifier: MIT
#include "seat.h"

namespace Reservo {

QLatin1StringView seatStateName(SeatState state)
{
    switch (state) {
    case SeatState::Available:
        return QLatin1StringView("AVAILABLE");
    case SeatState::Pending:
        return QLatin1StringView("PENDING");
    case SeatState::Occupied:
        return QLatin1StringView("OCCUPIED");
    }
    return QLatin1StringView("AVAILABLE");
}

std::optional<SeatState> seatStateFromName(QStringView name)
{
    for (SeatState s : {SeatState::Available, SeatState::Pending, SeatState::Occupied}) {
        if (name == seatStateName(s))
            return s;
    }
    return std::nullopt;
}

SeatTag SeatTag::parse(QStringView tag)
{
    constexpr int MaxDigits = 6;
    const QStringView t = tag.trimmed();
    qsizetype i = 0;
    while (i < t.size() && t[i].isLetter() && t[i].unicode() < 128)
        ++i;
    const qsizetype letters = i;
    if (letters == 0 || letters > 3)
        return {};
    qsizetype digitStart = i;
    if (i < t.size() && (t[i] == u'-' || t[i] == u' '))
        digitStart = ++i;
    while (i < t.size() && t[i].unicode() >= '0' && t[i].unicode() <= '9')
        ++i;
    const qsizetype digits = i - digitStart;
    if (i != t.size() || digits == 0 || digits > MaxDigits)
        return {};
    return SeatTag{t.first(letters).toString().toUpper(), t.mid(digitStart).toInt()};
}

} // namespace Reservo
