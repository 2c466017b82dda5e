// SPDX-License-Identifier: MIT
// WatchedEvents: which event a seat update belongs to, and when an older server has had its chance
// to send a snapshot.
#include "watchedevents.h"

#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
RoomSnapshot snapshotOf(const QString &eventId, const QStringList &seatIds)
{
    RoomSnapshot snapshot{eventId, 0, {}, 1, true};
    for (const QString &id : seatIds)
        snapshot.seats.append({id, QString(), SeatState::Available});
    return snapshot;
}
} // namespace

class tst_WatchedEvents : public QObject
{
    Q_OBJECT

private slots:
    void routesUpdates_data();
    void routesUpdates();
    void unroutedUpdatesAreCounted();
    void noSnapshotWithinGraceMeansOlderServer();
    void snapshotsAndPresenceReachTheirModel();
    void connectionLossMakesEveryModelStale();
    void removeForgetsTheEvent();
    void resumedJoinReachesItsModel();
};

void tst_WatchedEvents::routesUpdates_data()
{
    QTest::addColumn<QStringList>("watched");
    QTest::addColumn<QString>("eventId"); // of the update; empty from an older server
    QTest::addColumn<QString>("seatId");
    QTest::addColumn<QString>("expected"); // empty: no model

    const QStringList two{"e1", "e2"};
    QTest::newRow("by eventId") << two << "e2"
                                << "s-e1-1"
                                << "e2";
    QTest::newRow("eventId of an unwatched event") << two << "e9"
                                                   << "s-e1-1"
                                                   << "";
    QTest::newRow("no eventId: the event that has the seat") << two << ""
                                                             << "s-e2-1"
                                                             << "e2";
    QTest::newRow("no eventId, unknown seat, several events") << two << ""
                                                              << "new-seat"
                                                              << "";
    QTest::newRow("no eventId, unknown seat, one event") << QStringList{"e1"} << ""
                                                         << "new-seat"
                                                         << "e1";
}

void tst_WatchedEvents::routesUpdates()
{
    QFETCH(QStringList, watched);
    QFETCH(QString, eventId);
    QFETCH(QString, seatId);
    QFETCH(QString, expected);
    MonitorConnection connection;
    WatchedEvents events(&connection);
    for (const QString &id : watched)
        events.add(id)->applySnapshot(snapshotOf(id, {"s-" + id + "-1", "s-" + id + "-2"}));
    const EventSeatModel *model = events.route({eventId, seatId, SeatState::Pending, {}, {}});
    QCOMPARE(model ? model->eventId() : QString(), expected);
}

void tst_WatchedEvents::unroutedUpdatesAreCounted()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    events.add("e1");
    events.add("e2");
    emit connection.seatUpdated({QString(), "unknown", SeatState::Pending, {}, {}});
    emit connection.seatUpdated({"e9", "unknown", SeatState::Pending, {}, {}}); // a room we left
    QCOMPARE(events.unroutedUpdates(), 1);
}

void tst_WatchedEvents::noSnapshotWithinGraceMeansOlderServer()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    EventSeatModel *model = events.add("e1");
    emit connection.joinRequested("e1");
    emit connection.roomJoined("e1");
    QCOMPARE(model->syncState(), EventSeatModel::SyncState::AwaitingSnapshot);
    QVERIFY(!events.allInSync());
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), EventSeatModel::SyncState::Partial,
                              WatchedEvents::SnapshotGraceMs + 2000);
    QVERIFY(events.allInSync());
}

void tst_WatchedEvents::snapshotsAndPresenceReachTheirModel()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    EventSeatModel *e1 = events.add("e1", "Concierto", 15);
    EventSeatModel *e2 = events.add("e2");
    emit connection.snapshotReceived(snapshotOf("e2", {"a", "b", "c"}));
    emit connection.presenceChanged("e1", 4);
    QCOMPARE(e2->seats().size(), 3);
    QCOMPARE(e1->seats().size(), 0);
    QCOMPARE(e1->viewers(), 4);
    QCOMPARE(e1->name(), QStringLiteral("Concierto"));
    QCOMPARE(e1->capacity(), 15);
    emit connection.eventsListed({{"e2", "Teatro", "", "", 120, 10, {}}});
    QCOMPARE(e2->name(), QStringLiteral("Teatro"));
    QCOMPARE(e2->capacity(), 120);
}

void tst_WatchedEvents::connectionLossMakesEveryModelStale()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    events.add("e1")->applySnapshot(snapshotOf("e1", {"a"}));
    events.add("e2")->applySnapshot(snapshotOf("e2", {"b"}));
    QVERIFY(events.allInSync());
    emit connection.connectionLost("gone");
    for (const QString &id : events.eventIds())
        QCOMPARE(events.model(id)->syncState(), EventSeatModel::SyncState::Stale);
    QVERIFY(!events.allInSync());
}

void tst_WatchedEvents::removeForgetsTheEvent()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    events.add("e1");
    QSignalSpy removed(&events, &WatchedEvents::eventRemoved);
    events.remove("e1");
    QCOMPARE(removed.size(), 1);
    QVERIFY(!events.model("e1"));
    QVERIFY(events.eventIds().isEmpty());
    QVERIFY(connection.watchedRooms().isEmpty());
}

void tst_WatchedEvents::resumedJoinReachesItsModel()
{
    MonitorConnection connection;
    WatchedEvents events(&connection);
    RoomSnapshot snapshot = snapshotOf("e1", {"a", "b"});
    snapshot.epoch = QStringLiteral("ep1");
    EventSeatModel *e1 = events.add("e1");
    EventSeatModel *e2 = events.add("e2");
    e1->applySnapshot(snapshot);
    emit connection.connectionLost("gone");
    emit connection.joinRequested("e1");
    emit connection.roomJoined("e1");
    emit connection.roomResumed("e1", 2);
    QCOMPARE(e1->syncState(), EventSeatModel::SyncState::AwaitingSnapshot); // 1 and 2 follow
    emit connection.seatUpdated({"e1", "a", SeatState::Pending, {}, 1});
    emit connection.seatUpdated({"e1", "b", SeatState::Pending, {}, 2});
    QCOMPARE(e1->syncState(), EventSeatModel::SyncState::Live);
    QCOMPARE(e1->count(SeatState::Pending), 2);
    QCOMPARE(e2->syncState(), EventSeatModel::SyncState::Stale);
}

QTEST_GUILESS_MAIN(tst_WatchedEvents)
#include "tst_watchedevents.moc"
