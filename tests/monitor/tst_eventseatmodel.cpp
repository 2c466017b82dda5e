// SPDX-License-Identifier: MIT
// EventSeatModel: snapshots, updates in and out of sequence, counts, and when it can be trusted.
#include "eventseatmodel.h"

#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;
using Sync = EventSeatModel::SyncState;
using Result = EventSeatModel::UpdateResult;

namespace {
const QString EventId = QStringLiteral("event-1");

RoomSnapshot seedSnapshot(qint64 seq, SeatState state = SeatState::Available)
{
    RoomSnapshot snapshot{EventId, seq, {}, 2, true};
    for (const QString &row : {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")})
        for (int n = 11; n <= 15; ++n)
            snapshot.seats.append(
                {QStringLiteral("id-%1%2").arg(row).arg(n), row + QString::number(n), state});
    return snapshot;
}

SeatUpdate update(const QString &seatId, SeatState state, std::optional<qint64> seq = {},
                  const QString &tag = {})
{
    return SeatUpdate{EventId, seatId, state, tag, seq};
}
} // namespace

class tst_EventSeatModel : public QObject
{
    Q_OBJECT

private slots:
    void snapshotSetsSeatsCountsSeqAndViewers();
    void updatesChangeCounts();
    void sequenceHandling_data();
    void sequenceHandling();
    void resyncSnapshotChangesOnlyWhatDiffers();
    void updatesWithoutSnapshotLearnSeats();
    void tagFromUpdateRelabelsSeat();
    void connectionLossIsStaleUntilSnapshot();
    void olderServerStaysStaleAfterReconnect();
    void incompleteSnapshotIsNotInSync();
    void refusedJoin();
    void heldPosition_data();
    void heldPosition();
    void resumedJoinCatchesUp_data();
    void resumedJoinCatchesUp();
    void resumeWithoutHeldMapResyncs();
};

void tst_EventSeatModel::snapshotSetsSeatsCountsSeqAndViewers()
{
    EventSeatModel model(EventId);
    QSignalSpy reset(&model, &EventSeatModel::seatsReset);
    QCOMPARE(model.syncState(), Sync::Joining);
    RoomSnapshot snapshot = seedSnapshot(7);
    snapshot.seats[0].state = SeatState::Occupied;
    snapshot.seats[1].state = SeatState::Pending;
    model.markJoined();
    QCOMPARE(model.syncState(), Sync::AwaitingSnapshot);
    model.applySnapshot(snapshot);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.seats().size(), 15);
    QCOMPARE(model.count(SeatState::Available), 13);
    QCOMPARE(model.count(SeatState::Pending), 1);
    QCOMPARE(model.count(SeatState::Occupied), 1);
    QCOMPARE(model.seq(), 7);
    QCOMPARE(model.viewers(), 2);
    QCOMPARE(model.syncState(), Sync::Live);
    QVERIFY(model.isInSync());
    QVERIFY(model.syncDetail().isEmpty());
}

void tst_EventSeatModel::updatesChangeCounts()
{
    EventSeatModel model(EventId);
    model.applySnapshot(seedSnapshot(0));
    QSignalSpy changed(&model, &EventSeatModel::seatChanged);
    QCOMPARE(model.applyUpdate(update("id-A11", SeatState::Pending, 1)), Result::Applied);
    QCOMPARE(model.applyUpdate(update("id-A11", SeatState::Occupied, 2)), Result::Applied);
    QCOMPARE(model.applyUpdate(update("id-B12", SeatState::Pending, 3)), Result::Applied);
    QCOMPARE(model.applyUpdate(update("id-B12", SeatState::Pending, 4)), Result::Unchanged);
    QCOMPARE(changed.size(), 3);
    QCOMPARE(changed[1][0].toInt(), model.indexOf("id-A11"));
    QCOMPARE(changed[1][1].value<std::optional<SeatState>>(), SeatState::Pending);
    QCOMPARE(model.count(SeatState::Available), 13);
    QCOMPARE(model.count(SeatState::Pending), 1);
    QCOMPARE(model.count(SeatState::Occupied), 1);
    QCOMPARE(model.seq(), 4);
    QVERIFY(model.changedAtMs(model.indexOf("id-A11")) > 0);
    QCOMPARE(model.changedAtMs(model.indexOf("id-C15")), 0);
}

void tst_EventSeatModel::sequenceHandling_data()
{
    QTest::addColumn<QList<qint64>>("seqs"); // after a snapshot at seq 10; -1: no seq
    QTest::addColumn<QList<int>>("results");
    QTest::addColumn<qint64>("finalSeq");
    QTest::addColumn<bool>("stale");
    QTest::addColumn<int>("resyncs");

    const int applied = int(Result::Applied), duplicate = int(Result::Duplicate),
              gap = int(Result::Gap);
    QTest::newRow("in sequence") << QList<qint64>{11, 12, 13}
                                 << QList<int>{applied, applied, applied} << 13LL << false << 0;
    QTest::newRow("duplicate ignored")
        << QList<qint64>{11, 11} << QList<int>{applied, duplicate} << 11LL << false << 0;
    QTest::newRow("older than the snapshot ignored")
        << QList<qint64>{9, 10} << QList<int>{duplicate, duplicate} << 10LL << false << 0;
    QTest::newRow("gap: applied, stale, one resync")
        << QList<qint64>{12, 13, 17} << QList<int>{gap, applied, gap} << 17LL << true << 1;
    QTest::newRow("no seq from an older server")
        << QList<qint64>{-1, -1} << QList<int>{applied, applied} << 10LL << false << 0;
}

void tst_EventSeatModel::sequenceHandling()
{
    QFETCH(QList<qint64>, seqs);
    QFETCH(QList<int>, results);
    QFETCH(qint64, finalSeq);
    QFETCH(bool, stale);
    QFETCH(int, resyncs);
    EventSeatModel model(EventId);
    model.applySnapshot(seedSnapshot(10));
    QSignalSpy resync(&model, &EventSeatModel::resyncNeeded);
    SeatState state = SeatState::Available;
    for (int i = 0; i < seqs.size(); ++i) {
        state = state == SeatState::Available ? SeatState::Occupied : SeatState::Available;
        const std::optional<qint64> seq = seqs[i] < 0 ? std::nullopt : std::optional(seqs[i]);
        const Result result = model.applyUpdate(update("id-A11", state, seq));
        QCOMPARE(int(result), results[i]);
        if (result == Result::Duplicate) // not applied: the next one must still change the seat
            state = state == SeatState::Available ? SeatState::Occupied : SeatState::Available;
    }
    QCOMPARE(model.seq(), finalSeq);
    QCOMPARE(model.syncState() == Sync::Stale, stale);
    QCOMPARE(resync.size(), resyncs);
    if (stale)
        QVERIFY(model.syncDetail().contains(QStringLiteral("Missed")));
}

void tst_EventSeatModel::resyncSnapshotChangesOnlyWhatDiffers()
{
    EventSeatModel model(EventId);
    model.applySnapshot(seedSnapshot(10));
    model.applyUpdate(update("id-A11", SeatState::Pending, 13)); // a gap: stale
    QCOMPARE(model.syncState(), Sync::Stale);
    QSignalSpy reset(&model, &EventSeatModel::seatsReset);
    QSignalSpy changed(&model, &EventSeatModel::seatChanged);
    RoomSnapshot fresh = seedSnapshot(20);
    fresh.seats[5].state = SeatState::Occupied; // B11, changed while we missed updates
    model.applySnapshot(fresh);
    QCOMPARE(model.syncState(), Sync::Live);
    QCOMPARE(reset.size(), 0);   // same seats: no relayout
    QCOMPARE(changed.size(), 2); // A11 back to available, B11 occupied
    QVERIFY(changed[0][2].toBool());
    QCOMPARE(model.seq(), 20);
    QCOMPARE(model.applyUpdate(update("id-A12", SeatState::Pending, 20)), Result::Duplicate);
    QCOMPARE(model.applyUpdate(update("id-A12", SeatState::Pending, 21)), Result::Applied);
}

void tst_EventSeatModel::updatesWithoutSnapshotLearnSeats()
{
    EventSeatModel model(EventId);
    model.markJoined();
    model.markNoSnapshot();
    QCOMPARE(model.syncState(), Sync::Partial);
    QVERIFY(model.isInSync());
    QVERIFY(model.syncDetail().contains(QStringLiteral("No snapshot from server")));
    QSignalSpy reset(&model, &EventSeatModel::seatsReset);
    QSignalSpy changed(&model, &EventSeatModel::seatChanged);
    QCOMPARE(model.applyUpdate(update("s1", SeatState::Pending)), Result::Applied);
    QCOMPARE(model.applyUpdate(update("s2", SeatState::Occupied, 5)), Result::Applied);
    // No snapshot anchors the seq, so an older one still applies: nothing can be judged stale.
    QCOMPARE(model.applyUpdate(update("s1", SeatState::Occupied, 3)), Result::Applied);
    QCOMPARE(reset.size(), 2);
    QCOMPARE(changed.size(), 3);
    QVERIFY(!changed[0][1].value<std::optional<SeatState>>().has_value()); // a new seat
    QCOMPARE(model.seats().size(), 2);
    QCOMPARE(model.count(SeatState::Occupied), 2);
    QCOMPARE(model.syncState(), Sync::Partial);
}

void tst_EventSeatModel::tagFromUpdateRelabelsSeat()
{
    EventSeatModel model(EventId);
    model.applyUpdate(update("s1", SeatState::Pending));
    QSignalSpy reset(&model, &EventSeatModel::seatsReset);
    model.applyUpdate(update("s1", SeatState::Pending, {}, QStringLiteral("B7")));
    QCOMPARE(model.seats()[0].tag, QStringLiteral("B7"));
    QCOMPARE(reset.size(), 1);
}

void tst_EventSeatModel::connectionLossIsStaleUntilSnapshot()
{
    EventSeatModel model(EventId);
    model.applySnapshot(seedSnapshot(3));
    model.markConnectionLost(QStringLiteral("Connection refused"));
    QCOMPARE(model.syncState(), Sync::Stale);
    QVERIFY(!model.isInSync());
    QVERIFY(model.syncDetail().contains(QStringLiteral("Connection refused")));
    QCOMPARE(model.seats().size(), 15); // the last known state stays on screen
    model.markJoining();
    model.markJoined();
    QCOMPARE(model.syncState(), Sync::Stale);
    // A restarted server counts from 0 again: the new snapshot's seq is taken as it is.
    model.applySnapshot(seedSnapshot(0));
    QCOMPARE(model.syncState(), Sync::Live);
    QCOMPARE(model.seq(), 0);
    QCOMPARE(model.applyUpdate(update("id-A11", SeatState::Pending, 1)), Result::Applied);
}

void tst_EventSeatModel::olderServerStaysStaleAfterReconnect()
{
    EventSeatModel model(EventId);
    model.markJoined();
    model.markNoSnapshot();
    model.applyUpdate(update("s1", SeatState::Pending));
    model.markConnectionLost(QStringLiteral("closed"));
    model.markJoined();
    model.markNoSnapshot();
    QCOMPARE(model.syncState(), Sync::Stale);
    QVERIFY(model.syncDetail().contains(QStringLiteral("may be missing")));
}

void tst_EventSeatModel::incompleteSnapshotIsNotInSync()
{
    EventSeatModel model(EventId);
    model.applyUpdate(update("s1", SeatState::Occupied, {}, QStringLiteral("Z9")));
    RoomSnapshot partial{EventId, 4, {{"s2", "A1", SeatState::Pending}}, 1, false};
    model.applySnapshot(partial);
    QCOMPARE(model.syncState(), Sync::Partial);
    QVERIFY(!model.isInSync());
    QCOMPARE(model.seats().size(), 2); // what the monitor knew stays
    model.applySnapshot(seedSnapshot(5));
    QCOMPARE(model.syncState(), Sync::Live);
    QCOMPARE(model.seats().size(), 15);
}

void tst_EventSeatModel::refusedJoin()
{
    EventSeatModel model(EventId);
    model.markRefused(QStringLiteral("eventId must be at most 128 characters"));
    QCOMPARE(model.syncState(), Sync::Refused);
    QVERIFY(model.syncDetail().contains(QStringLiteral("128")));
    QVERIFY(!model.isInSync());
}

void tst_EventSeatModel::heldPosition_data()
{
    // Steps: "snapshot:<seq>:<epoch>" (complete), "partial:<seq>:<epoch>", "update:<seq>" (a
    // change of A11), "lost" (connection lost), "joining".
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("expected"); // "<epoch>/<seq>"; empty: none

    QTest::newRow("no snapshot") << QStringList{"update:4"} << "";
    QTest::newRow("complete snapshot") << QStringList{"snapshot:7:ep1"} << "ep1/7";
    QTest::newRow("older server: no epoch") << QStringList{"snapshot:7:"} << "";
    QTest::newRow("incomplete snapshot") << QStringList{"partial:7:ep1"} << "";
    QTest::newRow("updates in sequence")
        << QStringList{"snapshot:7:ep1", "update:8", "update:9"} << "ep1/9";
    QTest::newRow("duplicate and older updates")
        << QStringList{"snapshot:7:ep1", "update:8", "update:8", "update:6"} << "ep1/8";
    QTest::newRow("a gap: where the map was last whole")
        << QStringList{"snapshot:7:ep1", "update:8", "update:11", "update:12"} << "ep1/8";
    QTest::newRow("connection lost and joining keep it")
        << QStringList{"snapshot:7:ep1", "update:8", "lost", "joining"} << "ep1/8";
    QTest::newRow("a new snapshot after a gap")
        << QStringList{"snapshot:7:ep1", "update:9", "snapshot:20:ep2", "update:21"} << "ep2/21";
}

void tst_EventSeatModel::heldPosition()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, expected);
    EventSeatModel model(EventId);
    SeatState state = SeatState::Available;
    for (const QString &step : std::as_const(steps)) {
        const QStringList parts = step.split(u':');
        if (parts[0] == QLatin1String("snapshot") || parts[0] == QLatin1String("partial")) {
            RoomSnapshot snapshot = seedSnapshot(parts[1].toLongLong());
            snapshot.epoch = parts[2];
            snapshot.complete = parts[0] == QLatin1String("snapshot");
            model.applySnapshot(snapshot);
        } else if (parts[0] == QLatin1String("update")) {
            state = state == SeatState::Available ? SeatState::Pending : SeatState::Available;
            model.applyUpdate(update("id-A11", state, parts[1].toLongLong()));
        } else if (parts[0] == QLatin1String("lost")) {
            model.markConnectionLost(QStringLiteral("closed"));
        } else {
            model.markJoining();
        }
    }
    const auto held = model.heldPosition();
    QCOMPARE(held ? QStringLiteral("%1/%2").arg(held->epoch).arg(held->seq) : QString(), expected);
}

