// SPDX-License-Identifier: MIT
#include "pollingtestbase.h"

#include "testhelpers.h"

#include <QTest>

namespace Reservo::Test {

namespace {
const QByteArray SeatSubject = "update.seat.state";
} // namespace

bool PollingTestBase::startNats(const QString &publisherName)
{
    if (!m_nats.start()) {
        qWarning().noquote() << m_nats.errorString();
        return false;
    }
    if (publisherName.isEmpty())
        return true;
    if (!m_publisher.start({m_nats.url()}, publisherName)) {
        qWarning().noquote() << m_publisher.errorString();
        return false;
    }
    if (QTest::qWaitFor([this] { return m_publisher.state() == NatsClient::State::Connected; },
                        Timeout))
        return true;
    qWarning() << "the NATS publisher did not connect";
    return false;
}

bool PollingTestBase::startService(const ServiceProcess::Environment &env)
{
    m_service = std::make_unique<ServiceProcess>();
    if (m_service->start(m_nats.url(), env))
        return true;
    qWarning().noquote() << m_service->errorString();
    return false;
}

bool PollingTestBase::publish(const QString &eventId, const QString &seatId, const QString &state)
{
    return m_publisher.publish(SeatSubject, seatChangePayload(eventId, seatId, state));
}

} // namespace Reservo::Test
