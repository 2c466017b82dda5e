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
    void snapshotOnJoin();
    void snapshotEncodedOncePerSeq();
    void offsetsRiseForEveryMember();
    void snapshotSentPartialWhenUnavailable();
    void presenceCoalesced();
    void emptyRoomDropped();
    void heldRoomKept();
    void recoveryReplaysMissed();
    void recoveryOfRoomJoinedLater();
    void recoveryOwesUnreceivedSnapshot();
};

void tst_RoomManager::joinLeave()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    QSignalSpy created(&rooms, &RoomManager::roomCreated);
    QVERIFY(rooms.join("e1", &a).added);
    QVERIFY(!rooms.join("e1", &a).added); // twice is once
    QVERIFY(rooms.join("e1", &b).added);
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

void tst_RoomManager::snapshotOnJoin()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    QVERIFY(a.frames.isEmpty()); // no empty map while the first fetch is in flight
    rooms.applySnapshot("e1",
                        {{"s1", "A11", SeatState::Available}, {"s2", "A12", SeatState::Occupied}});
    // Members that joined before the map arrived get it as soon as it does.
    QCOMPARE(a.frames.size(), 1);
    const QJsonArray event = eventOf(a.frames.first());
    QCOMPARE(event.at(0).toString(), QStringLiteral("room-snapshot"));
    const QJsonObject snap = event.at(1).toObject();
    QCOMPARE(snap.value("complete").toBool(), true);
    QCOMPARE(snap.value("eventId").toString(), QStringLiteral("e1"));
    QCOMPARE(snap.value("epoch").toString(), rooms.room("e1")->epoch());
    QCOMPARE(snap.value("epoch").toString().size(), 16);
    QCOMPARE(snap.value("viewers").toInt(), 1);
    const QJsonArray seats = snap.value("seats").toArray();
    QCOMPARE(seats.size(), 2);
    QCOMPARE(seats.at(1).toObject(),
             (QJsonObject{{"id", "s2"}, {"tag", "A12"}, {"state", "OCCUPIED"}}));
    QVERIFY(event.at(2).isString()); // the recovery offset comes last
    rooms.join("e1", &b);            // later joins get it at once
    QCOMPARE(b.frames.size(), 1);
    QCOMPARE(eventOf(b.frames.first()).at(1).toObject().value("seats"), snap.value("seats"));
    QVERIFY(!rooms.room("unknown"));
}

void tst_RoomManager::snapshotEncodedOncePerSeq()
{
    RoomManager rooms(fastOptions());
    RecordingMember first, a;
    rooms.join("e1", &first); // the room exists and is complete
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Available}});
    QCOMPARE(rooms.snapshotsEncoded(), quint64(1));
    // A quiet join gets the exact viewer count: encoded again for it.
    rooms.join("e1", &a);
    QCOMPARE(rooms.snapshotsEncoded(), quint64(2));
    QCOMPARE(eventOf(a.frames.first()).at(1).toObject().value("viewers").toInt(), 2);
    // A storm: one frame made for its first joiners serves the rest, the same bytes (not equal
    // copies), however many join.
    std::vector<std::unique_ptr<RecordingMember>> storm;
    for (int i = 0; i < 200; ++i) {
        storm.push_back(std::make_unique<RecordingMember>());
        rooms.join("e1", storm.back().get());
    }
    QVERIFY2(rooms.snapshotsEncoded() <= 2 + SnapshotCache::StormJoins,
             qPrintable(QString::number(rooms.snapshotsEncoded())));
    QCOMPARE(storm.back()->frames.first().constData(), storm[150]->frames.first().constData());
    QCOMPARE(rooms.snapshotsSent(), quint64(202));
    // A change is a new seq: a new snapshot.
    const quint64 encoded = rooms.snapshotsEncoded();
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    RecordingMember c;
    rooms.join("e1", &c);
    QCOMPARE(rooms.snapshotsEncoded(), encoded + 1);
    const QJsonObject snap = eventOf(c.frames.last()).at(1).toObject();
    QCOMPARE(snap.value("seq").toInt(), 1);
    QCOMPARE(snap.value("seats").toArray().at(0).toObject().value("state").toString(),
             QStringLiteral("PENDING"));
}

void tst_RoomManager::offsetsRiseForEveryMember()
{
    RoomManager rooms(fastOptions());
    RecordingMember first, a;
    rooms.join("e2", &first); // e2's snapshot is made and cached now
    rooms.applySnapshot("e2", {{"s1", "A11", SeatState::Available}});
    rooms.join("e1", &a);
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Available}});
    rooms.applySeatChange({"e1", "s1", SeatState::Occupied}); // a's offset passes e2's snapshot
    rooms.join("e2", &a);
    QList<quint64> offsets;
    for (const QByteArray &frame : a.frames)
        offsets.append(eventOf(frame).last().toString().toULongLong());
    QCOMPARE(offsets.size(), 3);
    QVERIFY2(std::is_sorted(offsets.begin(), offsets.end()) &&
                 std::adjacent_find(offsets.begin(), offsets.end()) == offsets.end(),
             qPrintable(QString::number(offsets.last())));
}

