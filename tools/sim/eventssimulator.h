// SPDX-License-Identifier: MIT
#pragma once

#include "eventcatalogue.h"
#include "natsclient.h"
#include "ratepacer.h"
#include "requestresponder.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcSim)

namespace Reservo {

// Plays the events service on NATS: answers events.get.* from its catalogue and publishes seat
// changes at a steady rate, updating its own seat map first so later replies tell the truth.
class EventsSimulator : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        double rate = 2;      // changes per second across all events; 0: only answer
        qint64 count = -1;    // stop publishing after this many; -1: never
        int replyDelayMs = 0; // delay of every reply
        quint32 seed = 1;     // of the change stream
    };

    EventsSimulator(NatsClient *nats, EventCatalogue catalogue, const Settings &settings,
                    QObject *parent = nullptr);

    // Subscribes to the request subjects (call after NatsClient::start); changes are published
    // only while NATS is connected and the subscriptions are live.
    bool start();
    // Stops publishing; requests are still answered until NATS is drained.
    void stop();
    const EventCatalogue &catalogue() const { return m_catalogue; }
    qint64 published() const { return m_pacer.sent(); }

signals:
    void publishingFinished(qint64 changes);

private:
    void handleMessages(const QList<Reservo::NatsMessage> &messages);
    void handleStateChanged(Reservo::NatsClient::State state);
    void handleSubscriptionsReady();
    void handleTick();
    void publishChange();
    void answer(const NatsMessage &request);

    NatsClient *m_nats;
    EventCatalogue m_catalogue;
    RequestResponder m_responder{m_catalogue};
    RatePacer m_pacer;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
    QTimer m_ticker;
    int m_replyDelayMs;
    bool m_stopped = false;
};

} // namespace Reservo
