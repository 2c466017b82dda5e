// SPDX-License-Identifier: MIT
#include "requestresponder.h"
#include "eventcatalogue.h"
#include "natswire.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace Reservo {

namespace {
SimReply badRequest(const QString &path, const QString &why)
{
    return {400, RequestResponder::encodeBadRequestReply(path, why), why};
}
} // namespace

SimReply RequestResponder::reply(const QByteArray &subject, const QByteArray &payload) const
{
    const QString path = QString::fromUtf8(subject);
    const NatsWire::Parsed<NatsWire::NestRequest> request = NatsWire::parseNestRequest(payload);
    if (!request)
        return badRequest(path, QStringLiteral("malformed request: %1").arg(request.detail));
    if (subject == NatsWire::EventByIdSubject)
        return eventById(path, request.value->data);
    if (subject == NatsWire::UpcomingSubject)
        return {200, NatsWire::encodeUpcomingReply(m_catalogue.summaries()), {}};
    return badRequest(path, QStringLiteral("no handler for %1").arg(path));
}

SimReply RequestResponder::eventById(const QString &path, const QJsonValue &data) const
{
    if (!NatsWire::isValidId(data))
        return badRequest(path, QStringLiteral("data must be an event id string"));
    const QString id = data.toString();
    if (const NatsWire::EventDetails *event = m_catalogue.find(id))
        return {200, NatsWire::encodeEventByIdReply(*event), {}};
    const QString message = QStringLiteral("Event %1 not found").arg(id);
    return {404, NatsWire::encodeNotFoundReply(path, message), message};
}

QByteArray RequestResponder::encodeBadRequestReply(const QString &path, const QString &message)
{
    const QJsonObject reply{
        {QStringLiteral("path"), path},
        {QStringLiteral("message"), message},
        {QStringLiteral("status"), QStringLiteral("BAD_REQUEST")},
        {QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("code"), 400}};
    return QJsonDocument(reply).toJson(QJsonDocument::Compact);
}

} // namespace Reservo
