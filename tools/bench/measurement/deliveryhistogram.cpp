// SPDX-License-Identifier: MIT
#include "deliveryhistogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace Reservo::Bench {

namespace {
constexpr int SubBits = 8; // 256 exact values, then 128 per octave
constexpr int64_t Half = int64_t(1) << (SubBits - 1);
constexpr int64_t Largest = (int64_t(1) << 42) - 1; // ~73 minutes: longer is clamped
} // namespace

DeliveryHistogram::DeliveryHistogram() : m_counts(bucketOf(Largest) + 1, 0) {}

size_t DeliveryHistogram::bucketOf(int64_t ns)
{
    const int64_t v = std::clamp<int64_t>(ns, 0, Largest);
    if (v < 2 * Half)
        return size_t(v);
    const int shift = std::bit_width(uint64_t(v)) - SubBits; // >= 1
    return size_t(int64_t(shift) * Half + (v >> shift));
}

int64_t DeliveryHistogram::bucketUpperBound(size_t bucket)
{
    if (int64_t(bucket) < 2 * Half)
        return int64_t(bucket);
    const int64_t shift = int64_t(bucket) / Half - 1;
    const int64_t mantissa = int64_t(bucket) - shift * Half;
    return (mantissa << shift) + (int64_t(1) << shift) - 1;
}

void DeliveryHistogram::record(int64_t ns)
{
    ++m_counts[bucketOf(ns)];
    m_min = m_count == 0 ? ns : std::min(m_min, ns);
    m_max = m_count == 0 ? ns : std::max(m_max, ns);
    ++m_count;
    m_sum += ns;
}

void DeliveryHistogram::merge(const DeliveryHistogram &other)
{
    if (other.m_count == 0)
        return;
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    m_min = m_count == 0 ? other.m_min : std::min(m_min, other.m_min);
    m_max = m_count == 0 ? other.m_max : std::max(m_max, other.m_max);
    m_count += other.m_count;
    m_sum += other.m_sum;
}

int64_t DeliveryHistogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const double exact = std::clamp(p, 0.0, 100.0) / 100.0 * double(m_count);
    const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(exact - 1e-9)));
    uint64_t seen = 0;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::clamp(bucketUpperBound(i), m_min, m_max);
    }
    return m_max;
}

} // namespace Reservo::Bench
