// SPDX-License-Identifier: MIT
#pragma once

#include "natsserverprocess.h"

#include <QList>
#include <QString>
#include <memory>
#include <vector>

namespace Reservo::Test {

// A real nats-server cluster on loopback: every node routes to every other, started together and
// awaited until the full mesh of routes is up, so a message published on one node reaches
// subscribers on any other. Nodes advertise no cluster members to clients: a client can only
// fail over to the nodes it was configured with, which is what a test of NATS_SERVER must see.
class NatsCluster
{
public:
    NatsCluster() = default;
    ~NatsCluster();
    NatsCluster(const NatsCluster &) = delete;
    NatsCluster &operator=(const NatsCluster &) = delete;

    // Starts `nodes` servers on free ports and waits until each has a route to every other.
    bool start(int nodes);
    void stop();

    int size() const { return int(m_nodes.size()); }
    NatsServerProcess &node(int index) { return *m_nodes[size_t(index)]; }
    // The client URLs of every node, comma-separated: what NATS_SERVER lists for the cluster.
    QString urls() const;
    // The node of every client connection with this name (natsOptions_SetName) open now, one
    // entry per connection; nodes that are down or do not answer (see errorString()) contribute
    // none.
    QList<int> nodesOf(const QString &connectionName);
    QString errorString() const { return m_error; }

private:
    bool launch(int nodes);
    bool waitUntilMeshed();
    int routeCount(int index);

    std::vector<std::unique_ptr<NatsServerProcess>> m_nodes;
    QString m_error;
};

} // namespace Reservo::Test
