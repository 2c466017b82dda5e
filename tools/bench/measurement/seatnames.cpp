// SPDX-License-Identifier: MIT
#include "seatnames.h"

namespace Reservo::Bench {

namespace {
constexpr size_t MaxDigits = 6; // seats are at most 100,000
}

SeatNames::SeatNames(std::vector<std::string> ids) : m_ids(std::move(ids))
{
    m_index.reserve(m_ids.size());
    for (size_t i = 0; i < m_ids.size(); ++i)
        m_index.emplace(m_ids[i], int(i)); // a repeated id keeps its first number
}

std::string SeatNames::id(int seat) const
{
    return isGenerated() ? "s" + std::to_string(seat) : m_ids.at(size_t(seat));
}

int SeatNames::index(std::string_view id) const
{
    if (isGenerated())
        return generatedIndex(id);
    const auto it = m_index.find(id);
    return it == m_index.end() ? -1 : it->second;
}

int SeatNames::generatedIndex(std::string_view id)
{
    if (id.size() < 2 || id.size() > MaxDigits + 1 || id.front() != 's')
        return -1;
    int value = 0;
    for (char c : id.substr(1)) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace Reservo::Bench
