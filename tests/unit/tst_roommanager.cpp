// SPDX-License-Identifier: MIT
#include "roommanager.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Reservo;

namespace {
// A room member that records what it was given.
struct RecordingMember : RoomMember
{
    QList<QByteArray> frames;
    void deliver(const QByteArray &frame, const QString &) override { frames.append(frame); }
};

// The Socket.IO event array inside a `42[...]` frame.
QJsonArray eventOf(const QByteArray &frame)
{
    return QJsonDocument::fromJson(frame.mid(2)).array();
}

RoomManager::Options fastOptions()
{
    return {50, 20, 3};
}
} // namespace

// Rooms, memberships, fan-out, presence, empty-room grace and recovery history.
class tst_RoomManager : public QObject
{
    Q_OBJECT
private slots:
    void joinLeave();
    void fanOut_data();
    void fanOut();
    void isolation();
    void leaveAll();
    void snapshotFrame();
    void snapshotDeferredUntilFetched();
    void snapshotSentPartialWhenUnavailable();
    void presenceCoalesced();
    void emptyRoomDropped();
    void heldRoomKept();
    void missedSince();
    void missedSinceRoomJoinedLater();
};

void tst_RoomManager::joinLeave()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    QSignalSpy created(&rooms, &RoomManager::roomCreated);
    QVERIFY(rooms.join("e1", &a));
    QVERIFY(!rooms.join("e1", &a)); // twice is once
    QVERIFY(rooms.join("e1", &b));
    QCOMPARE(created.count(), 1);
    QCOMPARE(created.first().first().toString(), QStringLiteral("e1"));
    QCOMPARE(rooms.memberCount("e1"), 2);
    QCOMPARE(rooms.totalMembers(), 2);
    QVERIFY(rooms.leave("e1", &a));
    QVERIFY(!rooms.leave("e1", &a));
    QVERIFY(!rooms.leave("nope", &a));
    QVERIFY(rooms.leave("e1", &b));
    QCOMPARE(rooms.totalMembers(), 0);
    QCOMPARE(rooms.roomCount(), 1); // kept for the grace period
}

void tst_RoomManager::fanOut_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");
    QTest::newRow("pending") << int(SeatState::Pending) << "PENDING";
    QTest::newRow("occupied") << int(SeatState::Occupied) << "OCCUPIED";
}

void tst_RoomManager::fanOut()
{
    QFETCH(int, state);
    QFETCH(QString, name);
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.join("e1", &b);
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Available}});
    a.frames.clear();
    b.frames.clear();
    QCOMPARE(rooms.applySeatChange({"e1", "s1", SeatState(state)}), 2);
    QCOMPARE(a.frames.size(), 1);
    QCOMPARE(b.frames, a.frames); // one encoding shared by every member
    const QJsonArray event = eventOf(a.frames.first());
    QCOMPARE(event.at(0).toString(), QStringLiteral("update-seat-status"));
    const QJsonObject payload = event.at(1).toObject();
    QCOMPARE(payload.value("id").toString(), QStringLiteral("s1"));
    QCOMPARE(payload.value("state").toString(), name);
    QCOMPARE(payload.value("eventId").toString(), QStringLiteral("e1"));
    QCOMPARE(payload.value("tag").toString(), QStringLiteral("A11"));
    QCOMPARE(payload.value("seq").toInt(), 1);
    QVERIFY(event.at(2).isString()); // the recovery offset comes last
    // The same state again changes nothing and reaches nobody.
    QCOMPARE(rooms.applySeatChange({"e1", "s1", SeatState(state)}), 0);
    QCOMPARE(a.frames.size(), 1);
    QCOMPARE(rooms.unchangedSeatUpdates(), quint64(1));
}

void tst_RoomManager::isolation()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.join("e2", &b);
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    QCOMPARE(a.frames.size(), 1);
    QCOMPARE(b.frames.size(), 0);
    QCOMPARE(rooms.applySeatChange({"e3", "s1", SeatState::Pending}), 0);
    QCOMPARE(rooms.changesWithoutRoom(), quint64(1));
}

void tst_RoomManager::leaveAll()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.join("e2", &a);
    rooms.join("e2", &b);
    QCOMPARE(rooms.roomsOf(&a).size(), 2);
    rooms.leaveAll(&a);
    QCOMPARE(rooms.roomsOf(&a).size(), 0);
    rooms.applySeatChange({"e2", "s1", SeatState::Occupied});
    QCOMPARE(a.frames.size(), 0);
    QCOMPARE(b.frames.size(), 1);
}

void tst_RoomManager::snapshotFrame()
{
    RoomManager rooms(fastOptions());
    RecordingMember a;
    rooms.join("e1", &a);
    QJsonObject snap = eventOf(rooms.snapshotFrame("e1")).at(1).toObject();
    QCOMPARE(snap.value("complete").toBool(), false);
    QCOMPARE(snap.value("viewers").toInt(), 1);
    rooms.applySnapshot("e1",
                        {{"s1", "A11", SeatState::Available}, {"s2", "A12", SeatState::Occupied}});
    // Members that joined before the map arrived get it as a broadcast.
    QCOMPARE(eventOf(a.frames.last()).at(0).toString(), QStringLiteral("room-snapshot"));
    snap = eventOf(rooms.snapshotFrame("e1")).at(1).toObject();
    QCOMPARE(snap.value("complete").toBool(), true);
    QCOMPARE(snap.value("eventId").toString(), QStringLiteral("e1"));
    const QJsonArray seats = snap.value("seats").toArray();
    QCOMPARE(seats.size(), 2);
    QCOMPARE(seats.at(1).toObject().value("state").toString(), QStringLiteral("OCCUPIED"));
    QVERIFY(rooms.snapshotFrame("unknown").isEmpty());
}

