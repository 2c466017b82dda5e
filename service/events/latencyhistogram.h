// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <array>

namespace Reservo {

// A Prometheus histogram of seconds with fixed buckets from 100 µs to 10 s.
class LatencyHistogram
{
public:
    static constexpr std::array<double, 14> Bounds{
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 10};

    // Records `count` observations of the same value (one broadcast reaching count members).
    void observe(double seconds, quint64 count = 1);
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }
    QByteArray render(const char *name, const char *help) const;

private:
    std::array<quint64, Bounds.size()> m_buckets{};
    quint64 m_count = 0;
    double m_sum = 0;
};

} // namespace Reservo
