// SPDX-License-Identifier: MIT
#include "eventsprobe.h"

#include "roomview.h"
#include "testhelpers.h"

#include <QTest>
#include <memory>

namespace Reservo::Test {

namespace {
QString statusText(NatsReply::Status status)
{
    switch (status) {
    case NatsReply::Status::Ok:
        return QStringLiteral("ok");
    case NatsReply::Status::Timeout:
        return QStringLiteral("timeout");
    case NatsReply::Status::NoResponders:
        return QStringLiteral("no responders");
    case NatsReply::Status::NotConnected:
        return QStringLiteral("not connected");
    }
    return QStringLiteral("unknown");
}
} // namespace

bool EventsProbe::start(const QString &natsUrl)
{
    if (!m_nats.start({natsUrl}, QStringLiteral("eventsprobe"))) {
        m_error = m_nats.errorString();
        return false;
    }
    return waitUntilConnected();
}

bool EventsProbe::waitUntilConnected()
{
    if (QTest::qWaitFor([this] { return m_nats.state() == NatsClient::State::Connected; }, Timeout))
        return true;
    m_error = QStringLiteral("the probe's NATS connection is not up within %1 ms").arg(Timeout);
    return false;
}

std::optional<QByteArray> EventsProbe::request(const QByteArray &subject, const QByteArray &payload)
{
    // Shared with the handler, which NatsClient calls exactly once, possibly after we gave up.
    const auto reply = std::make_shared<std::optional<NatsReply>>();
    m_nats.request(subject, payload, Timeout, [reply](const NatsReply &r) { *reply = r; });
    if (!QTest::qWaitFor([&] { return reply->has_value(); }, Timeout + 5000)) {
        m_error = QStringLiteral("%1: no outcome at all").arg(QString::fromLatin1(subject));
        return std::nullopt;
    }
    if ((*reply)->status != NatsReply::Status::Ok) {
        m_error = QStringLiteral("%1: %2").arg(QString::fromLatin1(subject),
                                               statusText((*reply)->status));
        return std::nullopt;
    }
    return (*reply)->payload;
}

std::optional<QMap<QString, QMap<QString, QString>>>
EventsProbe::seatMaps(const QStringList &eventIds)
{
    QMap<QString, QMap<QString, QString>> maps;
    for (const QString &eventId : eventIds) {
        const std::optional<QList<Seat>> list = seats(eventId);
        if (!list)
            return std::nullopt;
        maps.insert(eventId, seatMap(*list));
    }
    return maps;
}

std::optional<QList<Seat>> EventsProbe::seats(const QString &eventId)
{
    const std::optional<QByteArray> payload =
        request(NatsWire::EventByIdSubject, NatsWire::encodeEventByIdRequest(eventId, newId()));
    if (!payload)
        return std::nullopt;
    const auto parsed = NatsWire::parseEventByIdReply(*payload);
    if (!parsed || !parsed.value->value) {
        m_error = QStringLiteral("events.get.id %1: unexpected reply %2")
                      .arg(eventId, QString::fromUtf8(*payload));
        return std::nullopt;
    }
    return parsed.value->value->seats;
}

std::optional<QList<NatsWire::EventSummary>> EventsProbe::upcoming()
{
    const std::optional<QByteArray> payload =
        request(NatsWire::UpcomingSubject, NatsWire::encodeUpcomingRequest(newId()));
    if (!payload)
        return std::nullopt;
    const auto parsed = NatsWire::parseUpcomingReply(*payload);
    if (!parsed || !parsed.value->value) {
        m_error = QStringLiteral("events.get.upcoming: unexpected reply %1")
                      .arg(QString::fromUtf8(*payload));
        return std::nullopt;
    }
    return parsed.value->value;
}

bool EventsProbe::waitUntilAnswering(const QString &eventId)
{
    // One request at a time, asked again as soon as the last one failed (no responders comes
    // back at once while the sim is still subscribing).
    struct Poll
    {
        bool inFlight = false;
        bool answered = false;
        NatsReply::Status last = NatsReply::Status::NotConnected;
    };
    const auto poll = std::make_shared<Poll>();
    const auto ask = [&] {
        if (!poll->inFlight && !poll->answered) {
            poll->inFlight = true;
            m_nats.request(NatsWire::EventByIdSubject,
                           NatsWire::encodeEventByIdRequest(eventId, newId()), Timeout,
                           [poll](const NatsReply &reply) {
                               poll->inFlight = false;
                               poll->last = reply.status;
                               poll->answered = reply.status == NatsReply::Status::Ok;
                           });
        }
        return poll->answered;
    };
    if (QTest::qWaitFor(ask, Timeout))
        return true;
    m_error = QStringLiteral("events.get.id %1 not answered within %2 ms (last: %3)")
                  .arg(eventId)
                  .arg(Timeout)
                  .arg(statusText(poll->last));
    return false;
}

bool EventsProbe::publish(const QString &eventId, const QString &seatId, SeatState state)
{
    if (m_nats.publish(NatsWire::SeatUpdateSubject,
                       seatChangePayload(eventId, seatId, QString(seatStateName(state)))))
        return true;
    m_error = QStringLiteral("cannot publish on %1").arg(NatsWire::SeatUpdateSubject);
    return false;
}

} // namespace Reservo::Test
