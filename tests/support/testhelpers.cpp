// SPDX-License-Identifier: MIT
#include "testhelpers.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpServer>
#include <QUuid>

namespace Reservo::Test {

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QByteArray seatChangePayload(const QString &eventId, const QString &seatId, const QString &state)
{
    const QJsonObject change{{QStringLiteral("eventId"), eventId},
                             {QStringLiteral("seatId"), seatId},
                             {QStringLiteral("seatState"), state}};
    return QJsonDocument(change).toJson(QJsonDocument::Compact);
}

QStringList seatSummary(const QList<QJsonObject> &updates)
{
    QStringList summary;
    for (const QJsonObject &update : updates)
        summary.append(update.value(QStringLiteral("id")).toString() + u' ' +
                       update.value(QStringLiteral("state")).toString());
    return summary;
}

} // namespace Reservo::Test
