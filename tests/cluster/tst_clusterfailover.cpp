// SPDX-License-Identifier: MIT
// Scale-out, end to end: two reservo-ws instances behind an imaginary TCP load balancer share a
// three-node NATS cluster and nothing else. Clients of both instances watch two events while the
// events simulator publishes seat changes; the node one instance is connected to is killed in the
// middle. That instance must fail over to another node of its NATS_SERVER list, resubscribe,
// refetch its rooms and keep delivering; the other one must not notice. In the end every client
// on both instances holds the events service's exact seat map.
//
// Why this fails when failover is broken: the simulator keeps publishing through a node that
// survives, so the changes after the kill reach the instance only over a new NATS connection, and
// the test checks that publishing was still going on once that connection was up. The nodes
// advertise no cluster members (--no_advertise), so the instance cannot learn other nodes from
// the one it is on: only the configured list can bring it back, which is what is under test.
#include "eventsprobe.h"
#include "natscluster.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString ConnectionName = QStringLiteral("reservo-ws"); // how reservo-ws names itself to NATS
constexpr int Nodes = 3;
constexpr int Instances = 2;

QString nodeList(const QList<int> &nodes)
{
    QStringList names;
    for (int node : nodes)
        names.append(QString::number(node));
    return names.join(u',');
}

// seat map per event id
using Maps = QMap<QString, QMap<QString, QString>>;

// A client of one instance and the rooms it watches.
struct Watcher
{
    TestSocketClient client;
    int instance = 0;
    QStringList rooms;
};
} // namespace

class tst_ClusterFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void clientsOfBothInstancesConvergeAfterANodeDies();

private:
    void joinWatchers(const QStringList &events);
    bool everyRoomUpdated() const;
    Maps readTruth(const QStringList &events);
    void expectConverged(const Maps &truth);
    void killTheNodeOfInstanceA();

    NatsCluster m_cluster;
    ServiceProcess m_instances[Instances];
    int m_nodeOfA = -1; // the node instance A connected to: the one that dies
    int m_simNode = -1; // where the simulator and the probe connect: a node that survives
    EventsProbe m_probe;
    Watcher m_watchers[3 * Instances];
};

void tst_ClusterFailover::initTestCase()
{
    QVERIFY2(m_cluster.start(Nodes), qPrintable(m_cluster.errorString()));
    const ServiceProcess::Environment settings{
        {QStringLiteral("SNAPSHOT_RETRY_MAX_MS"), QStringLiteral("1000")}};
    // A starts alone, so the one connection named reservo-ws in the cluster is A's.
    QVERIFY2(m_instances[0].start(m_cluster.urls(), settings),
             qPrintable(m_instances[0].errorString()));
    QList<int> nodes;
    QVERIFY2(QTest::qWaitFor(
                 [&] { return (nodes = m_cluster.nodesOf(ConnectionName)).size() == 1; }, Timeout),
             "instance A's connection does not show in the cluster's /connz");
    m_nodeOfA = nodes.first();
    m_simNode = (m_nodeOfA + 1) % Nodes;
    QVERIFY2(m_instances[1].start(m_cluster.urls(), settings),
             qPrintable(m_instances[1].errorString()));
    QVERIFY2(m_probe.start(m_cluster.node(m_simNode).url()), qPrintable(m_probe.errorString()));
}

void tst_ClusterFailover::cleanup()
{
    for (ServiceProcess &instance : m_instances)
        instance.printOutputIfFailed();
    if (QTest::currentTestFailed()) {
        for (int i = 0; i < Nodes; ++i)
            qWarning().noquote() << m_cluster.node(i).name() << "output:\n"
                                 << QString::fromLocal8Bit(m_cluster.node(i).output());
    }
}

// Per instance: one client in both rooms, one in each room alone.
void tst_ClusterFailover::joinWatchers(const QStringList &events)
{
    for (int i = 0; i < int(std::size(m_watchers)); ++i) {
        Watcher &w = m_watchers[i];
        w.instance = i % Instances;
        const int kind = i / Instances;
        w.rooms = kind == 0 ? events : QStringList{events[kind - 1]};
        QVERIFY2(w.client.connectTo(m_instances[w.instance].socketUrl()),
                 qPrintable(w.client.errorString()));
        for (const QString &room : std::as_const(w.rooms))
            QVERIFY(w.client.joinEventRoom(room));
    }
}

