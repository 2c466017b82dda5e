// SPDX-License-Identifier: MIT
#include "seattracker.h"

#include <QTest>

using namespace Reservo::Bench;
using Outcome = SeatTracker::Outcome;

// Telling loss from supersession: a gap before the last change received of a seat was
// superseded, changes after it were lost.
class tst_SeatTracker : public QObject
{
    Q_OBJECT

private slots:
    void outcomes();
    void tally_data();
    void tally();
};

void tst_SeatTracker::outcomes()
{
    SeatTracker t;
    QCOMPARE(t.record(0, 1), Outcome::InOrder);
    QCOMPARE(t.record(0, 2), Outcome::InOrder);
    QCOMPARE(t.record(0, 5), Outcome::AfterGap);
    QCOMPARE(t.record(0, 5), Outcome::Duplicate);
    QCOMPARE(t.record(0, 4), Outcome::Duplicate); // older than the latest: a repeat
    QCOMPARE(t.record(3, 2), Outcome::AfterGap);
    QCOMPARE(t.lastReceived(0), 5u);
    QCOMPARE(t.lastReceived(1), 0u);
}

void tst_SeatTracker::tally_data()
{
    QTest::addColumn<QList<int>>("received"); // k values of seat 0
    QTest::addColumn<int>("published");       // changes of seat 0 (seat 1 gets none)
    QTest::addColumn<int>("superseded");
    QTest::addColumn<int>("lost");
    QTest::addColumn<int>("stale");
    QTest::newRow("everything") << QList<int>{1, 2, 3} << 3 << 0 << 0 << 0;
    QTest::newRow("latest only") << QList<int>{3} << 3 << 2 << 0 << 0;
    QTest::newRow("gap then latest") << QList<int>{1, 3, 5} << 5 << 2 << 0 << 0;
    QTest::newRow("tail lost") << QList<int>{1, 2} << 5 << 0 << 3 << 1;
    QTest::newRow("gap and tail lost") << QList<int>{2, 4} << 6 << 2 << 2 << 1;
    QTest::newRow("nothing received") << QList<int>{} << 4 << 0 << 4 << 1;
    QTest::newRow("nothing published") << QList<int>{} << 0 << 0 << 0 << 0;
}

void tst_SeatTracker::tally()
{
    QFETCH(QList<int>, received);
    QFETCH(int, published);
    QFETCH(int, superseded);
    QFETCH(int, lost);
    QFETCH(int, stale);
    SeatTracker t;
    for (int k : received)
        t.record(0, uint32_t(k));
    const auto counts = [published](int seat) { return seat == 0 ? uint32_t(published) : 0u; };
    const SeatTracker::Tally tally = t.tally(2, counts);
    QCOMPARE(tally.clients, quint64(1));
    QCOMPARE(tally.expected, quint64(published));
    QCOMPARE(tally.received, quint64(received.size()));
    QCOMPARE(tally.superseded, quint64(superseded));
    QCOMPARE(tally.lost, quint64(lost));
    QCOMPARE(tally.staleSeats, quint64(stale));
    QCOMPARE(tally.received + tally.superseded + tally.lost, tally.expected);
}

QTEST_GUILESS_MAIN(tst_SeatTracker)
#include "tst_seattracker.moc"
