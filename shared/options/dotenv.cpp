// SPDX-License-Identifier: MIT
#include "dotenv.h"

#include <QList>
#include <QRegularExpression>

namespace Reservo {

std::optional<QMap<QString, QString>> DotEnv::parse(const QByteArray &text, QString *error)
{
    static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    QMap<QString, QString> values;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = QString::fromUtf8(lines[n]).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(QLatin1String("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        const QString key = line.left(eq).trimmed();
        if (eq <= 0 || !keyRe.match(key).hasMatch()) {
            if (error)
                *error = QStringLiteral(".env line %1: expected KEY=VALUE").arg(n + 1);
            return std::nullopt;
        }
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        values.insert(key, value);
    }
    return values;
}

} // namespace Reservo
