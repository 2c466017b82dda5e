// SPDX-License-Identifier: MIT
#include "eventsrequestqueue.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using Queue = EventsRequestQueue;

namespace {
constexpr int Timeout = 10000;

// Who needs each event, by id: "m<owner>-…" a room with members of that owner, "i-…" a room
// kept without members, "n-…" nobody; changed by the test at will.
struct Rooms
{
    QHash<QString, Queue::Standing> standings;

    Queue::StandingOf standingOf() const
    {
        return [this](const QString &eventId) { return standings.value(eventId); };
    }
    void add(const QString &eventId, Queue::Need need, quintptr owner = 0)
    {
        standings.insert(eventId, {need, owner});
    }
};

// Records what the queue hands out; answers each request at once unless told to hold them.
struct Service
{
    Service(Queue *queue, bool answerAtOnce) : queue(queue), answerAtOnce(answerAtOnce)
    {
        QObject::connect(queue, &Queue::ready, queue, [this](const QString &id) {
            sent.append(id);
            if (this->answerAtOnce)
                this->queue->finish();
        });
    }
    Queue *queue;
    bool answerAtOnce;
    QStringList sent;
};
} // namespace

// The order and pace of seat-map requests: in flight, rate and burst, rooms with members first
// and in turn by owner, rooms nobody needs dropped, the queue bounded.
class tst_EventsRequestQueue : public QObject
{
    Q_OBJECT
private slots:
    void inFlightBound_data();
    void inFlightBound();
    void rate_data();
    void rate();
    void burstOnlyForMembers_data();
    void burstOnlyForMembers();
    void membersFirstInTurn();
    void roomsNobodyNeedsAreDropped();
    void bounded();
};

void tst_EventsRequestQueue::inFlightBound_data()
{
    QTest::addColumn<int>("maxInFlight");
    QTest::newRow("1") << 1;
    QTest::newRow("3") << 3;
    QTest::newRow("8") << 8;
}

void tst_EventsRequestQueue::inFlightBound()
{
    QFETCH(int, maxInFlight);
    Queue queue({.maxInFlight = maxInFlight, .ratePerSecond = 100000, .burst = 100});
    Service service(&queue, false);
    for (int i = 0; i < 20; ++i)
        QVERIFY(queue.enqueue(QStringLiteral("e%1").arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(service.sent.size(), maxInFlight, Timeout);
    QCOMPARE(queue.inFlight(), maxInFlight);
    QCOMPARE(queue.queued(), 20 - maxInFlight);
    queue.finish(); // one answer frees one slot, for exactly one more
    QTRY_COMPARE_WITH_TIMEOUT(service.sent.size(), maxInFlight + 1, Timeout);
    QCOMPARE(queue.inFlight(), maxInFlight);
    service.answerAtOnce = true;
    for (int i = 0; i < maxInFlight; ++i)
        queue.finish();
    QTRY_COMPARE_WITH_TIMEOUT(service.sent.size(), 20, Timeout);
    QCOMPARE(queue.inFlight(), 0);
    QCOMPARE(service.sent.first(), QStringLiteral("e0")); // first in, first out for one owner
    QCOMPARE(service.sent.last(), QStringLiteral("e19"));
}

void tst_EventsRequestQueue::rate_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("burst");
    QTest::newRow("50/s") << 50 << 0;
    QTest::newRow("50/s, burst 10") << 50 << 10;
    QTest::newRow("200/s, burst 5") << 200 << 5;
}

// However fast the answers come, at most 1 + burst + rate × elapsed requests leave.
void tst_EventsRequestQueue::rate()
{
    QFETCH(int, rate);
    QFETCH(int, burst);
    Queue queue({.maxInFlight = 1000, .ratePerSecond = rate, .burst = burst});
    Service service(&queue, true);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 1000; ++i)
        queue.enqueue(QStringLiteral("e%1").arg(i));
    const int target = 1 + burst + rate / 2; // about half a second's worth
    QTRY_VERIFY_WITH_TIMEOUT(service.sent.size() >= target, Timeout);
    const double bound = 1 + burst + rate * double(clock.elapsed()) / 1000.0;
    QVERIFY2(service.sent.size() <= bound,
             qPrintable(
                 QStringLiteral("%1 sent in %2 ms").arg(service.sent.size()).arg(clock.elapsed())));
    // And not much less: the rate is the pace, not a trickle (the test may have read late).
    QVERIFY2(clock.elapsed() >= 1000.0 * (target - 1 - burst) / rate - 50,
             qPrintable(
                 QStringLiteral("%1 sent in %2 ms").arg(service.sent.size()).arg(clock.elapsed())));
}

