// SPDX-License-Identifier: MIT
#include "compactseats.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace Reservo::CompactSeats {

namespace {
constexpr int Values = 81;      // 3^SeatsPerChar
constexpr char FirstLow = '#';  // 0..56: '#'..'['
constexpr char FirstHigh = ']'; // 57..80: ']'..'t', past the backslash
constexpr int LowCount = '[' - '#' + 1;

int stateDigit(SeatState state)
{
    switch (state) {
    case SeatState::Available:
        return 0;
    case SeatState::Pending:
        return 1;
    case SeatState::Occupied:
        return 2;
    }
    return 0;
}

constexpr SeatState DigitStates[] = {SeatState::Available, SeatState::Pending, SeatState::Occupied};

void addLengthPrefixed(QCryptographicHash &hash, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    char length[4];
    qToLittleEndian(quint32(utf8.size()), length);
    hash.addData(QByteArrayView(length, 4));
    hash.addData(utf8);
}
} // namespace

char encodeDigits(int value)
{
    if (value < 0 || value >= Values)
        return 0;
    return value < LowCount ? char(FirstLow + value) : char(FirstHigh + (value - LowCount));
}

int decodeDigits(char c)
{
    if (c >= FirstLow && c < FirstLow + LowCount)
        return c - FirstLow;
    if (c >= FirstHigh && c < FirstHigh + (Values - LowCount))
        return c - FirstHigh + LowCount;
    return -1;
}

QByteArray packStates(std::span<const SeatState> states)
{
    QByteArray packed((qsizetype(states.size()) + SeatsPerChar - 1) / SeatsPerChar,
                      Qt::Uninitialized);
    char *out = packed.data();
    for (size_t i = 0; i < states.size(); i += SeatsPerChar) {
        int value = 0;
        for (size_t j = std::min(states.size(), i + SeatsPerChar); j-- > i;)
            value = value * 3 + stateDigit(states[j]);
        *out++ = encodeDigits(value);
    }
    return packed;
}

std::optional<QList<SeatState>> unpackStates(QByteArrayView packed, qsizetype count)
{
    if (count < 0 || packed.size() != (count + SeatsPerChar - 1) / SeatsPerChar)
        return std::nullopt;
    QList<SeatState> states;
    states.reserve(count);
    for (const char c : packed) {
        int value = decodeDigits(c);
        if (value < 0)
            return std::nullopt;
        for (int j = 0; j < SeatsPerChar && states.size() < count; ++j, value /= 3)
            states.append(DigitStates[value % 3]);
    }
    return states;
}

QString layoutVersion(std::span<const Seat> seats)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Seat &seat : seats) {
        addLengthPrefixed(hash, seat.id);
        addLengthPrefixed(hash, seat.tag);
    }
    return QString::fromLatin1(hash.result().left(8).toHex());
}

} // namespace Reservo::CompactSeats
