// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <utility>

namespace Reservo::Bench {

// The scalar fields of a struct, by JSON name, so that writing and reading cannot drift apart.
template <typename S> struct JsonFields
{
    QList<std::pair<const char *, double S::*>> reals;
    QList<std::pair<const char *, qint64 S::*>> integers;
    QList<std::pair<const char *, quint64 S::*>> counts;
    QList<std::pair<const char *, int S::*>> ints;
    QList<std::pair<const char *, QString S::*>> strings;
    QList<std::pair<const char *, bool S::*>> flags;

    void write(const S &s, QJsonObject &json) const
    {
        for (const auto &[name, field] : reals)
            json.insert(QLatin1String(name), s.*field);
        for (const auto &[name, field] : integers)
            json.insert(QLatin1String(name), double(s.*field));
        for (const auto &[name, field] : counts)
            json.insert(QLatin1String(name), double(s.*field));
        for (const auto &[name, field] : ints)
            json.insert(QLatin1String(name), s.*field);
        for (const auto &[name, field] : strings)
            json.insert(QLatin1String(name), s.*field);
        for (const auto &[name, field] : flags)
            json.insert(QLatin1String(name), s.*field);
    }
    void read(S &s, const QJsonObject &json) const
    {
        for (const auto &[name, field] : reals)
            s.*field = json.value(QLatin1String(name)).toDouble(s.*field);
        for (const auto &[name, field] : integers)
            s.*field = qint64(json.value(QLatin1String(name)).toDouble(double(s.*field)));
        for (const auto &[name, field] : counts)
            s.*field = quint64(json.value(QLatin1String(name)).toDouble(double(s.*field)));
        for (const auto &[name, field] : ints)
            s.*field = json.value(QLatin1String(name)).toInt(s.*field);
        for (const auto &[name, field] : strings)
            s.*field = json.value(QLatin1String(name)).toString(s.*field);
        for (const auto &[name, field] : flags)
            s.*field = json.value(QLatin1String(name)).toBool(s.*field);
    }
};

} // namespace Reservo::Bench
