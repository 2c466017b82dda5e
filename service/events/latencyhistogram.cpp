// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

namespace Reservo {

void LatencyHistogram::observe(double seconds, quint64 count)
{
    if (count == 0)
        return;
    for (std::size_t i = 0; i < Bounds.size(); ++i) {
        if (seconds <= Bounds[i]) {
            m_buckets[i] += count;
            break;
        }
    }
    m_count += count;
    m_sum += seconds * double(count);
}

QByteArray LatencyHistogram::render(const char *name, const char *help) const
{
    const QByteArray n(name);
    QByteArray out = "# HELP " + n + ' ' + help + "\n# TYPE " + n + " histogram\n";
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < Bounds.size(); ++i) {
        cumulative += m_buckets[i];
        out += n + "_bucket{le=\"" + QByteArray::number(Bounds[i], 'g', 6) + "\"} " +
               QByteArray::number(cumulative) + '\n';
    }
    out += n + "_bucket{le=\"+Inf\"} " + QByteArray::number(m_count) + '\n';
    out += n + "_sum " + QByteArray::number(m_sum, 'g', 17) + '\n';
    out += n + "_count " + QByteArray::number(m_count) + '\n';
    return out;
}

} // namespace Reservo
