// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace Reservo {

class EventCatalogue;

// The answer to one request: the reply payload and its status code, for logging.
struct SimReply
{
    int code = 200;
    QByteArray payload;
    QString detail; // why, when code is not 200
};

// Answers `events.get.id` and `events.get.upcoming` from the catalogue's current state, with the
// events service's exact reply formats. Pure: no NATS, no timers.
class RequestResponder
{
public:
    explicit RequestResponder(const EventCatalogue &catalogue) : m_catalogue(catalogue) {}

    SimReply reply(const QByteArray &subject, const QByteArray &payload) const;
    // The events service's error reply for a request it cannot read.
    static QByteArray encodeBadRequestReply(const QString &path, const QString &message);

private:
    SimReply eventById(const QString &path, const QJsonValue &data) const;

    const EventCatalogue &m_catalogue;
};

} // namespace Reservo
