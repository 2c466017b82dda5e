// SPDX-License-Identifier: MIT
#include "commandline.h"

namespace Reservo {

bool CommandLine::parse(const QStringList &arguments)
{
    m_flags.clear();
    m_helpRequested = false;
    m_error.clear();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h"))
            m_helpRequested = true;
        else if (!arg.startsWith(QLatin1String("--")))
            m_error = QStringLiteral("unexpected argument '%1' (see --help)").arg(arg);
        else if (!take(arguments, i))
            return false;
        if (!m_error.isEmpty())
            return false;
    }
    return true;
}

qsizetype CommandLine::find(const QString &flag) const
{
    for (qsizetype i = 0; i < m_specs.size(); ++i) {
        if (!m_specs[i].flag.isEmpty() && m_specs[i].flag == flag)
            return i;
    }
    return -1;
}

// Reads the flag at `i` and its value (from `=VALUE` or the next argument, moving `i` on).
bool CommandLine::take(const QStringList &arguments, qsizetype &i)
{
    const QString &arg = arguments[i];
    const qsizetype eq = arg.indexOf(u'=');
    const QString name = arg.mid(2, eq < 0 ? -1 : eq - 2);
    const qsizetype option = find(name);
    if (option < 0) {
        m_error = QStringLiteral("unknown option --%1 (see --help)").arg(name);
        return false;
    }
    const OptionKind kind = m_specs[option].kind;
    QString text = eq < 0 ? QString() : arg.mid(eq + 1);
    if (kind == OptionKind::Rest) {
        QStringList rest = arguments.mid(i + 1);
        if (eq >= 0)
            rest.prepend(text);
        i = arguments.size();
        text = rest.join(u'\n');
    } else if (kind == OptionKind::Switch && eq >= 0) {
        m_error = QStringLiteral("--%1 takes no value").arg(name);
        return false;
    } else if (kind != OptionKind::Switch && eq < 0) {
        if (i + 1 >= arguments.size()) {
            m_error = QStringLiteral("--%1 needs a value (see --help)").arg(name);
            return false;
        }
        text = arguments[++i];
    }
    m_flags.append({option, text});
    return true;
}

} // namespace Reservo