void tst_EventSeatModel::resumedJoinCatchesUp_data()
{
    QTest::addColumn<bool>("gap"); // a gap before the connection was lost (13 missed)
    QTest::addColumn<qint64>("roomSeq");

    QTest::newRow("connection lost at 12, room at 15") << false << 15LL;
    QTest::newRow("nothing missed") << false << 12LL;
    QTest::newRow("gap at 13, lost at 14, room at 15") << true << 15LL;
}

void tst_EventSeatModel::resumedJoinCatchesUp()
{
    QFETCH(bool, gap);
    QFETCH(qint64, roomSeq);
    EventSeatModel model(EventId);
    RoomSnapshot snapshot = seedSnapshot(10);
    snapshot.epoch = QStringLiteral("ep1");
    model.applySnapshot(snapshot);
    model.applyUpdate(update("id-A11", SeatState::Pending, 11));
    model.applyUpdate(update("id-A12", SeatState::Pending, 12));
    if (gap)
        model.applyUpdate(update("id-A14", SeatState::Occupied, 14));
    model.markConnectionLost(QStringLiteral("closed"));
    model.markJoining();
    model.markJoined();
    QCOMPARE(model.heldPosition(), (RoomPosition{QStringLiteral("ep1"), 12}));

    model.markResumed(roomSeq);
    QCOMPARE(model.seq(), 12);
    if (roomSeq == 12) {
        QCOMPARE(model.syncState(), Sync::Live);
        return;
    }
    QCOMPARE(model.syncState(), Sync::AwaitingSnapshot);
    QVERIFY(!model.isInSync());
    QVERIFY2(model.syncDetail().contains(QStringLiteral("seq 15")), qPrintable(model.syncDetail()));
    // The server replays 13..15 in order, 14 again after a gap: it is applied as any other.
    QCOMPARE(model.applyUpdate(update("id-A13", SeatState::Occupied, 13)), Result::Applied);
    QCOMPARE(model.applyUpdate(update("id-A14", SeatState::Occupied, 14)),
             gap ? Result::Unchanged : Result::Applied);
    QCOMPARE(model.syncState(), Sync::AwaitingSnapshot);
    QCOMPARE(model.applyUpdate(update("id-A15", SeatState::Pending, 15)), Result::Applied);
    QCOMPARE(model.syncState(), Sync::Live);
    QCOMPARE(model.heldPosition(), (RoomPosition{QStringLiteral("ep1"), 15}));
    QCOMPARE(model.count(SeatState::Pending), 3);
    QCOMPARE(model.count(SeatState::Occupied), 2);
}

void tst_EventSeatModel::resumeWithoutHeldMapResyncs()
{
    EventSeatModel model(EventId);
    model.markJoined();
    QSignalSpy resync(&model, &EventSeatModel::resyncNeeded);
    model.markResumed(5); // a server resuming a join that named no map
    QCOMPARE(resync.size(), 1);
    QCOMPARE(model.syncState(), Sync::Stale);
}

QTEST_GUILESS_MAIN(tst_EventSeatModel)
#include "tst_eventseatmodel.moc"
