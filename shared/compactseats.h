// SPDX-License-Identifier: MIT
#pragma once

#include "seat.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <optional>
#include <span>

// The compact seat map a client asks for with `join-event-room {"snapshot":"compact"}`
// (README, protocol): a layout (seat ids and tags in a fixed order, with a version) sent only to
// clients that do not hold it, and the states packed in layout order, 4 seats per character.
namespace Reservo::CompactSeats {

// Seats per character of packed states.
inline constexpr int SeatsPerChar = 4;

// The states in layout order, 4 seats per printable ASCII character that needs no JSON escape:
// seat 4k+j is digit j (base 3, least significant first) of character k's value v, where v is
// the code minus 35 ('#'..'[' are 0..56) or minus 36 (']'..'t' are 57..80). Seats past the end
// of the last character count as AVAILABLE. 5,000 seats take 1,250 characters.
QByteArray packStates(std::span<const SeatState> states);
// nullopt if `packed` does not hold exactly `count` seats or has a character outside the alphabet.
std::optional<QList<SeatState>> unpackStates(QByteArrayView packed, qsizetype count);

// The character for a value 0..80 and back (-1 outside the alphabet).
char encodeDigits(int value);
int decodeDigits(char c);

// A layout's version: 16 lowercase hex digits of SHA-256 over its seat ids and tags, the same on
// every instance for the same seats in the same order.
QString layoutVersion(std::span<const Seat> seats);

} // namespace Reservo::CompactSeats