void tst_RoomManager::snapshotDeferredUntilFetched()
{
    RoomManager rooms(fastOptions());
    RecordingMember a;
    rooms.join("e1", &a);
    rooms.sendSnapshot("e1", &a);
    QVERIFY(a.frames.isEmpty()); // no empty map while the first fetch is in flight
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Pending}});
    QCOMPARE(a.frames.size(), 1);
    const QJsonObject snap = eventOf(a.frames.first()).at(1).toObject();
    QCOMPARE(snap.value("complete").toBool(), true);
    QCOMPARE(snap.value("seats").toArray().size(), 1);
    rooms.sendSnapshot("e1", &a); // later joins get it at once
    QCOMPARE(a.frames.size(), 2);
}

void tst_RoomManager::snapshotSentPartialWhenUnavailable()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.sendSnapshot("e1", &a);
    rooms.snapshotUnavailable("e1");
    QCOMPARE(a.frames.size(), 1);
    QCOMPARE(eventOf(a.frames.first()).at(1).toObject().value("complete").toBool(), false);
    rooms.join("e1", &b);
    rooms.sendSnapshot("e1", &b); // after a failure nobody waits
    QCOMPARE(b.frames.size(), 1);
    rooms.snapshotUnavailable("e1"); // a second failure sends nothing new
    QCOMPARE(a.frames.size(), 1);
}

void tst_RoomManager::presenceCoalesced()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b, c;
    rooms.join("e1", &a);
    rooms.join("e1", &b);
    rooms.join("e1", &c);
    const auto presence = [&] {
        QList<int> counts;
        for (const QByteArray &f : a.frames) {
            const QJsonArray e = eventOf(f);
            if (e.at(0).toString() == QLatin1String("room-presence"))
                counts.append(e.at(1).toObject().value("viewers").toInt());
        }
        return counts;
    };
    QTRY_COMPARE_WITH_TIMEOUT(presence(), QList<int>{3}, 5000); // three joins, one message
    rooms.leave("e1", &c);
    QTRY_COMPARE_WITH_TIMEOUT(presence(), (QList<int>{3, 2}), 5000);
}

void tst_RoomManager::emptyRoomDropped()
{
    RoomManager rooms(fastOptions());
    RecordingMember a;
    QSignalSpy dropped(&rooms, &RoomManager::roomDropped);
    rooms.join("e1", &a);
    rooms.leave("e1", &a);
    QVERIFY(dropped.wait(5000));
    QCOMPARE(rooms.roomCount(), 0);
}

void tst_RoomManager::heldRoomKept()
{
    RoomManager rooms(fastOptions());
    RecordingMember a;
    QSignalSpy dropped(&rooms, &RoomManager::roomDropped);
    rooms.join("e1", &a);
    rooms.hold("e1");
    rooms.leave("e1", &a);
    QVERIFY(!dropped.wait(300)); // 6x the grace period: still there while held
    rooms.release("e1");
    QVERIFY(dropped.wait(5000));
}

void tst_RoomManager::missedSince()
{
    RoomManager rooms(fastOptions()); // 3 broadcasts of history per room
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.join("e2", &b);
    const quint64 start = rooms.currentOffset();
    const RoomManager::Memberships both{{"e1", 0}, {"e2", 0}};
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    rooms.applySeatChange({"e2", "s9", SeatState::Pending});
    rooms.applySeatChange({"e1", "s2", SeatState::Occupied});
    const auto missed = rooms.missedSince(both, start);
    QVERIFY(missed);
    QCOMPARE(missed->size(), 3);
    QCOMPARE(eventOf(missed->at(1)).at(1).toObject().value("id").toString(), QStringLiteral("s9"));
    QCOMPARE(rooms.missedSince({{"e1", 0}}, start + 1)->size(), 1);
    QVERIFY(!rooms.missedSince({{"e1", 0}}, rooms.currentOffset() + 1)); // from the future
    QVERIFY(!rooms.missedSince({{"gone", 0}}, start));
    for (int i = 0; i < 4; ++i) // e1's history overflows
        rooms.applySeatChange({"e1", QStringLiteral("x%1").arg(i), SeatState::Pending});
    QVERIFY(!rooms.missedSince({{"e1", 0}}, start));
    QCOMPARE(rooms.missedSince({{"e1", 0}}, rooms.currentOffset())->size(), 0);
}

void tst_RoomManager::missedSinceRoomJoinedLater()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, other;
    rooms.join("e1", &a);
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    const quint64 lastSeen = rooms.currentOffset(); // a's last offset, from e1
    rooms.join("e3", &other);
    rooms.applySeatChange({"e3", "s1", SeatState::Pending}); // before a joins e3
    rooms.join("e2", &a);                                    // created after a's last offset
    rooms.join("e3", &a);
    const RoomManager::Memberships memberships = rooms.membershipsOf(&a);
    rooms.applySeatChange({"e2", "s5", SeatState::Occupied});
    const auto missed = rooms.missedSince(memberships, lastSeen);
    QVERIFY(missed);             // nothing a should have had was lost
    QCOMPARE(missed->size(), 1); // e3's earlier update is in a's snapshot, not missed
    QCOMPARE(eventOf(missed->first()).at(1).toObject().value("id").toString(),
             QStringLiteral("s5"));
}

QTEST_GUILESS_MAIN(tst_RoomManager)
#include "tst_roommanager.moc"
