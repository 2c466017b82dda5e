// SPDX-License-Identifier: MIT
#pragma once

#include "natsclient.h"
#include "natswire.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>
#include <functional>

namespace Reservo {

// The events service's request/reply API over NATS: fetches seat maps (`events.get.id`) with
// timeout and retry with backoff, and lists upcoming events (`events.get.upcoming`), briefly
// cached.
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
    };

    EventsClient(NatsClient *nats, const Options &options, QObject *parent = nullptr);

    // Fetches until it succeeds or cancel(eventId); each attempt announces itself first.
    void fetchEvent(const QString &eventId);
    void cancel(const QString &eventId);

    using UpcomingHandler = std::function<void(const std::optional<QList<NatsWire::EventSummary>> &,
                                               const QString &error)>;
    void listUpcoming(UpcomingHandler handler);

    quint64 failedRequests() const { return m_failed; }

signals:
    void fetchStarted(const QString &eventId);
    void eventFetched(const QString &eventId, const QList<Reservo::Seat> &seats);
    // An attempt failed; another follows after the backoff.
    void fetchFailed(const QString &eventId);

private:
    struct Fetch
    {
        quint64 generation = 0;
        int backoffMs = 0;
        QTimer *retry = nullptr;
    };

    void attempt(const QString &eventId);
    void handleEventReply(const QString &eventId, quint64 generation, const NatsReply &reply);
    void scheduleRetry(const QString &eventId, const QString &why);
    void finishUpcoming(const std::optional<QList<NatsWire::EventSummary>> &events,
                        const QString &error);

    NatsClient *m_nats;
    Options m_options;
    QHash<QString, Fetch> m_fetches;
    quint64 m_generation = 0;
    quint64 m_failed = 0;
    QList<UpcomingHandler> m_upcomingWaiters;
    std::optional<QList<NatsWire::EventSummary>> m_upcomingCache;
    QElapsedTimer m_upcomingAge;
};

} // namespace Reservo
