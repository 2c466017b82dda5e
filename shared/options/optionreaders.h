// SPDX-License-Identifier: MIT
#pragma once

#include "valuereaders.h"

#include <QByteArray>
#include <QList>
#include <functional>
#include <type_traits>
#include <utility>

namespace Reservo {

// How an option's text sets the options T: false, with `why` ("expected ..."), if it cannot.
template <typename T>
using OptionReader = std::function<bool(T &options, const QString &text, QString &why)>;

// Readers of one field of T, for the rows of an option table. `field` is a data member pointer
// (&Config::port) or a callable returning a reference to the field (for a nested one).
template <typename T> struct OptionReaders
{
    // A whole number in [min, max], into any integer field.
    template <typename Field> static OptionReader<T> integer(Field field, qint64 min, qint64 max)
    {
        return [field, min, max](T &options, const QString &text, QString &why) {
            qint64 n = 0;
            if (!ValueReaders::integer(text, min, max, n, why))
                return false;
            auto &target = std::invoke(field, options);
            target = std::remove_reference_t<decltype(target)>(n);
            return true;
        };
    }

    template <typename Field> static OptionReader<T> number(Field field, double min, double max)
    {
        return [field, min, max](T &options, const QString &text, QString &why) {
            return ValueReaders::number(text, min, max, std::invoke(field, options), why);
        };
    }

    // Any text, into a QString or (as UTF-8) a QByteArray.
    template <typename Field> static OptionReader<T> text(Field field)
    {
        return [field](T &options, const QString &text, QString &) {
            auto &target = std::invoke(field, options);
            if constexpr (std::is_same_v<std::remove_reference_t<decltype(target)>, QByteArray>)
                target = text.toUtf8();
            else
                target = text;
            return true;
        };
    }

    // Items between separators; empty ones are dropped.
    template <typename Field> static OptionReader<T> list(Field field, QChar separator = u',')
    {
        return [field, separator](T &options, const QString &text, QString &) {
            std::invoke(field, options) = text.split(separator, Qt::SkipEmptyParts);
            return true;
        };
    }

    template <typename Field> static OptionReader<T> natsServers(Field field)
    {
        return [field](T &options, const QString &text, QString &why) {
            return ValueReaders::natsServers(text, std::invoke(field, options), why);
        };
    }

    // One of the names, as its value.
    template <typename Field, typename Value>
    static OptionReader<T> choice(Field field, const QList<std::pair<QString, Value>> &choices)
    {
        QStringList names;
        for (const auto &[name, value] : choices)
            names.append(name);
        return [field, names, choices](T &options, const QString &text, QString &why) {
            qsizetype index = 0;
            if (!ValueReaders::choice(text, names, index, why))
                return false;
            std::invoke(field, options) = choices[index].second;
            return true;
        };
    }

    // For an OptionKind::Switch: given means true.
    template <typename Field> static OptionReader<T> switchOn(Field field)
    {
        return [field](T &options, const QString &, QString &) {
            std::invoke(field, options) = true;
            return true;
        };
    }
};

} // namespace Reservo
