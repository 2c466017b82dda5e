// SPDX-License-Identifier: MIT
#include "natscluster.h"

#include "testhelpers.h"

#include <QJsonArray>
#include <QTest>

namespace Reservo::Test {

namespace {
constexpr int StartAttempts = 3; // route ports are picked up front and may be taken meanwhile

QString routeUrl(quint16 port)
{
    return QStringLiteral("nats://127.0.0.1:%1").arg(port);
}
} // namespace

NatsCluster::~NatsCluster()
{
    stop();
}

bool NatsCluster::start(int nodes)
{
    for (int attempt = 0; attempt < StartAttempts; ++attempt) {
        if (launch(nodes) && waitUntilMeshed())
            return true;
        stop();
    }
    return false;
}

void NatsCluster::stop()
{
    for (const auto &node : m_nodes)
        node->stop();
    m_nodes.clear();
}

bool NatsCluster::launch(int nodes)
{
    QList<quint16> routePorts;
    for (int i = 0; i < nodes; ++i) {
        routePorts.append(freeLoopbackPort());
        if (routePorts.last() == 0) {
            m_error = QStringLiteral("no free loopback port for a route");
            return false;
        }
    }
    for (int i = 0; i < nodes; ++i) {
        NatsServerProcess::Options options;
        options.name = QStringLiteral("node-%1").arg(i);
        options.monitor = true;
        options.clusterName = QStringLiteral("reservo-test");
        options.routePort = routePorts[i];
        options.noAdvertise = true;
        for (int peer = 0; peer < nodes; ++peer) {
            if (peer != i)
                options.routes.append(routeUrl(routePorts[peer]));
        }
        m_nodes.push_back(std::make_unique<NatsServerProcess>(options));
        if (!m_nodes.back()->start()) {
            m_error = QStringLiteral("%1: %2").arg(options.name, m_nodes.back()->errorString());
            return false;
        }
    }
    return true;
}

int NatsCluster::routeCount(int index)
{
    const std::optional<QJsonObject> routez = node(index).monitor("/routez");
    return routez ? routez->value(QStringLiteral("num_routes")).toInt() : -1;
}

bool NatsCluster::waitUntilMeshed()
{
    const auto meshed = [this] {
        for (int i = 0; i < size(); ++i) {
            if (!node(i).isRunning() || routeCount(i) != size() - 1)
                return false;
        }
        return true;
    };
    if (QTest::qWaitFor(meshed, Timeout))
        return true;
    m_error = QStringLiteral("no full mesh of routes within %1 ms:").arg(Timeout);
    for (int i = 0; i < size(); ++i)
        m_error += QStringLiteral(" %1 has %2 route(s)%3;")
                       .arg(node(i).name())
                       .arg(routeCount(i))
                       .arg(node(i).isRunning() ? QString() : QStringLiteral(" (exited)"));
    return false;
}

QString NatsCluster::urls() const
{
    QStringList urls;
    for (const auto &node : m_nodes)
        urls.append(node->url());
    return urls.join(u',');
}

QList<int> NatsCluster::nodesOf(const QString &connectionName)
{
    QList<int> nodes;
    for (int i = 0; i < size(); ++i) {
        if (!node(i).isRunning())
            continue;
        const std::optional<QJsonObject> connz = node(i).monitor("/connz");
        if (!connz)
            m_error = node(i).name() + QStringLiteral(": ") + node(i).errorString();
        const QJsonArray connections =
            connz ? connz->value(QStringLiteral("connections")).toArray() : QJsonArray();
        for (const QJsonValue &connection : connections) {
            if (connection.toObject().value(QStringLiteral("name")).toString() == connectionName)
                nodes.append(i);
        }
    }
    return nodes;
}

} // namespace Reservo::Test
