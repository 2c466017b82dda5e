// SPDX-License-Identifier: MIT
#pragma once

#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"

#include <QObject>
#include <memory>

namespace Reservo::Test {

// What the long-polling test cases share: one real nats-server for the whole case, a NATS
// publisher for seat changes when the case needs one, and a fresh reservo-ws per test with its
// own settings.
class PollingTestBase : public QObject
{
protected:
    // Starts nats-server and, with a name, a publisher connected to it; false (with a warning)
    // when either does not come up in time.
    bool startNats(const QString &publisherName = QString());
    bool startService(const ServiceProcess::Environment &env = {});
    void stopService() { m_service.reset(); } // prints its output if the test failed
    bool publish(const QString &eventId, const QString &seatId, const QString &state);
    quint16 port() const { return m_service->port(); }

    NatsServerProcess m_nats;
    NatsClient m_publisher;
    std::unique_ptr<ServiceProcess> m_service;
};

} // namespace Reservo::Test
