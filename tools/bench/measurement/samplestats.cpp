// SPDX-License-Identifier: MIT
#include "samplestats.h"

#include <algorithm>
#include <cmath>

namespace Reservo::Bench {

void SampleStats::add(int64_t value)
{
    m_sorted = m_values.empty() || (m_sorted && value >= m_values.back());
    m_values.push_back(value);
}

void SampleStats::merge(const SampleStats &other)
{
    m_values.insert(m_values.end(), other.m_values.begin(), other.m_values.end());
    m_sorted = false;
}

void SampleStats::sort() const
{
    if (!m_sorted)
        std::sort(m_values.begin(), m_values.end());
    m_sorted = true;
}

int64_t SampleStats::percentile(double p) const
{
    sort();
    return nearestRank(m_values, p);
}

int64_t SampleStats::nearestRank(const std::vector<int64_t> &sorted, double p)
{
    if (sorted.empty())
        return 0;
    const double exact = std::clamp(p, 0.0, 100.0) / 100.0 * double(sorted.size());
    const size_t rank = std::max<size_t>(1, size_t(std::ceil(exact - 1e-9)));
    return sorted[std::min(rank, sorted.size()) - 1];
}

} // namespace Reservo::Bench
