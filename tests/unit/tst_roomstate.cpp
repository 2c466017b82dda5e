// SPDX-License-Identifier: MIT
#include "roomstate.h"

#include <QTest>

using namespace Reservo;

namespace {
constexpr auto A = SeatState::Available;
constexpr auto P = SeatState::Pending;
constexpr auto O = SeatState::Occupied;
} // namespace

// One room's seat map: changes, seq, snapshots racing changes, and history.
class tst_RoomState : public QObject
{
    Q_OBJECT
private slots:
    void apply();
    void snapshotRace_data();
    void snapshotRace();
    void resyncDiff();
    void history();
};

void tst_RoomState::apply()
{
    RoomState room;
    QVERIFY(!room.isComplete());
    const auto first = room.apply({"e", "s1", P});
    QVERIFY(first);
    QCOMPARE(first->seq, quint64(1));
    QVERIFY(!room.apply({"e", "s1", P})); // no change, no seq
    QCOMPARE(room.seq(), quint64(1));
    QCOMPARE(room.apply({"e", "s1", O})->seq, quint64(2));
    QCOMPARE(room.seat("s1")->state, O);
    QVERIFY(!room.seat("nope"));
}

void tst_RoomState::snapshotRace_data()
{
    QTest::addColumn<QList<NatsWire::SeatChange>>("duringFetch");
    QTest::addColumn<QList<Seat>>("fetched");
    QTest::addColumn<QList<Seat>>("expected");
    const QList<Seat> seed{{"s1", "A11", A}, {"s2", "A12", A}};
    QTest::newRow("no race") << QList<NatsWire::SeatChange>{} << seed << seed;
    QTest::newRow("fetched map already has it") << QList<NatsWire::SeatChange>{{"e", "s1", P}}
                                                << QList<Seat>{{"s1", "A11", P}, {"s2", "A12", A}}
                                                << QList<Seat>{{"s1", "A11", P}, {"s2", "A12", A}};
    QTest::newRow("fetched map is older")
        << QList<NatsWire::SeatChange>{{"e", "s1", P}, {"e", "s1", O}} << seed
        << QList<Seat>{{"s1", "A11", O}, {"s2", "A12", A}};
    QTest::newRow("seat unknown to the service")
        << QList<NatsWire::SeatChange>{{"e", "s9", P}} << seed
        << QList<Seat>{{"s1", "A11", A}, {"s2", "A12", A}, {"s9", "", P}};
}

void tst_RoomState::snapshotRace()
{
    QFETCH(QList<NatsWire::SeatChange>, duringFetch);
    QFETCH(QList<Seat>, fetched);
    QFETCH(QList<Seat>, expected);
    RoomState room;
    room.beginFetch();
    for (const auto &c : duringFetch)
        room.apply(c);
    room.installSnapshot(fetched);
    QVERIFY(room.isComplete());
    QCOMPARE(room.seatCount(), expected.size());
    for (const Seat &s : expected)
        QCOMPARE(*room.seat(s.id), s);
}

void tst_RoomState::resyncDiff()
{
    RoomState room;
    room.beginFetch();
    room.installSnapshot({{"s1", "A11", A}, {"s2", "A12", A}, {"s3", "A13", O}});
    room.apply({"e", "s1", P});
    // An outage: the service changed s2 and s3 while we could not hear it.
    room.beginFetch();
    const QList<AppliedChange> diff =
        room.installSnapshot({{"s1", "A11", P}, {"s2", "A12", O}, {"s3", "A13", A}});
    QCOMPARE(diff.size(), 2);
    QCOMPARE(diff[0].seatId, QStringLiteral("s2"));
    QCOMPARE(diff[0].state, O);
    QCOMPARE(diff[0].seq, quint64(2));
    QCOMPARE(diff[1].seatId, QStringLiteral("s3"));
    QCOMPARE(diff[1].seq, quint64(3));
    QCOMPARE(room.seq(), quint64(3));
}

void tst_RoomState::history()
{
    RoomState room(2, 10);
    QVERIFY(!room.since(9)); // before this room existed
    QCOMPARE(room.since(10)->size(), 0);
    room.record(11, 1, "a");
    room.record(12, 2, "b");
    QCOMPARE(room.since(10)->size(), 2);
    room.record(13, 3, "c"); // 11 falls out
    QVERIFY(!room.since(10));
    QCOMPARE(room.since(11)->size(), 2);
    QCOMPARE(room.since(12)->first().frame, QByteArray("c"));
}

QTEST_GUILESS_MAIN(tst_RoomState)
#include "tst_roomstate.moc"
