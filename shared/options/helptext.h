// SPDX-License-Identifier: MIT
#pragma once

#include "optionspec.h"

#include <QList>
#include <QStringList>

namespace Reservo {

// --help from an option table: the usage text, then one entry per flag ("  --flag VALUE" and its
// description, default and variable), then the environment-only settings ("  NAME=VALUE ...").
// Descriptions wrap at 100 columns; "(default X) [NAME]" always ends an entry's last line whole,
// so that scripts can read each setting and its default.
class HelpText
{
public:
    static constexpr qsizetype Width = 100;

    static QString format(const QString &usage, const QList<OptionSpec> &specs,
                          const QString &environmentHeading);

private:
    struct Entry
    {
        QString head;
        QStringList words; // the last one is the default and the variable, never broken
    };
    static Entry entry(const OptionSpec &spec);
    static QString section(const QList<Entry> &entries);
};

} // namespace Reservo
