// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace Reservo::Bench {

// Counts nanosecond latencies in log-linear buckets: values below 256 exactly, larger ones in
// buckets no wider than 1/128 of their value. Millions of samples cost a fixed 35 KB, and the
// per-thread histograms of the workers merge by adding counts.
class DeliveryHistogram
{
public:
    DeliveryHistogram();

    void record(int64_t ns);
    void merge(const DeliveryHistogram &other);

    uint64_t count() const { return m_count; }
    int64_t min() const { return m_count ? m_min : 0; }
    int64_t max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    // Nearest rank: the value at rank ceil(p/100 * count) (at least 1), reported as the upper
    // bound of its bucket but never above max(); 0 for an empty histogram.
    int64_t percentile(double p) const;

    static size_t bucketOf(int64_t ns);
    static int64_t bucketUpperBound(size_t bucket);

private:
    std::vector<uint64_t> m_counts;
    uint64_t m_count = 0;
    int64_t m_min = 0;
    int64_t m_max = 0;
    long double m_sum = 0;
};

} // namespace Reservo::Bench
