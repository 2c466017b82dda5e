// SPDX-License-Identifier: MIT
#include "eventssimulator.h"

Q_LOGGING_CATEGORY(lcSim, "reservo.sim", QtInfoMsg)

namespace Reservo {

namespace {
constexpr int TickMs = 10; // one timer for any rate: each tick publishes what is due
const QByteArray SeatUpdateSubject(NatsWire::SeatUpdateSubject);
} // namespace

EventsSimulator::EventsSimulator(NatsClient *nats, EventCatalogue catalogue,
                                 const Settings &settings, QObject *parent)
    : QObject(parent), m_nats(nats), m_catalogue(std::move(catalogue)),
      m_pacer(settings.rate, settings.count), m_random(settings.seed),
      m_replyDelayMs(settings.replyDelayMs)
{
    m_ticker.setInterval(TickMs);
    m_ticker.setTimerType(Qt::PreciseTimer);
    m_clock.start();
    connect(&m_ticker, &QTimer::timeout, this, &EventsSimulator::handleTick);
    connect(m_nats, &NatsClient::messagesReceived, this, &EventsSimulator::handleMessages);
    connect(m_nats, &NatsClient::stateChanged, this, &EventsSimulator::handleStateChanged);
    connect(m_nats, &NatsClient::subscriptionsReady, this,
            &EventsSimulator::handleSubscriptionsReady);
}

bool EventsSimulator::start()
{
    if (!m_nats->subscribe(NatsWire::EventByIdSubject) ||
        !m_nats->subscribe(NatsWire::UpcomingSubject)) {
        qCWarning(lcSim) << "cannot subscribe to the request subjects";
        return false;
    }
    return true;
}

void EventsSimulator::stop()
{
    m_stopped = true;
    m_ticker.stop();
}

void EventsSimulator::handleStateChanged(NatsClient::State state)
{
    if (state != NatsClient::State::Connected && m_ticker.isActive()) {
        qCInfo(lcSim) << "NATS not connected - pausing seat changes after" << m_pacer.sent();
        m_ticker.stop();
    }
}

void EventsSimulator::handleSubscriptionsReady()
{
    qCInfo(lcSim) << "answering" << NatsWire::EventByIdSubject << "and" << NatsWire::UpcomingSubject
                  << "for" << m_catalogue.events().size() << "events";
    if (m_stopped || m_pacer.isIdle() || m_ticker.isActive())
        return;
    qCInfo(lcSim) << "publishing seat changes at" << m_pacer.rate() << "per second";
    m_pacer.restart(m_clock.nsecsElapsed());
    m_ticker.start();
}

void EventsSimulator::handleTick()
{
    const qint64 due = m_pacer.take(m_clock.nsecsElapsed());
    for (qint64 i = 0; i < due; ++i)
        publishChange();
    if (m_pacer.isFinished()) {
        m_ticker.stop();
        qCInfo(lcSim) << "published" << m_pacer.sent() << "changes; still answering requests";
        emit publishingFinished(m_pacer.sent());
    }
}

void EventsSimulator::publishChange()
{
    const NatsWire::SeatChange change = m_catalogue.applyRandomChange(m_random);
    qCDebug(lcSim) << "seat" << change.seatId << "of event" << change.eventId << "->"
                   << seatStateName(change.state);
    m_nats->publish(SeatUpdateSubject, NatsWire::encodeSeatChange(change));
}

void EventsSimulator::handleMessages(const QList<NatsMessage> &messages)
{
    for (const NatsMessage &message : messages)
        answer(message);
}

void EventsSimulator::answer(const NatsMessage &request)
{
    if (request.reply.isEmpty()) {
        qCDebug(lcSim) << "ignoring" << request.subject << "message without a reply subject";
        return;
    }
    const SimReply reply = m_responder.reply(request.subject, request.payload);
    if (reply.code == 400)
        qCWarning(lcSim) << "bad" << request.subject << "request:" << reply.detail;
    else if (reply.code != 200)
        qCInfo(lcSim) << request.subject << reply.code << reply.detail;
    if (m_replyDelayMs <= 0) {
        m_nats->publish(request.reply, reply.payload);
        return;
    }
    // The snapshot is taken now and delivered late, like a slow events service.
    QTimer::singleShot(m_replyDelayMs, this, [this, to = request.reply, payload = reply.payload] {
        m_nats->publish(to, payload);
    });
}

} // namespace Reservo
