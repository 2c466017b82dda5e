// SPDX-License-Identifier: MIT
// Resync after a NATS outage, end to end: the seat map changes while reservo-ws cannot see it;
// once NATS is back the service refetches every active room and every client, old ones included,
// ends with the events service's exact map through ordinary `update-seat-status` messages.
//
// How the map changes unseen. The service reaches the events service only through the one
// nats-server, so while it is down the sim cannot publish anything, and after the restart the
// sim's and the service's reconnects race in an order the test does not control. So the test
// replaces the events service itself during the outage: a second sim with the same seed serves
// the same event and seat ids (they depend only on the seed) but starts from another map
// (--initial-occupied), and keeps changing it from the moment it is connected, racing the
// service's resubscription. The seats that differ from the start are changes no
// `update.seat.state` message will ever announce: only the refetch can bring them, so the test
// fails deterministically if the service does not refetch, and the racing stream checks that the
// refetch and live changes combine without loss.
#include "eventsprobe.h"
#include "natsserverprocess.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString SnapshotEvent = QStringLiteral("room-snapshot");

// seat map per event id
using Maps = QMap<QString, QMap<QString, QString>>;

// A client and the rooms it watches.
struct Watcher
{
    TestSocketClient client;
    QStringList rooms;
};
} // namespace

class tst_NatsResync : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void clientsConvergeToTheMapChangedDuringOutage();

private:
    void joinWatchers(const QStringList &events);
    // The events service's maps now; empty (and a failed test) if it does not answer.
    Maps readTruth(const QStringList &events);
    void expectConverged(const Maps &truth);
    void replaceEventsServiceDuringOutage(SimProcess &sim, SimProcess &replacement,
                                          const SimProcess::Options &options);

    NatsServerProcess m_nats;
    ServiceProcess m_service;
    EventsProbe m_probe;
    Watcher m_watchers[3];
};

void tst_NatsResync::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_service.start(m_nats.url(),
                             {{QStringLiteral("SNAPSHOT_RETRY_MAX_MS"), QStringLiteral("1000")}}),
             qPrintable(m_service.errorString()));
    QVERIFY2(m_probe.start(m_nats.url()), qPrintable(m_probe.errorString()));
}

void tst_NatsResync::cleanup()
{
    m_service.printOutputIfFailed();
}

void tst_NatsResync::joinWatchers(const QStringList &events)
{
    m_watchers[0].rooms = events;
    m_watchers[1].rooms = {events[0]};
    m_watchers[2].rooms = {events[1]};
    for (Watcher &w : m_watchers) {
        QVERIFY2(w.client.connectTo(m_service.socketUrl()), qPrintable(w.client.errorString()));
        for (const QString &room : w.rooms)
            QVERIFY(w.client.joinEventRoom(room));
    }
}

Maps tst_NatsResync::readTruth(const QStringList &events)
{
    const std::optional<Maps> truth = m_probe.seatMaps(events);
    if (!truth)
        QTest::qFail(qPrintable(m_probe.errorString()), __FILE__, __LINE__);
    return truth.value_or(Maps());
}

void tst_NatsResync::expectConverged(const Maps &truth)
{
    for (const Watcher &w : m_watchers) {
        for (const QString &room : w.rooms) {
            QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, w.client.events()).seats(), truth[room],
                                      Timeout);
            QCOMPARE(RoomView::of(room, w.client.events()).problems(), QStringList());
        }
        QVERIFY(w.client.isConnected());
    }
}

void tst_NatsResync::replaceEventsServiceDuringOutage(SimProcess &sim, SimProcess &replacement,
                                                      const SimProcess::Options &options)
{
    QVERIFY2(m_nats.stop(), qPrintable(m_nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_service.httpGet("/readyz").status, 503, Timeout);
    QVERIFY2(sim.stop(), qPrintable(sim.errorString()));
    QVERIFY2(replacement.start(m_nats.url(), options), qPrintable(replacement.errorString()));
    QCOMPARE(replacement.eventIds(), sim.eventIds());
    QVERIFY2(m_nats.restart(), qPrintable(m_nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_service.httpGet("/readyz").status, 200, Timeout);
}

void tst_NatsResync::clientsConvergeToTheMapChangedDuringOutage()
{
    const SimProcess::Options before{.events = 2, .seed = 61, .rate = 20, .count = 10};
    const SimProcess::Options during{
        .events = 2, .seed = 61, .initialOccupiedPercent = 60, .rate = 10, .count = 20};
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), before), qPrintable(sim.errorString()));
    const QStringList events = sim.eventIds();
    QVERIFY2(m_probe.waitUntilAnswering(events[0]), qPrintable(m_probe.errorString()));
    joinWatchers(events);
    QVERIFY2(sim.waitUntilPublished(before.count), qPrintable(sim.errorString()));
    const Maps truthBefore = readTruth(events);
    expectConverged(truthBefore);
    if (QTest::currentTestFailed())
        return;
    QList<qsizetype> snapshotsBefore;
    for (const Watcher &w : m_watchers)
        snapshotsBefore.append(payloadsOf(w.client.events(), SnapshotEvent).size());
    QString error;
    const QList<QJsonObject> replacementMaps = SimProcess::describeEvents(during, &error);
    QVERIFY2(replacementMaps.size() == 2, qPrintable(error));
    for (qsizetype i = 0; i < events.size(); ++i)
        QVERIFY2(seatMap(replacementMaps[i]) != truthBefore[events[i]], "the outage hides nothing");

    SimProcess replacement;
    replaceEventsServiceDuringOutage(sim, replacement, during);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(replacement.waitUntilPublished(during.count), qPrintable(replacement.errorString()));
    QVERIFY2(m_probe.waitUntilConnected(), qPrintable(m_probe.errorString()));
    expectConverged(readTruth(events));
    if (QTest::currentTestFailed())
        return;
    // Converged through update-seat-status alone, as an old client must.
    for (int i = 0; i < int(std::size(m_watchers)); ++i)
        QCOMPARE(payloadsOf(m_watchers[i].client.events(), SnapshotEvent).size(),
                 snapshotsBefore[i]);
    QVERIFY(m_service.metric("reservo_nats_reconnects_total") >= 1);
}

QTEST_GUILESS_MAIN(tst_NatsResync)
#include "tst_natsresync.moc"
