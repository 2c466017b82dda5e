// SPDX-License-Identifier: MIT
// RoomManager's bounds against abuse (issue 17), beside tst_roommanager: at most MAX_ROOMS rooms,
// rooms of unknown events closed with their members told, rooms nobody needs dropped, and who
// needs a room's seat map.
#include "roommanager.h"

#include <QSignalSpy>
#include <QTest>

using namespace Reservo;

namespace {
// A member that records the unknown events it was told of.
struct Member : RoomMember
{
    QStringList unknown;
    QList<QByteArray> frames;
    void deliver(const QByteArray &frame, const QString &) override { frames.append(frame); }
    void eventUnknown(const QString &eventId) override { unknown.append(eventId); }
};

RoomManager::Options options(int maxRooms)
{
    RoomManager::Options o{60000, 20, 3};
    o.maxRooms = maxRooms;
    return o;
}
} // namespace

class tst_RoomBounds : public QObject
{
    Q_OBJECT
private slots:
    void maxRooms_data();
    void maxRooms();
    void unknownRoomClosed();
    void unusedRoomDropped_data();
    void unusedRoomDropped();
    void interest();
};

void tst_RoomBounds::maxRooms_data()
{
    QTest::addColumn<int>("maxRooms");
    QTest::newRow("1") << 1;
    QTest::newRow("3") << 3;
}

// The join that would need one room too many changes nothing; existing rooms still take joins,
// and a room that goes makes space.
void tst_RoomBounds::maxRooms()
{
    QFETCH(int, maxRooms);
    RoomManager rooms(options(maxRooms));
    QSignalSpy created(&rooms, &RoomManager::roomCreated);
    Member a, b;
    for (int i = 0; i < maxRooms; ++i)
        QVERIFY(!rooms.join(QStringLiteral("e%1").arg(i), &a).refused);
    bool acknowledged = false;
    const auto outcome = rooms.join(QStringLiteral("extra"), &b, {},
                                    [&](const RoomManager::JoinOutcome &) { acknowledged = true; });
    QVERIFY(outcome.refused);
    QVERIFY(!acknowledged);
    QCOMPARE(rooms.roomCount(), maxRooms);
    QCOMPARE(created.size(), maxRooms);
    QCOMPARE(rooms.roomsOf(&b), QStringList());
    QCOMPARE(rooms.roomsRefused(), quint64(1));
    QVERIFY(!rooms.join(QStringLiteral("e0"), &b).refused); // an existing room
    QCOMPARE(rooms.memberCount(QStringLiteral("e0")), 2);
    rooms.closeUnknownRoom(QStringLiteral("e0"));
    QVERIFY(!rooms.join(QStringLiteral("extra"), &b).refused);
}

void tst_RoomBounds::unknownRoomClosed()
{
    RoomManager rooms(options(10));
    QSignalSpy dropped(&rooms, &RoomManager::roomDropped);
    Member a, b;
    rooms.join(QStringLiteral("ghost"), &a);
    rooms.join(QStringLiteral("ghost"), &b);
    rooms.join(QStringLiteral("real"), &b);
    rooms.closeUnknownRoom(QStringLiteral("ghost"));
    QCOMPARE(a.unknown, QStringList{"ghost"});
    QCOMPARE(b.unknown, QStringList{"ghost"});
    QCOMPARE(rooms.roomsOf(&a), QStringList());
    QCOMPARE(rooms.roomsOf(&b), QStringList{"real"});
    QCOMPARE(rooms.roomCount(), 1);
    QCOMPARE(rooms.totalMembers(), 1);
    QCOMPARE(dropped.size(), 1);
    QCOMPARE(dropped.first().first().toString(), QStringLiteral("ghost"));
    rooms.closeUnknownRoom(QStringLiteral("ghost")); // gone already: nothing
    QCOMPARE(a.unknown.size(), 1);
}

void tst_RoomBounds::unusedRoomDropped_data()
{
    QTest::addColumn<bool>("member");
    QTest::addColumn<bool>("held");
    QTest::addColumn<bool>("dropped");
    QTest::newRow("empty") << false << false << true;
    QTest::newRow("with a member") << true << false << false;
    QTest::newRow("held for recovery") << false << true << false;
}

void tst_RoomBounds::unusedRoomDropped()
{
    QFETCH(bool, member);
    QFETCH(bool, held);
    QFETCH(bool, dropped);
    RoomManager rooms(options(10));
    Member a, b;
    rooms.join(QStringLiteral("e"), &a);
    if (member)
        rooms.join(QStringLiteral("e"), &b);
    if (held)
        rooms.hold(QStringLiteral("e"));
    rooms.leave(QStringLiteral("e"), &a);
    QSignalSpy droppedSpy(&rooms, &RoomManager::roomDropped);
    QCOMPARE(rooms.dropIfUnused(QStringLiteral("e")), dropped);
    QCOMPARE(droppedSpy.size(), dropped ? 1 : 0);
    QCOMPARE(rooms.roomCount(), dropped ? 0 : 1);
    QVERIFY(!rooms.dropIfUnused(QStringLiteral("none")));
}

void tst_RoomBounds::interest()
{
    RoomManager rooms(options(10));
    Member a;
    QCOMPARE(rooms.interest(QStringLiteral("none")).member, nullptr);
    rooms.join(QStringLiteral("e"), &a);
    QCOMPARE(rooms.interest(QStringLiteral("e")).member, &a);
    QVERIFY(!rooms.interest(QStringLiteral("e")).kept); // no map yet
    rooms.leave(QStringLiteral("e"), &a);
    QCOMPARE(rooms.interest(QStringLiteral("e")).member, nullptr);
    QVERIFY(!rooms.interest(QStringLiteral("e")).kept);
    rooms.applySnapshot(QStringLiteral("e"),
                        {Seat{QStringLiteral("s1"), QStringLiteral("A1"), SeatState::Available}});
    QVERIFY(rooms.interest(QStringLiteral("e")).kept); // a map to keep current
    rooms.join(QStringLiteral("held"), &a);
    rooms.hold(QStringLiteral("held"));
    rooms.leave(QStringLiteral("held"), &a);
    QVERIFY(rooms.interest(QStringLiteral("held")).kept);
}

QTEST_GUILESS_MAIN(tst_RoomBounds)
#include "tst_roombounds.moc"
