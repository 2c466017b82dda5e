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

QTEST_GUILESS_MAIN(tst_EventSeatModel)
#include "tst_eventseatmodel.moc"