bool tst_ClusterFailover::everyRoomUpdated() const
{
    for (const Watcher &w : m_watchers) {
        for (const QString &room : w.rooms) {
            if (RoomView::of(room, w.client.events()).updateCount() == 0)
                return false;
        }
    }
    return true;
}

Maps tst_ClusterFailover::readTruth(const QStringList &events)
{
    const std::optional<Maps> truth = m_probe.seatMaps(events);
    if (!truth)
        QTest::qFail(qPrintable(m_probe.errorString()), __FILE__, __LINE__);
    return truth.value_or(Maps());
}

void tst_ClusterFailover::expectConverged(const Maps &truth)
{
    for (const Watcher &w : m_watchers) {
        for (const QString &room : w.rooms) {
            QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, w.client.events()).seats(), truth[room],
                                      Timeout);
            QCOMPARE(RoomView::of(room, w.client.events()).problems(), QStringList());
        }
        QVERIFY2(w.client.isConnected(), qPrintable(QStringLiteral("a client of instance %1 "
                                                                   "was disconnected")
                                                        .arg(w.instance)));
    }
}

void tst_ClusterFailover::killTheNodeOfInstanceA()
{
    ServiceProcess &a = m_instances[0];
    QVERIFY2(m_cluster.node(m_nodeOfA).kill(), qPrintable(m_cluster.node(m_nodeOfA).errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(a.metric("reservo_nats_reconnects_total") >= 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(a.httpGet("/readyz").status, 200, Timeout);
    // Both instances' connections are on the surviving nodes now.
    QList<int> nodes;
    const auto onSurvivors = [&] {
        nodes = m_cluster.nodesOf(ConnectionName);
        return nodes.size() == Instances && !nodes.contains(m_nodeOfA);
    };
    QTRY_VERIFY2_WITH_TIMEOUT(onSurvivors(),
                              qPrintable(QStringLiteral("reservo-ws connections on nodes [%1]; "
                                                        "node-%2 died; %3")
                                             .arg(nodeList(nodes))
                                             .arg(m_nodeOfA)
                                             .arg(m_cluster.errorString())),
                              Timeout);
}

void tst_ClusterFailover::clientsOfBothInstancesConvergeAfterANodeDies()
{
    const SimProcess::Options options{.events = 2, .seed = 83, .rate = 40, .count = 300};
    SimProcess sim;
    QVERIFY2(sim.start(m_cluster.node(m_simNode).url(), options), qPrintable(sim.errorString()));
    const QStringList events = sim.eventIds();
    for (const QString &event : events)
        QVERIFY2(m_probe.waitUntilAnswering(event), qPrintable(m_probe.errorString()));
    joinWatchers(events);
    if (QTest::currentTestFailed())
        return;
    // Changes flow through both instances before anything fails.
    QTRY_VERIFY_WITH_TIMEOUT(everyRoomUpdated(), Timeout);
    QVERIFY2(!sim.hasFinishedPublishing(), "the simulator finished before the node died: raise "
                                           "its count");

    killTheNodeOfInstanceA();
    if (QTest::currentTestFailed())
        return;
    // Live changes, not only the refetch, must reach A's clients over its new connection.
    QVERIFY2(!sim.hasFinishedPublishing(), "the simulator finished before instance A was back: "
                                           "raise its count");

    QVERIFY2(sim.waitUntilPublished(options.count), qPrintable(sim.errorString()));
    const Maps truth = readTruth(events);
    QVERIFY2(sim.stop(), qPrintable(sim.errorString()));
    expectConverged(truth);
    if (QTest::currentTestFailed())
        return;
    for (ServiceProcess &instance : m_instances) {
        QVERIFY(instance.isRunning());
        QCOMPARE(instance.httpGet("/readyz").status, 200);
    }
    // Still a clean shutdown after a failover: going-away to clients, NATS drained, exit 0.
    for (ServiceProcess &instance : m_instances) {
        QVERIFY2(instance.stop(Timeout), qPrintable(instance.errorString()));
        QCOMPARE(instance.exitStatus(), QProcess::NormalExit);
        QCOMPARE(instance.exitCode(), 0);
    }
}

QTEST_GUILESS_MAIN(tst_ClusterFailover)
#include "tst_clusterfailover.moc"
