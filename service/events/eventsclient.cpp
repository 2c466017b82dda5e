// SPDX-License-Identifier: MIT
#include "eventsclient.h"

#include "serversession.h"

namespace Reservo {

namespace {
// How often remembered unknown events are checked for expiry (the metric's gauge follows).
constexpr int UnknownExpiryIntervalMs = 1000;

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
    : QObject(parent), m_nats(nats), m_options(options), m_queue(options.queue),
      m_unknown(options.unknown)
{
    m_clock.start();
    connect(&m_queue, &EventsRequestQueue::ready, this, &EventsClient::attempt);
    connect(&m_queue, &EventsRequestQueue::requestAbandoned, this,
            &EventsClient::handleRequestAbandoned);
    m_unknownExpiry.setInterval(UnknownExpiryIntervalMs);
    connect(&m_unknownExpiry, &QTimer::timeout, this, &EventsClient::handleUnknownExpiry);
}

void EventsClient::setStandingOf(EventsRequestQueue::StandingOf standingOf)
{
    m_queue.setStandingOf(std::move(standingOf));
}

bool EventsClient::isUnknown(const QString &eventId) const
{
    return m_unknown.contains(eventId, m_clock.elapsed());
}

void EventsClient::fetchEvent(const QString &eventId)
{
    Fetch &fetch = m_fetches[eventId];
    delete fetch.retry;
    fetch.retry = nullptr;
    fetch.backoffMs = m_options.retryInitialMs;
    enqueue(eventId);
}

void EventsClient::cancel(const QString &eventId)
{
    const Fetch fetch = m_fetches.take(eventId);
    delete fetch.retry;
    m_queue.remove(eventId);
}

void EventsClient::enqueue(const QString &eventId)
{
    if (m_queue.enqueue(eventId))
        return;
    QString suppressed;
    if (m_refusedLog.take(&suppressed))
        qCWarning(lcNats).noquote() << "events service request queue full: seat map of" << eventId
                                    << "waits for a retry" << suppressed;
    scheduleRetry(eventId, QStringLiteral("request queue full"));
}

void EventsClient::attempt(const QString &eventId)
{
    if (!m_fetches.contains(eventId)) {
        m_queue.finish(); // cancelled as it was handed out: nothing was sent
        return;
    }
    Fetch &fetch = m_fetches[eventId];
    fetch.generation = ++m_generation;
    const quint64 generation = fetch.generation;
    ++m_sent;
    emit fetchStarted(eventId);
    m_nats->request(NatsWire::EventByIdSubject,
                    NatsWire::encodeEventByIdRequest(eventId, randomId()),
                    m_options.requestTimeoutMs, [this, eventId, generation](const NatsReply &r) {
                        m_queue.finish();
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
        // A made-up id from a client, or an event not created yet: asked about again only
        // after UNKNOWN_EVENT_TTL_MS, and only if someone joins it then.
        if (parsed.value->status == QLatin1String("NOT_FOUND"))
            return rememberUnknown(eventId, parsed.value->message);
        return scheduleRetry(
            eventId, QStringLiteral("%1 %2").arg(parsed.value->status, parsed.value->message));
    }
    delete it->retry;
    m_fetches.remove(eventId);
    emit eventFetched(eventId, parsed.value->value->seats);
}

void EventsClient::rememberUnknown(const QString &eventId, const QString &why)
{
    const Fetch fetch = m_fetches.take(eventId);
    delete fetch.retry;
    m_unknown.insert(eventId, m_clock.elapsed());
    if (!m_unknownExpiry.isActive())
        m_unknownExpiry.start();
    QString suppressed;
    if (m_unknownLog.take(&suppressed))
        qCInfo(lcNats).noquote() << "unknown event" << eventId << "(" << why
                                 << "): its joins are refused for" << m_options.unknown.ttlMs
                                 << "ms" << suppressed;
    emit eventUnknown(eventId);
}

void EventsClient::handleUnknownExpiry()
{
    m_unknown.expire(m_clock.elapsed());
    if (m_unknown.isEmpty())
        m_unknownExpiry.stop();
}

void EventsClient::handleRequestAbandoned(const QString &eventId)
{
    const Fetch fetch = m_fetches.take(eventId);
    delete fetch.retry;
    QString suppressed;
    if (m_abandonedLog.take(&suppressed))
        qCInfo(lcNats).noquote() << "seat map of" << eventId
                                 << "not requested: its room has no members any more" << suppressed;
    emit fetchAbandoned(eventId);
}

void EventsClient::scheduleRetry(const QString &eventId, const QString &why)
{
    ++m_failed;
    Fetch &fetch = m_fetches[eventId];
    const QString line = QStringLiteral("seat map of %1 not fetched: %2 (retrying in %3 ms)")
                             .arg(eventId, why)
                             .arg(fetch.backoffMs);
    QString suppressed;
    // First failures loud (at most one line per interval, however many rooms fail), retries quiet.
    if (fetch.backoffMs == m_options.retryInitialMs && m_failureLog.take(&suppressed))
        qCWarning(lcNats).noquote() << line << suppressed;
    else
        qCDebug(lcNats).noquote() << line;
    if (!fetch.retry) {
        fetch.retry = new QTimer(this);
        fetch.retry->setSingleShot(true);
        connect(fetch.retry, &QTimer::timeout, this, [this, eventId] { enqueue(eventId); });
    }
    fetch.retry->start(fetch.backoffMs);
    fetch.backoffMs = std::min(fetch.backoffMs * 2, m_options.retryMaxMs);
    emit fetchFailed(eventId);
}

void EventsClient::listUpcoming(UpcomingHandler handler)
{
    // Answers, and failures too for a shorter while, are reused: however often clients ask,
    // the events service is asked at most once per cache period or request.
    const int cacheMs =
        m_upcomingCache ? m_options.upcomingCacheMs : m_options.upcomingFailureCacheMs;
    if (m_upcomingAge.isValid() && m_upcomingAge.elapsed() < cacheMs) {
        handler(m_upcomingCache, m_upcomingError);
        return;
    }
    if (m_upcomingWaiters.size() >= m_options.upcomingMaxWaiters) {
        handler(std::nullopt, QStringLiteral("too many requests for upcoming events"));
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
    m_upcomingCache = events;
    m_upcomingError = error;
    m_upcomingAge.start();
    if (!events)
        ++m_failed;
    const QList<UpcomingHandler> waiters = std::exchange(m_upcomingWaiters, {});
    for (const UpcomingHandler &h : waiters)
        h(events, error);
}

} // namespace Reservo
