// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>

namespace Reservo::Test {

// One real nats-server on a free loopback port: started and awaited until it accepts clients,
// stopped and restarted on the same port (to simulate an outage), killed with the fixture.
class NatsServerProcess
{
public:
    NatsServerProcess() = default;
    ~NatsServerProcess();
    NatsServerProcess(const NatsServerProcess &) = delete;
    NatsServerProcess &operator=(const NatsServerProcess &) = delete;

    // Finds the binary (NATS_SERVER_EXE, else PATH) and starts it on a free port. False, with
    // errorString(), when the binary is missing or the server never accepts: a failure, not a skip.
    bool start();
    // SIGTERM, then waits for the exit (SIGKILL if it does not come).
    bool stop();
    // Starts again on the same port, so clients configured with url() reconnect.
    bool restart();

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    QString url() const;
    QString errorString() const { return m_error; }
    QByteArray output();

private:
    bool findProgram();
    bool launch(quint16 port);
    bool acceptsClients() const;

    QProcess m_process;
    QString m_program;
    quint16 m_port = 0;
    QByteArray m_output;
    QString m_error;
};

} // namespace Reservo::Test
