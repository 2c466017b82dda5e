// SPDX-License-Identifier: MIT
#include "eventlookup.h"

#include "natsclient.h"

#include <QTimer>
#include <QUuid>

namespace Reservo::Bench {

namespace {
constexpr int RequestTimeoutMs = 10000; // a 5,000-seat reply is 462 KB
constexpr int RetryMs = 200;

QString requestId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

EventLookup::EventLookup(NatsClient *nats, const QString &eventId, int deadlineMs, Done done,
                         QObject *parent)
    : QObject(parent), m_nats(nats), m_eventId(eventId), m_deadlineMs(deadlineMs),
      m_done(std::move(done))
{
}

void EventLookup::start()
{
    if (std::exchange(m_started, true))
        return;
    m_since.start();
    ask();
}

void EventLookup::ask()
{
    if (m_eventId.isEmpty())
        return m_nats->request(NatsWire::UpcomingSubject,
                               NatsWire::encodeUpcomingRequest(requestId()), RequestTimeoutMs,
                               [this](const NatsReply &reply) { handleUpcoming(reply); });
    m_nats->request(NatsWire::EventByIdSubject,
                    NatsWire::encodeEventByIdRequest(m_eventId, requestId()), RequestTimeoutMs,
                    [this](const NatsReply &reply) { handleEvent(reply); });
}

void EventLookup::handleUpcoming(const NatsReply &reply)
{
    if (reply.status != NatsReply::Status::Ok)
        return retryOrFail(reply, QStringLiteral("events.get.upcoming"));
    const auto parsed = NatsWire::parseUpcomingReply(reply.payload);
    if (!parsed || !parsed.value->value)
        return finish(nullptr, QStringLiteral("events.get.upcoming: %1")
                                   .arg(parsed ? parsed.value->message : parsed.detail));
    if (parsed.value->value->isEmpty())
        return finish(nullptr, QStringLiteral("events.get.upcoming lists no event"));
    m_eventId = parsed.value->value->first().id;
    ask();
}

void EventLookup::handleEvent(const NatsReply &reply)
{
    if (reply.status != NatsReply::Status::Ok)
        return retryOrFail(reply, QStringLiteral("events.get.id %1").arg(m_eventId));
    const auto parsed = NatsWire::parseEventByIdReply(reply.payload);
    if (!parsed || !parsed.value->value)
        return finish(nullptr, QStringLiteral("events.get.id %1: %2")
                                   .arg(m_eventId,
                                        parsed ? parsed.value->status + u' ' + parsed.value->message
                                               : parsed.detail));
    finish(&*parsed.value->value, QString());
}

void EventLookup::retryOrFail(const NatsReply &reply, const QString &what)
{
    const bool notYet = reply.status == NatsReply::Status::NoResponders ||
                        reply.status == NatsReply::Status::NotConnected;
    if (notYet && m_since.elapsed() + RetryMs < m_deadlineMs) {
        QTimer::singleShot(RetryMs, this, &EventLookup::ask);
        return;
    }
    // A reply over nats-server's max_payload is never delivered: the request times out.
    const QString why =
        reply.status == NatsReply::Status::Timeout
            ? QStringLiteral("no answer within %1 ms (is the reply larger than "
                             "nats-server's max_payload?)")
                  .arg(RequestTimeoutMs)
            : QStringLiteral("no events service answers (start reservo-events-sim)");
    finish(nullptr, QStringLiteral("%1: %2").arg(what, why));
}

void EventLookup::finish(const NatsWire::EventDetails *event, const QString &error)
{
    if (m_done)
        std::exchange(m_done, {})(event, error);
}

} // namespace Reservo::Bench
