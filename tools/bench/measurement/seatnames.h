// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Reservo::Bench {

// The ids of the seats the bench changes, by seat number: s0, s1, … in rooms of the bench's own,
// or a real event's seat ids in the events service's order (join-storm), with the way back from
// an id to its number that every client needs for every update it receives.
class SeatNames
{
public:
    SeatNames() = default;
    explicit SeatNames(std::vector<std::string> ids);

    bool isGenerated() const { return m_ids.empty(); }
    std::string id(int seat) const;
    // The seat's number, -1 for an id that names none of them.
    int index(std::string_view id) const;
    // s<n>'s number, -1 for anything else.
    static int generatedIndex(std::string_view id);

private:
    struct Hash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::vector<std::string> m_ids;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> m_index;
};

} // namespace Reservo::Bench
