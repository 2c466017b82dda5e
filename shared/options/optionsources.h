// SPDX-License-Identifier: MIT
#pragma once

#include "optionspec.h"
#include "processinputs.h"

#include <QList>

namespace Reservo {

// One value an option is given, and where from: "default", ".env", "environment" or "--flag".
struct OptionValue
{
    qsizetype option;
    QString text;
    QString origin;
};

// Every value a program's options are given, in the order they are read so that a later one
// overrides: the table's defaults, ./.env, the environment, preset flags, then the other flags in
// command-line order. ./.env and the environment are read only by tables that name variables.
class OptionSources
{
public:
    explicit OptionSources(const QList<OptionSpec> &specs) : m_specs(specs) {}

    // False: errorString() is one line saying what is wrong (./.env's syntax, a flag).
    bool collect(const ProcessInputs &inputs);
    const QList<OptionValue> &values() const { return m_values; }
    bool helpRequested() const { return m_helpRequested; }
    QString errorString() const { return m_error; }

    // One line naming the value at fault: "invalid PORT=x (from environment): expected ...",
    // "invalid PORT=x (from --port): ...", or "invalid --rate 'x': ..." for a flag-only option.
    QString invalid(const OptionValue &value, const QString &why) const;
    // Line breaks a value may hold, escaped: an error stays one line.
    static QString oneLine(QString text);

private:
    bool readsEnvironment() const;
    void addVariables(const QMap<QString, QString> &variables, const QString &origin);

    const QList<OptionSpec> &m_specs;
    QList<OptionValue> m_values;
    bool m_helpRequested = false;
    QString m_error;
};

} // namespace Reservo
