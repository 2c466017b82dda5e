// SPDX-License-Identifier: MIT
#include "optionsources.h"
#include "commandline.h"
#include "dotenv.h"

#include <algorithm>

namespace Reservo {

bool OptionSources::collect(const ProcessInputs &inputs)
{
    m_values.clear();
    m_error.clear();
    std::optional<QMap<QString, QString>> dotEnv = QMap<QString, QString>();
    if (readsEnvironment())
        dotEnv = DotEnv::parse(inputs.dotEnv, &m_error);
    CommandLine commandLine(m_specs);
    const bool parsed = dotEnv && commandLine.parse(inputs.arguments);
    m_helpRequested = commandLine.helpRequested();
    if (!parsed) {
        if (m_error.isEmpty())
            m_error = oneLine(commandLine.errorString());
        return false;
    }
    for (qsizetype i = 0; i < m_specs.size(); ++i) {
        if (!m_specs[i].defaultValue.isEmpty())
            m_values.append({i, m_specs[i].defaultValue, QStringLiteral("default")});
    }
    if (readsEnvironment()) {
        addVariables(*dotEnv, QStringLiteral(".env"));
        addVariables(inputs.environment, QStringLiteral("environment"));
    }
    for (const bool presets : {true, false}) {
        for (const CommandLine::Flag &flag : commandLine.flags()) {
            const OptionSpec &spec = m_specs[flag.option];
            if ((spec.kind == OptionKind::Preset) == presets)
                m_values.append({flag.option, flag.text, QStringLiteral("--") + spec.flag});
        }
    }
    return true;
}

QString OptionSources::invalid(const OptionValue &value, const QString &why) const
{
    const OptionSpec &spec = m_specs[value.option];
    const QString origin =
        value.origin == QLatin1String("default") ? QStringLiteral(" (from default)") : QString();
    return oneLine(
        spec.env.isEmpty()
            ? QStringLiteral("invalid --%1 '%2'%3: %4").arg(spec.flag, value.text, origin, why)
            : QStringLiteral("invalid %1=%2 (from %3): %4")
                  .arg(spec.env, value.text, value.origin, why));
}

QString OptionSources::oneLine(QString text)
{
    return text.replace(u'\n', QLatin1String("\\n")).replace(u'\r', QLatin1String("\\r"));
}

bool OptionSources::readsEnvironment() const
{
    return std::any_of(m_specs.cbegin(), m_specs.cend(),
                       [](const OptionSpec &spec) { return !spec.env.isEmpty(); });
}

void OptionSources::addVariables(const QMap<QString, QString> &variables, const QString &origin)
{
    for (qsizetype i = 0; i < m_specs.size(); ++i) {
        const QString &name = m_specs[i].env;
        if (!name.isEmpty() && variables.contains(name))
            m_values.append({i, variables.value(name), origin});
    }
}

} // namespace Reservo
