// SPDX-License-Identifier: MIT
// Sequence numbers end to end: each change that alters a seat is broadcast with the room's seq
// +1, the seat's tag and the recovery offset; a change that alters nothing is not broadcast.
#include "eventsprobe.h"
#include "natsserverprocess.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QJsonArray>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString SnapshotEvent = QStringLiteral("room-snapshot");

// "<tag> <state> <seq>" of each update of one room: what a reader compares in a failure.
QStringList updateSummary(const TestSocketClient &client, const QString &eventId)
{
    QStringList summary;
    for (const QJsonObject &u : client.seatUpdates()) {
        if (u.value(QStringLiteral("eventId")).toString() == eventId)
            summary.append(QStringLiteral("%1 %2 %3")
                               .arg(u.value(QStringLiteral("tag")).toString(),
                                    u.value(QStringLiteral("state")).toString())
                               .arg(u.value(QStringLiteral("seq")).toInteger()));
    }
    return summary;
}
} // namespace

class tst_SeatSequence : public QObject
{
    Q_OBJECT

private slots:
    void seqCountsAppliedChangesOnly();
};

void tst_SeatSequence::seqCountsAppliedChangesOnly()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    SimProcess sim; // every seat AVAILABLE, no changes of its own
    QVERIFY2(sim.start(nats.url(), {.events = 2, .seed = 21}), qPrintable(sim.errorString()));
    const QString room = sim.eventIds().at(0);
    const QString other = sim.eventIds().at(1);
    EventsProbe probe;
    QVERIFY2(probe.start(nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(room), qPrintable(probe.errorString()));
    const std::optional<QList<Seat>> seats = probe.seats(room);
    const std::optional<QList<Seat>> otherSeats = probe.seats(other);
    QVERIFY2(seats && otherSeats, qPrintable(probe.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url()), qPrintable(service.errorString()));

    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    QVERIFY(client.joinEventRoom(room));
    QVERIFY(client.joinEventRoom(other));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(client.events(), SnapshotEvent).size(), 2, Timeout);

    const QString a11 = seats->at(0).id;
    const QString a12 = seats->at(1).id;
    const QString a13 = seats->at(2).id;
    const QList<std::pair<QString, SeatState>> changes{
        {a11, SeatState::Pending},   // seq 1
        {a11, SeatState::Pending},   // unchanged
        {a12, SeatState::Occupied},  // seq 2
        {a13, SeatState::Available}, // unchanged: AVAILABLE since the snapshot
        {a11, SeatState::Occupied},  // seq 3
        {a12, SeatState::Occupied},  // unchanged
        {a12, SeatState::Available}, // seq 4, and the last: nothing unchanged may follow it
    };
    for (const auto &[seat, state] : changes)
        QVERIFY2(probe.publish(room, seat, state), qPrintable(probe.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(updateSummary(client, room).size(), 4, Timeout);
    QCOMPARE(updateSummary(client, room),
             (QStringList{QStringLiteral("A11 PENDING 1"), QStringLiteral("A12 OCCUPIED 2"),
                          QStringLiteral("A11 OCCUPIED 3"), QStringLiteral("A12 AVAILABLE 4")}));
    QCOMPARE(service.metric("reservo_seat_updates_unchanged_total"), 3.0);

    // Each room counts on its own.
    QVERIFY2(probe.publish(other, otherSeats->at(14).id, SeatState::Pending),
             qPrintable(probe.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(updateSummary(client, other),
                              QStringList{QStringLiteral("C15 PENDING 1")}, Timeout);

    const RoomView view = RoomView::of(room, client.events());
    QCOMPARE(view.problems(), QStringList()); // keys, offsets rising, seq +1
    QCOMPARE(view.seq(), 4u);
    QCOMPARE(RoomView::of(other, client.events()).problems(), QStringList());

    // A later joiner starts from the same seq and map.
    TestSocketClient late;
    QVERIFY2(late.connectTo(service.socketUrl()), qPrintable(late.errorString()));
    QVERIFY(late.joinEventRoom(room));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(late.events(), SnapshotEvent).size(), 1, Timeout);
    const QJsonObject snapshot = payloadsOf(late.events(), SnapshotEvent).constFirst();
    QCOMPARE(snapshot.value(QStringLiteral("seq")), QJsonValue(4));
    QCOMPARE(seatMap(snapshot), view.seats());
    service.printOutputIfFailed();
}

QTEST_GUILESS_MAIN(tst_SeatSequence)
#include "tst_seatsequence.moc"
