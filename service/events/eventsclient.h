// SPDX-License-Identifier: MIT
#pragma once

#include "eventsrequestqueue.h"
#include "natsclient.h"
#include "natswire.h"
#include "ratelimitedlog.h"
#include "unknowneventcache.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>

namespace Reservo {

// The events service's request/reply API over NATS: fetches seat maps (`events.get.id`) through
// one bounded queue (EventsRequestQueue), with timeout and retry with backoff, remembers for a
// while the events it does not know, and lists upcoming events (`events.get.upcoming`), briefly
// cached, one request at a time.
class EventsClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int requestTimeoutMs = 5000;
        int retryInitialMs = 500;
        int retryMaxMs = 30000;
        int upcomingCacheMs = 2000;
        int upcomingFailureCacheMs = 1000;
        qsizetype upcomingMaxWaiters = 10000; // list-events waiting for one answer
        EventsRequestQueue::Options queue = {};
        UnknownEventCache::Options unknown = {};
    };

    EventsClient(NatsClient *nats, const Options &options, QObject *parent = nullptr);

    // Fetches until it succeeds, the events service does not know the event, or
    // cancel(eventId); each attempt waits its turn in the queue and announces itself first.
    void fetchEvent(const QString &eventId);
    void cancel(const QString &eventId);
    // Who needs each queued fetch (EventsRequestQueue::setStandingOf).
    void setStandingOf(EventsRequestQueue::StandingOf standingOf);
    // Whether the events service answered NOT_FOUND for it within UNKNOWN_EVENT_TTL_MS.
    bool isUnknown(const QString &eventId) const;

    using UpcomingHandler = std::function<void(const std::optional<QList<NatsWire::EventSummary>> &,
                                               const QString &error)>;
    void listUpcoming(UpcomingHandler handler);

    quint64 failedRequests() const { return m_failed; }
    quint64 sentRequests() const { return m_sent; }
    const EventsRequestQueue &queue() const { return m_queue; }
    int unknownEventCount() const { return m_unknown.size(); }

signals:
    void fetchStarted(const QString &eventId);
    void eventFetched(const QString &eventId, const QList<Reservo::Seat> &seats);
    // An attempt failed; another follows after the backoff.
    void fetchFailed(const QString &eventId);
    // The events service does not know the event: no more attempts.
    void eventUnknown(const QString &eventId);
    // Nobody needed the seat map any more when its turn in the queue came: no more attempts.
    void fetchAbandoned(const QString &eventId);

private:
    struct Fetch
    {
        quint64 generation = 0;
        int backoffMs = 0;
        QTimer *retry = nullptr;
    };

    void enqueue(const QString &eventId);
    void attempt(const QString &eventId);
    void handleEventReply(const QString &eventId, quint64 generation, const NatsReply &reply);
    void handleRequestAbandoned(const QString &eventId);
    void rememberUnknown(const QString &eventId, const QString &why);
    void handleUnknownExpiry();
    void scheduleRetry(const QString &eventId, const QString &why);
    void finishUpcoming(const std::optional<QList<NatsWire::EventSummary>> &events,
                        const QString &error);

    NatsClient *m_nats;
    Options m_options;
    EventsRequestQueue m_queue;
    QHash<QString, Fetch> m_fetches;
    quint64 m_generation = 0;
    quint64 m_failed = 0;
    quint64 m_sent = 0;
    UnknownEventCache m_unknown;
    QElapsedTimer m_clock; // the cache's times
    QTimer m_unknownExpiry;
    RateLimitedLog m_unknownLog;
    RateLimitedLog m_refusedLog;
    RateLimitedLog m_abandonedLog;
    RateLimitedLog m_failureLog;
    QList<UpcomingHandler> m_upcomingWaiters;
    std::optional<QList<NatsWire::EventSummary>> m_upcomingCache;
    QString m_upcomingError;
    QElapsedTimer m_upcomingAge;
};

} // namespace Reservo