void tst_RoomManager::snapshotSentPartialWhenUnavailable()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.snapshotUnavailable("e1");
    QCOMPARE(a.frames.size(), 1);
    QCOMPARE(eventOf(a.frames.first()).at(1).toObject().value("complete").toBool(), false);
    rooms.join("e1", &b); // after a failure nobody waits
    QCOMPARE(b.frames.size(), 1);
    rooms.snapshotUnavailable("e1"); // a second failure sends nothing new
    QCOMPARE(a.frames.size(), 1);
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Occupied}}); // the complete one follows
    QCOMPARE(a.frames.size(), 2);
    QCOMPARE(eventOf(a.frames.last()).at(1).toObject().value("complete").toBool(), true);
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

void tst_RoomManager::recoveryReplaysMissed()
{
    RoomManager rooms(fastOptions()); // 3 broadcasts of history per room
    RecordingMember a, b;
    rooms.join("e1", &a);
    rooms.join("e2", &b);
    const quint64 start = rooms.currentOffset();
    const Memberships both{{"e1", {}}, {"e2", {}}};
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    rooms.applySeatChange({"e2", "s9", SeatState::Pending});
    rooms.applySeatChange({"e1", "s2", SeatState::Occupied});
    const auto plan = rooms.planRecovery(both, start);
    QVERIFY(plan);
    QCOMPARE(plan->missed.size(), 3);
    QCOMPARE(eventOf(plan->missed.at(1)).at(1).toObject().value("id").toString(),
             QStringLiteral("s9"));
    QCOMPARE(rooms.planRecovery({{"e1", {}}}, start + 1)->missed.size(), 1);
    QVERIFY(!rooms.planRecovery({{"e1", {}}}, rooms.currentOffset() + 1)); // from the future
    QVERIFY(!rooms.planRecovery({{"gone", {}}}, start));
    for (int i = 0; i < 4; ++i) // e1's history overflows
        rooms.applySeatChange({"e1", QStringLiteral("x%1").arg(i), SeatState::Pending});
    QVERIFY(!rooms.planRecovery({{"e1", {}}}, start));
    QCOMPARE(rooms.planRecovery({{"e1", {}}}, rooms.currentOffset())->missed.size(), 0);
}

void tst_RoomManager::recoveryOfRoomJoinedLater()
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
    Memberships memberships = rooms.membershipsOf(&a);
    for (Membership &m : memberships) // as if a got no snapshot before it dropped
        m.snapshotOffset = 0;
    rooms.applySeatChange({"e2", "s5", SeatState::Occupied});
    const auto plan = rooms.planRecovery(memberships, lastSeen);
    QVERIFY(plan);                    // nothing a should have had was lost
    QCOMPARE(plan->missed.size(), 1); // e3's earlier update is in a's snapshot, not missed
    QCOMPARE(eventOf(plan->missed.first()).at(1).toObject().value("id").toString(),
             QStringLiteral("s5"));
}

void tst_RoomManager::recoveryOwesUnreceivedSnapshot()
{
    RoomManager rooms(fastOptions());
    RecordingMember a, back;
    rooms.join("e1", &a);
    const quint64 beforeSnapshot = rooms.currentOffset();
    rooms.applySnapshot("e1", {{"s1", "A11", SeatState::Available}});
    QCOMPARE(a.frames.size(), 1);
    const quint64 snapshotOffset = eventOf(a.frames.first()).last().toString().toULongLong();
    QCOMPARE(rooms.membershipsOf(&a).value("e1").snapshotOffset, snapshotOffset);
    rooms.applySeatChange({"e1", "s1", SeatState::Pending});
    // The client's last offset is from before the snapshot: it never got it, so it gets a fresh
    // one (which holds the change) instead of the change alone.
    const auto owed = rooms.planRecovery(rooms.membershipsOf(&a), beforeSnapshot);
    QVERIFY(owed);
    QCOMPARE(owed->owedSnapshots, QStringList{"e1"});
    QVERIFY(owed->missed.isEmpty());
    rooms.recover(&back, *owed);
    QCOMPARE(back.frames.size(), 1);
    const QJsonObject snap = eventOf(back.frames.first()).at(1).toObject();
    QCOMPARE(snap.value("seats").toArray().at(0).toObject().value("state").toString(),
             QStringLiteral("PENDING"));
    // With the snapshot received, only the change is missed.
    const auto plan = rooms.planRecovery(rooms.membershipsOf(&a), snapshotOffset);
    QVERIFY(plan);
    QVERIFY(plan->owedSnapshots.isEmpty());
    QCOMPARE(plan->missed.size(), 1);
}

QTEST_GUILESS_MAIN(tst_RoomManager)
#include "tst_roommanager.moc"
