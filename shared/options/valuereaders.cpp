// SPDX-License-Identifier: MIT
#include "valuereaders.h"

#include <QLocale>
#include <QUrl>
#include <cmath>
#include <optional>

namespace Reservo {

namespace {
std::optional<QString> normalizeNatsUrl(QString url)
{
    url = url.trimmed();
    if (url.isEmpty())
        return std::nullopt;
    if (!url.contains(QLatin1String("://")))
        url.prepend(QLatin1String("nats://"));
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme();
    if (!parsed.isValid() || parsed.host().isEmpty() ||
        (scheme != QLatin1String("nats") && scheme != QLatin1String("tls")) ||
        (!parsed.path().isEmpty() && parsed.path() != QLatin1String("/")))
        return std::nullopt;
    return url;
}

QString shortest(double n)
{
    return QString::number(n, 'f', QLocale::FloatingPointShortest);
}
} // namespace

bool ValueReaders::integer(const QString &text, qint64 min, qint64 max, qint64 &out, QString &why)
{
    bool ok = false;
    const qint64 n = text.trimmed().toLongLong(&ok);
    if (ok && n >= min && n <= max) {
        out = n;
        return true;
    }
    why = QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(max);
    return false;
}

bool ValueReaders::number(const QString &text, double min, double max, double &out, QString &why)
{
    bool ok = false;
    const double n = text.trimmed().toDouble(&ok);
    if (ok && std::isfinite(n) && n >= min && n <= max) {
        out = n;
        return true;
    }
    why = QStringLiteral("expected a number from %1 to %2").arg(shortest(min), shortest(max));
    return false;
}

bool ValueReaders::choice(const QString &text, const QStringList &names, qsizetype &index,
                          QString &why)
{
    index = names.indexOf(text);
    if (index >= 0)
        return true;
    why = names.size() < 2
              ? QStringLiteral("expected %1").arg(names.value(0))
              : QStringLiteral("expected %1 or %2")
                    .arg(names.first(names.size() - 1).join(QLatin1String(", ")), names.last());
    return false;
}

bool ValueReaders::natsServers(const QString &text, QStringList &out, QString &why)
{
    QStringList urls;
    for (const QString &part : text.split(u',')) {
        const std::optional<QString> url = normalizeNatsUrl(part);
        if (!url) {
            why = QStringLiteral("'%1' is not a nats:// or tls:// URL").arg(part.trimmed());
            return false;
        }
        urls.append(*url);
    }
    out = urls;
    return true;
}

} // namespace Reservo
