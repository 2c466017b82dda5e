// SPDX-License-Identifier: MIT
#include "helptext.h"

#include <algorithm>

namespace Reservo {

namespace {
constexpr qsizetype MaxColumn = 40; // a longer head puts its description on the next line
} // namespace

QString HelpText::format(const QString &usage, const QList<OptionSpec> &specs,
                         const QString &environmentHeading)
{
    QList<Entry> flags;
    QList<Entry> variables;
    for (const OptionSpec &spec : specs)
        (spec.flag.isEmpty() ? variables : flags).append(entry(spec));
    flags.append({QStringLiteral("  --help"), {QStringLiteral("show this help and exit")}});
    QString text = usage + section(flags);
    if (!variables.isEmpty())
        text += u'\n' + environmentHeading + u'\n' + section(variables);
    return text;
}

HelpText::Entry HelpText::entry(const OptionSpec &spec)
{
    Entry e;
    if (spec.flag.isEmpty())
        e.head = QStringLiteral("  %1=%2").arg(spec.env, spec.valueName);
    else if (spec.kind == OptionKind::Switch)
        e.head = QStringLiteral("  --%1").arg(spec.flag);
    else
        e.head = QStringLiteral("  --%1 %2").arg(spec.flag, spec.valueName);
    e.words = spec.description.split(u' ', Qt::SkipEmptyParts);
    QStringList tail;
    if (!spec.defaultValue.isEmpty())
        tail << QStringLiteral("(default %1)").arg(spec.defaultValue);
    else if (!spec.defaultNote.isEmpty())
        tail << QStringLiteral("(default: %1)").arg(spec.defaultNote);
    if (!spec.env.isEmpty() && !spec.flag.isEmpty())
        tail << QStringLiteral("[%1]").arg(spec.env);
    if (!tail.isEmpty())
        e.words << tail.join(u' ');
    return e;
}

// The entries with their descriptions in one column, just right of the longest head.
QString HelpText::section(const QList<Entry> &entries)
{
    qsizetype column = 0;
    for (const Entry &e : entries)
        column = std::max(column, e.head.size() + 2);
    column = std::min(column, MaxColumn);
    QString text;
    for (const Entry &e : entries) {
        QString line = e.head;
        if (line.size() >= column) {
            text += line + u'\n';
            line.clear();
        }
        bool empty = true; // no word on this line yet
        for (const QString &word : e.words) {
            if (!empty && line.size() + 1 + word.size() > Width) {
                text += line + u'\n';
                line.clear();
                empty = true;
            }
            line = empty ? line.leftJustified(column) + word : line + u' ' + word;
            empty = false;
        }
        text += line + u'\n';
    }
    return text;
}

} // namespace Reservo
