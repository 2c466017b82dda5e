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
    void clientsConvergeToTheMapChangedDuringOutage();
};

void tst_NatsResync::clientsConvergeToTheMapChangedDuringOutage()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url(),
                           {{QStringLiteral("SNAPSHOT_RETRY_MAX_MS"), QStringLiteral("1000")}}),
             qPrintable(service.errorString()));
    const SimProcess::Options before{.events = 2, .seed = 61, .rate = 20, .count = 10};
    const SimProcess::Options during{
        .events = 2, .seed = 61, .initialOccupiedPercent = 60, .rate = 10, .count = 20};
    SimProcess sim;
    QVERIFY2(sim.start(nats.url(), before), qPrintable(sim.errorString()));
    const QStringList events = sim.eventIds();
    EventsProbe probe;
    QVERIFY2(probe.start(nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(events[0]), qPrintable(probe.errorString()));

    Watcher watchers[3];
    watchers[0].rooms = events;
    watchers[1].rooms = {events[0]};
    watchers[2].rooms = {events[1]};
    for (Watcher &w : watchers) {
        QVERIFY2(w.client.connectTo(service.socketUrl()), qPrintable(w.client.errorString()));
        for (const QString &room : w.rooms)
            QVERIFY(w.client.joinEventRoom(room));
    }
    QVERIFY2(sim.waitUntilPublished(before.count), qPrintable(sim.errorString()));
    QMap<QString, QMap<QString, QString>> truth;
    for (const QString &room : events) {
        const std::optional<QList<Seat>> seats = probe.seats(room);
        QVERIFY2(seats, qPrintable(probe.errorString()));
        truth.insert(room, seatMap(*seats));
    }
    for (const Watcher &w : watchers) {
        for (const QString &room : w.rooms)
            QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, w.client.events()).seats(), truth[room],
                                      Timeout);
    }
    QList<int> snapshotsBefore;
    for (const Watcher &w : watchers)
        snapshotsBefore.append(int(payloadsOf(w.client.events(), SnapshotEvent).size()));

    // The outage: the service notices, then the events service is replaced by one whose map
    // differs, all while NATS is down.
    QString error;
    const QList<QJsonObject> replacementMaps = SimProcess::describeEvents(during, &error);
    QVERIFY2(replacementMaps.size() == 2, qPrintable(error));
    for (qsizetype i = 0; i < events.size(); ++i)
        QVERIFY2(seatMap(replacementMaps[i]) != truth[events[i]], "the outage would hide nothing");
    QVERIFY2(nats.stop(), qPrintable(nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 503, Timeout);
    QVERIFY2(sim.stop(), qPrintable(sim.errorString()));
    SimProcess replacement;
    QVERIFY2(replacement.start(nats.url(), during), qPrintable(replacement.errorString()));
    QCOMPARE(replacement.eventIds(), events);

    QVERIFY2(nats.restart(), qPrintable(nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 200, Timeout);
    QVERIFY2(replacement.waitUntilPublished(during.count), qPrintable(replacement.errorString()));
    QVERIFY2(probe.waitUntilConnected(), qPrintable(probe.errorString()));
    for (const QString &room : events) {
        const std::optional<QList<Seat>> seats = probe.seats(room);
        QVERIFY2(seats, qPrintable(probe.errorString()));
        truth.insert(room, seatMap(*seats));
    }
    for (int i = 0; i < int(std::size(watchers)); ++i) {
        const Watcher &w = watchers[i];
        for (const QString &room : w.rooms) {
            QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, w.client.events()).seats(), truth[room],
                                      Timeout);
            QCOMPARE(RoomView::of(room, w.client.events()).problems(), QStringList());
        }
        QVERIFY(w.client.isConnected());
        // Converged through update-seat-status alone, as an old client must.
        QCOMPARE(payloadsOf(w.client.events(), SnapshotEvent).size(), snapshotsBefore[i]);
    }
    QVERIFY(service.metric("reservo_nats_reconnects_total") >= 1);
    service.printOutputIfFailed();
}

QTEST_GUILESS_MAIN(tst_NatsResync)
#include "tst_natsresync.moc"
