// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace Reservo::Bench {

// Exact order statistics of a modest sample, such as one connect time per client.
class SampleStats
{
public:
    void add(int64_t value);
    void merge(const SampleStats &other);

    size_t count() const { return m_values.size(); }
    // Nearest rank: the value at rank ceil(p/100 * count) (at least 1); 0 when empty.
    int64_t percentile(double p) const;
    int64_t max() const { return percentile(100); }

    static int64_t nearestRank(const std::vector<int64_t> &sorted, double p);

private:
    void sort() const;

    mutable std::vector<int64_t> m_values;
    mutable bool m_sorted = true;
};

} // namespace Reservo::Bench
