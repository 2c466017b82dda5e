// SPDX-License-Identifier: MIT
#pragma once

#include "childprocess.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo::Test {

// One real nats-server on a free loopback port: started and awaited until it accepts clients,
// stopped and restarted on the same port (to simulate an outage), killed with the fixture.
// Options make it one node of a cluster with a monitoring port (NatsCluster builds those).
class NatsServerProcess
{
public:
    struct Options
    {
        QString name;             // -n; empty: nats-server picks one
        bool monitor = false;     // -m on a free port: /varz, /connz, /routez for the test
        QString clusterName;      // --cluster_name
        quint16 routePort = 0;    // --cluster nats://127.0.0.1:<routePort>; 0: not clustered
        QStringList routes;       // --routes: the other nodes' route URLs
        bool noAdvertise = false; // --no_advertise: clients learn no other nodes from this one
    };

    NatsServerProcess() = default;
    explicit NatsServerProcess(const Options &options) : m_options(options) {}

    // Finds the binary (NATS_SERVER_EXE, else PATH) and starts it on a free port. False, with
    // errorString(), when the binary is missing or the server never accepts: a failure, not a skip.
    bool start();
    // SIGTERM, then waits for the exit (SIGKILL if it does not come); true once it has ended.
    bool stop();
    // SIGKILL: a crashed node, which says goodbye to no client and no route.
    bool kill();
    // Starts again on the same ports, so clients configured with url() reconnect.
    bool restart();

    bool isRunning() const { return m_process.isRunning(); }
    quint16 port() const { return m_port; }
    QString url() const;
    QString name() const { return m_options.name; }
    quint16 monitorPort() const { return m_monitorPort; }
    // A monitoring endpoint's JSON, e.g. "/connz" or "/routez"; nullopt (see errorString()) when
    // the server has no monitoring port or does not answer.
    std::optional<QJsonObject> monitor(const QByteArray &target);
    QString errorString() const { return m_error; }
    QByteArray output() { return m_process.output(); }

private:
    bool launch(quint16 port);
    QStringList arguments(quint16 port) const;
    bool acceptsClients() const;

    Options m_options;
    ChildProcess m_process{QStringLiteral("nats-server")};
    quint16 m_port = 0;
    quint16 m_monitorPort = 0;
    QString m_error;
};

} // namespace Reservo::Test
