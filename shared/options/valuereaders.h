// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace Reservo {

// Option text to values: false, with `why` ("expected ..."), when the text does not fit.
class ValueReaders
{
public:
    // A whole number in [min, max]; spaces around it are ignored.
    static bool integer(const QString &text, qint64 min, qint64 max, qint64 &out, QString &why);
    // A finite number in [min, max].
    static bool number(const QString &text, double min, double max, double &out, QString &why);
    // One of `names`, exactly: its index.
    static bool choice(const QString &text, const QStringList &names, qsizetype &index,
                       QString &why);
    // NATS_SERVER's syntax: comma-separated nats:// or tls:// URLs of one cluster; a bare
    // host:port gets nats://.
    static bool natsServers(const QString &text, QStringList &out, QString &why);
};

} // namespace Reservo