void tst_EventsRequestQueue::burstOnlyForMembers_data()
{
    QTest::addColumn<int>("need");
    QTest::addColumn<int>("burst");
    QTest::addColumn<int>("atOnce");
    QTest::newRow("members borrow the burst") << int(Queue::Need::Members) << 5 << 6;
    QTest::newRow("idle rooms do not") << int(Queue::Need::Idle) << 5 << 1;
    QTest::newRow("no burst") << int(Queue::Need::Members) << 0 << 1;
}

// At 1 request a second, what leaves at once is the bucket: the next one is a second away.
void tst_EventsRequestQueue::burstOnlyForMembers()
{
    QFETCH(int, need);
    QFETCH(int, burst);
    QFETCH(int, atOnce);
    Rooms rooms;
    Queue queue({.maxInFlight = 100, .ratePerSecond = 1, .burst = burst});
    queue.setStandingOf(rooms.standingOf());
    Service service(&queue, true);
    for (int i = 0; i < 10; ++i) {
        const QString id = QStringLiteral("e%1").arg(i);
        rooms.add(id, Queue::Need(need), 1);
        queue.enqueue(id);
    }
    QTRY_VERIFY_WITH_TIMEOUT(!service.sent.isEmpty(), Timeout);
    QCOMPARE(service.sent.size(), atOnce);
}

// Rooms with members go before rooms without, and owners take turns: one that asked for many
// does not hold back one that asked for one.
void tst_EventsRequestQueue::membersFirstInTurn()
{
    Rooms rooms;
    Queue queue({.maxInFlight = 1, .ratePerSecond = 100000, .burst = 100});
    queue.setStandingOf(rooms.standingOf());
    Service service(&queue, true);
    for (int i = 0; i < 3; ++i) {
        rooms.add(QStringLiteral("idle%1").arg(i), Queue::Need::Idle);
        queue.enqueue(QStringLiteral("idle%1").arg(i));
    }
    for (int i = 0; i < 5; ++i) {
        rooms.add(QStringLiteral("a%1").arg(i), Queue::Need::Members, 1);
        queue.enqueue(QStringLiteral("a%1").arg(i));
    }
    rooms.add(QStringLiteral("b0"), Queue::Need::Members, 2);
    queue.enqueue(QStringLiteral("b0"));
    QTRY_COMPARE_WITH_TIMEOUT(service.sent.size(), 9, Timeout);
    const QStringList expected{"a0", "b0", "a1", "a2", "a3", "a4", "idle0", "idle1", "idle2"};
    QCOMPARE(service.sent, expected);
}

// A room whose members left before its turn is not asked about; one that got members back is.
void tst_EventsRequestQueue::roomsNobodyNeedsAreDropped()
{
    Rooms rooms;
    Queue queue({.maxInFlight = 1, .ratePerSecond = 100000, .burst = 100});
    queue.setStandingOf(rooms.standingOf());
    Service service(&queue, false);
    QSignalSpy abandoned(&queue, &Queue::requestAbandoned);
    for (const char *id : {"first", "left", "nobody", "removed", "last"}) {
        rooms.add(id, Queue::Need::Members, 1);
        queue.enqueue(id);
    }
    rooms.add("nobody", Queue::Need::None); // before its first pass: never placed
    QTRY_COMPARE_WITH_TIMEOUT(service.sent, QStringList{"first"}, Timeout);
    QCOMPARE(abandoned.size(), 1);
    rooms.add("left", Queue::Need::None); // while it waits its turn

    queue.remove(QStringLiteral("removed"));
    QCOMPARE(queue.queued(), 2); // "left" and "last"
    queue.finish();
    QTRY_COMPARE_WITH_TIMEOUT(service.sent, (QStringList{"first", "last"}), Timeout);
    QCOMPARE(abandoned.size(), 2);
    QCOMPARE(abandoned.at(0).at(0).toString(), QStringLiteral("nobody"));
    QCOMPARE(abandoned.at(1).at(0).toString(), QStringLiteral("left"));
    QCOMPARE(queue.abandoned(), quint64(2));
    QCOMPARE(queue.queued(), 0);
}

void tst_EventsRequestQueue::bounded()
{
    Queue queue({.maxInFlight = 1, .ratePerSecond = 1, .burst = 0, .maxQueued = 3});
    QVERIFY(queue.enqueue(QStringLiteral("a")));
    QVERIFY(queue.enqueue(QStringLiteral("b")));
    QVERIFY(queue.enqueue(QStringLiteral("a"))); // queued already: changes nothing
    QVERIFY(queue.enqueue(QStringLiteral("c")));
    QVERIFY(!queue.enqueue(QStringLiteral("d")));
    QVERIFY(!queue.enqueue(QStringLiteral("e")));
    QCOMPARE(queue.queued(), 3);
    QCOMPARE(queue.refused(), quint64(2));
    queue.remove(QStringLiteral("b"));
    QVERIFY(queue.enqueue(QStringLiteral("d")));
}

QTEST_GUILESS_MAIN(tst_EventsRequestQueue)
#include "tst_eventsrequestqueue.moc"
