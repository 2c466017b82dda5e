// SPDX-License-Identifier: MIT
#pragma once

#include "helptext.h"
#include "optionreaders.h"
#include "optionsources.h"
#include "optionspec.h"
#include "processinputs.h"

#include <cstdio>
#include <optional>

namespace Reservo {

// One option of a program: its names and help, and how its text sets the options T.
template <typename T> struct Option : OptionSpec
{
    OptionReader<T> read;
};

// What a program's inputs came to: the options, or --help, or one line saying what is wrong.
template <typename T> struct OptionResult
{
    std::optional<T> options;
    bool helpRequested = false;
    QString error;
};

// A program's options in one table, the single source of its --help, its defaults, the
// validation of every value (with one line naming the variable or flag at fault) and the
// precedence of its sources: defaults < ./.env < environment < flags (see OptionSources).
template <typename T> class OptionTable
{
public:
    // After every source, the program's checks across options; it may complete T. Returns one
    // line saying what is wrong, or nothing.
    using Check = std::function<QString(T &options)>;
    struct Help
    {
        QString usage;              // the text above the options; %1 is the program's name
        QString environmentHeading; // the line above the environment-only settings
    };

    OptionTable(Help help, QList<Option<T>> options, Check check = {})
        : m_help(std::move(help)), m_options(std::move(options)), m_check(std::move(check))
    {
        for (const Option<T> &option : m_options)
            m_specs.append(option);
    }

    const QList<Option<T>> &options() const { return m_options; }
    QString helpText(const QString &program) const
    {
        return HelpText::format(m_help.usage.arg(program), m_specs, m_help.environmentHeading);
    }

    // The options from `initial` (for what the table gives no default) and every source.
    OptionResult<T> read(const ProcessInputs &inputs, T initial = {}) const
    {
        OptionResult<T> result;
        OptionSources sources(m_specs);
        const bool collected = sources.collect(inputs);
        result.helpRequested = sources.helpRequested();
        result.error = sources.errorString();
        for (qsizetype i = 0; collected && i < sources.values().size(); ++i) {
            const OptionValue &value = sources.values()[i];
            QString why;
            if (!m_options[value.option].read(initial, value.text, why)) {
                result.error = sources.invalid(value, why);
                return result;
            }
        }
        if (collected && m_check)
            result.error = OptionSources::oneLine(m_check(initial));
        if (collected && result.error.isEmpty())
            result.options = std::move(initial);
        return result;
    }

    // For main(): the options of this process, or nullopt after printing --help (`exitCode` 0) or
    // "program: <one line>" on stderr (`exitCode` 2).
    std::optional<T> fromProcess(const QString &program, int argc, char **argv, int &exitCode) const
    {
        const OptionResult<T> result = read(ProcessInputs::read(argc, argv));
        exitCode = result.helpRequested ? 0 : 2;
        if (result.helpRequested)
            std::fputs(qPrintable(helpText(program)), stdout);
        else if (!result.options)
            std::fprintf(stderr, "%s: %s\n", qPrintable(program), qPrintable(result.error));
        return result.helpRequested ? std::nullopt : result.options;
    }

private:
    Help m_help;
    QList<Option<T>> m_options;
    QList<OptionSpec> m_specs; // the same options without their readers, for the helpers
    Check m_check;
};

} // namespace Reservo
