// SPDX-License-Identifier: MIT
#pragma once

#include "optionspec.h"

#include <QList>
#include <QStringList>

namespace Reservo {

// Splits a command line into the flags of an option table, their values and --help; refuses
// unknown flags, stray arguments and missing values with one line naming the argument.
class CommandLine
{
public:
    // One flag as given: the index of its option and its text.
    struct Flag
    {
        qsizetype option;
        QString text;
    };

    explicit CommandLine(const QList<OptionSpec> &specs) : m_specs(specs) {}

    // `arguments` starts with the program's name. False: errorString() says why.
    bool parse(const QStringList &arguments);
    const QList<Flag> &flags() const { return m_flags; }
    bool helpRequested() const { return m_helpRequested; }
    QString errorString() const { return m_error; }

private:
    qsizetype find(const QString &flag) const;
    bool take(const QStringList &arguments, qsizetype &i);

    const QList<OptionSpec> &m_specs;
    QList<Flag> m_flags;
    bool m_helpRequested = false;
    QString m_error;
};

} // namespace Reservo
