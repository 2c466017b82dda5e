// SPDX-License-Identifier: MIT
#include "eventsclient.h"

#include "serversession.h"

namespace Reservo {

namespace {
QString replyError(const NatsReply &reply)
{
    switch (reply.status) {
    case NatsReply::Status::Ok:
        return QString();
    case NatsReply::Status::Timeout:
        return QStringLiteral("events service did not answer in time");
    case NatsReply::Status::NoResponders:
        return QStringLiteral("no events service is listening");
    case NatsReply::Status::NotConnected:
        return QStringLiteral("NATS is not connected");
    }
    return QStringLiteral("unknown error");
}
} // namespace

EventsClient::EventsClient(NatsClient *nats, const Options &options, QObject *parent)
    : QObject(parent), m_nats(nats), m_options(options)
{
}

void EventsClient::fetchEvent(const QString &eventId)
{
    Fetch &fetch = m_fetches[eventId];
    delete fetch.retry;
    fetch.retry = nullptr;
    fetch.backoffMs = m_options.retryInitialMs;
    attempt(eventId);
}

void EventsClient::cancel(const QString &eventId)
{
    const Fetch fetch = m_fetches.take(eventId);
    delete fetch.retry;
}

void EventsClient::attempt(const QString &eventId)
{
    Fetch &fetch = m_fetches[eventId];
    fetch.generation = ++m_generation;
    const quint64 generation = fetch.generation;
    emit fetchStarted(eventId);
    m_nats->request(NatsWire::EventByIdSubject,
                    NatsWire::encodeEventByIdRequest(eventId, randomId()),
                    m_options.requestTimeoutMs, [this, eventId, generation](const NatsReply &r) {
                        handleEventReply(eventId, generation, r);
                    });
}

void EventsClient::handleEventReply(const QString &eventId, quint64 generation,
                                    const NatsReply &reply)
{
    const auto it = m_fetches.constFind(eventId);
    if (it == m_fetches.cend() || it->generation != generation)
        return; // cancelled or superseded
    if (reply.status != NatsReply::Status::Ok)
        return scheduleRetry(eventId, replyError(reply));
    const auto parsed = NatsWire::parseEventByIdReply(reply.payload);
    if (!parsed)
        return scheduleRetry(eventId, QStringLiteral("bad reply: %1").arg(parsed.detail));
    if (!parsed.value->value) {
        // An event the service does not know (a made-up id from a client, or one not created
        // yet) is asked about again only at the longest interval, not hammered with retries.
        if (parsed.value->status == QLatin1String("NOT_FOUND"))
            m_fetches[eventId].backoffMs =
                std::max(m_fetches[eventId].backoffMs, m_options.retryMaxMs);
        return scheduleRetry(
            eventId, QStringLiteral("%1 %2").arg(parsed.value->status, parsed.value->message));
    }
    delete it->retry;
    m_fetches.remove(eventId);
    emit eventFetched(eventId, parsed.value->value->seats);
}

void EventsClient::scheduleRetry(const QString &eventId, const QString &why)
{
    ++m_failed;
    Fetch &fetch = m_fetches[eventId];
    const QString line = QStringLiteral("seat map of %1 not fetched: %2 (retrying in %3 ms)")
                             .arg(eventId, why)
                             .arg(fetch.backoffMs);
    if (fetch.backoffMs == m_options.retryInitialMs) // first failure loud, retries quiet
        qCWarning(lcNats).noquote() << line;
    else
        qCDebug(lcNats).noquote() << line;
    if (!fetch.retry) {
        fetch.retry = new QTimer(this);
        fetch.retry->setSingleShot(true);
        connect(fetch.retry, &QTimer::timeout, this, [this, eventId] { attempt(eventId); });
    }
    fetch.retry->start(fetch.backoffMs);
    fetch.backoffMs = std::min(fetch.backoffMs * 2, m_options.retryMaxMs);
    emit fetchFailed(eventId);
}

void EventsClient::listUpcoming(UpcomingHandler handler)
{
    if (m_upcomingCache && m_upcomingAge.isValid() &&
        m_upcomingAge.elapsed() < m_options.upcomingCacheMs) {
        handler(m_upcomingCache, QString());
        return;
    }
    m_upcomingWaiters.append(std::move(handler));
    if (m_upcomingWaiters.size() > 1)
        return; // one request in flight serves every waiter
    m_nats->request(NatsWire::UpcomingSubject, NatsWire::encodeUpcomingRequest(randomId()),
                    m_options.requestTimeoutMs, [this](const NatsReply &reply) {
                        if (reply.status != NatsReply::Status::Ok)
                            return finishUpcoming(std::nullopt, replyError(reply));
                        const auto parsed = NatsWire::parseUpcomingReply(reply.payload);
                        if (!parsed)
                            return finishUpcoming(std::nullopt, parsed.detail);
                        if (!parsed.value->value)
                            return finishUpcoming(std::nullopt, parsed.value->message);
                        finishUpcoming(parsed.value->value, QString());
                    });
}

void EventsClient::finishUpcoming(const std::optional<QList<NatsWire::EventSummary>> &events,
                                  const QString &error)
{
    if (events) {
        m_upcomingCache = events;
        m_upcomingAge.start();
    } else {
        ++m_failed;
    }
    const QList<UpcomingHandler> waiters = std::exchange(m_upcomingWaiters, {});
    for (const UpcomingHandler &h : waiters)
        h(events, error);
}

} // namespace Reservo
