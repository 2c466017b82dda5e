// SPDX-License-Identifier: MIT
// Connection state recovery (Socket.IO v4.6+) end to end, spoken step by step by the test's own
// client: CONNECT answered with a pid; a reconnect with that pid and the last offset gets the same
// pid back, its rooms and every missed broadcast in order, unless the window expired or the
// room's recovery buffer lost some of them: then a new pid, no replay, and a rejoin gets a fresh
// snapshot.
#include "eventsprobe.h"
#include "natsserverprocess.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString SnapshotEvent = QStringLiteral("room-snapshot");
const QByteArray RecoverySessions = "reservo_recovery_sessions";

// The CONNECT reply's payload ({"sid","pid"}), or an empty object if CONNECT was not accepted.
QJsonObject connectReply(TestSocketClient &client, const QUrl &url, const QJsonObject &auth = {})
{
    if (!client.open(url))
        return {};
    const std::optional<SocketIo::Packet> reply =
        client.connectNamespace(QStringLiteral("/"), auth);
    if (!reply || reply->type != SocketIo::PacketType::Connect)
        return {};
    return reply->data.toObject();
}

// What a Socket.IO v4.6+ client sends in CONNECT to recover.
QJsonObject recoveryAuth(const QString &pid, const QString &offset)
{
    return {{QStringLiteral("pid"), pid}, {QStringLiteral("offset"), offset}};
}
} // namespace

class tst_StateRecovery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void recoveredWithinWindow();
    void refusedAfterWindow();
    void recoveryBoundedByBuffer_data();
    void recoveryBoundedByBuffer();
    void recoveredAcrossRoomsJoinedAtDifferentTimes();
    void noPidWhenRecoveryDisabled();

private:
    // A client that joined the room, got one update after its snapshot and then lost its
    // transport (while an observer stays in the room): what it needs to recover.
    struct Dropped
    {
        QString pid;
        QString sid;
        QString offset;
        QList<SocketIo::Packet> events;
    };
    bool dropAfterOneUpdate(ServiceProcess &service, TestSocketClient &observer, Dropped &dropped);
    bool publishWhileAway(TestSocketClient &observer, int changes);

    NatsServerProcess m_nats;
    SimProcess m_sim;
    EventsProbe m_probe;
    QString m_room; // the sim's first event; the others are for several rooms at once
    QList<Seat> m_seats;
    QHash<QString, QList<Seat>> m_otherSeats;
    int m_published = 0;
};

void tst_StateRecovery::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_sim.start(m_nats.url(), {.events = 3, .seed = 51}), qPrintable(m_sim.errorString()));
    m_room = m_sim.eventIds().at(0);
    QVERIFY2(m_probe.start(m_nats.url()), qPrintable(m_probe.errorString()));
    QVERIFY2(m_probe.waitUntilAnswering(m_room), qPrintable(m_probe.errorString()));
    for (const QString &eventId : m_sim.eventIds()) {
        const std::optional<QList<Seat>> seats = m_probe.seats(eventId);
        QVERIFY2(seats, qPrintable(m_probe.errorString()));
        m_otherSeats.insert(eventId, *seats);
    }
    m_seats = m_otherSeats.take(m_room);
}

bool tst_StateRecovery::dropAfterOneUpdate(ServiceProcess &service, TestSocketClient &observer,
                                           Dropped &dropped)
{
    m_published = 0;
    TestSocketClient client;
    const QJsonObject reply = connectReply(client, service.socketUrl());
    dropped.pid = reply.value(QStringLiteral("pid")).toString();
    dropped.sid = reply.value(QStringLiteral("sid")).toString();
    if (dropped.pid.isEmpty() || !client.joinEventRoom(m_room) ||
        !observer.connectTo(service.socketUrl()) || !observer.joinEventRoom(m_room))
        return false;
    const auto snapshotsArrived = [&] {
        return !payloadsOf(client.events(), SnapshotEvent).isEmpty() &&
               !payloadsOf(observer.events(), SnapshotEvent).isEmpty();
    };
    if (!QTest::qWaitFor(snapshotsArrived, Timeout) || !publishWhileAway(observer, 1) ||
        !QTest::qWaitFor([&] { return client.seatUpdates().size() == 1; }, Timeout))
        return false;
    dropped.offset = lastOffset(client.events());
    dropped.events = client.events();
    client.close(); // the transport drops; no Socket.IO DISCONNECT: the session is recoverable
    return client.waitForDisconnected() &&
           QTest::qWaitFor([&] { return service.metric(RecoverySessions) == 1; }, Timeout);
}

// Publishes changes that each alter a seat, and waits until the observer has them all.
bool tst_StateRecovery::publishWhileAway(TestSocketClient &observer, int changes)
{
    const qsizetype before = observer.seatUpdates().size();
    for (int i = 0; i < changes; ++i, ++m_published) {
        const Seat &seat = m_seats.at(m_published % m_seats.size());
        const SeatState state =
            (m_published / m_seats.size()) % 2 ? SeatState::Available : SeatState::Occupied;
        if (!m_probe.publish(m_room, seat.id, state))
            return false;
    }
    return QTest::qWaitFor([&] { return observer.seatUpdates().size() == before + changes; },
                           Timeout);
}

void tst_StateRecovery::recoveredWithinWindow()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    TestSocketClient observer;
    Dropped dropped;
    QVERIFY2(dropAfterOneUpdate(service, observer, dropped), "could not set up a dropped client");
    QVERIFY(!dropped.offset.isEmpty());
    QVERIFY(publishWhileAway(observer, 5));

    TestSocketClient back;
    const QJsonObject reply =
        connectReply(back, service.socketUrl(), recoveryAuth(dropped.pid, dropped.offset));
    QCOMPARE(reply.value(QStringLiteral("pid")).toString(), dropped.pid);
    QCOMPARE(reply.value(QStringLiteral("sid")).toString(), dropped.sid);
    // Exactly the broadcasts it missed, byte for byte what the observer got, in the same order.
    const QList<QByteArray> missed = observer.seatUpdateFrames().mid(1);
    QTRY_COMPARE_WITH_TIMEOUT(back.seatUpdateFrames().size(), missed.size(), Timeout);
    QCOMPARE(back.seatUpdateFrames(), missed);
    QCOMPARE(service.metric("reservo_recoveries_total"), 1.0);

    // Its room came back with it: the next change arrives without a rejoin.
    QVERIFY(publishWhileAway(observer, 1));
    QTRY_COMPARE_WITH_TIMEOUT(back.seatUpdateFrames().size(), missed.size() + 1, Timeout);
    QCOMPARE(back.seatUpdateFrames().constLast(), observer.seatUpdateFrames().constLast());
    const RoomView view = RoomView::of(m_room, dropped.events + back.events());
    QCOMPARE(view.problems(), QStringList()); // seq +1 across the gap: nothing lost, nothing twice
    QCOMPARE(view.seats(), RoomView::of(m_room, observer.events()).seats());
    QCOMPARE(payloadsOf(back.events(), SnapshotEvent).size(), 0);

    // A recovered session recovers again, from where it is now.
    const QString offset = lastOffset(back.events());
    back.close();
    QVERIFY(back.waitForDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(service.metric(RecoverySessions), 1.0, Timeout);
    QVERIFY(publishWhileAway(observer, 2));
    TestSocketClient again;
    const QJsonObject againReply =
        connectReply(again, service.socketUrl(), recoveryAuth(dropped.pid, offset));
    QCOMPARE(againReply.value(QStringLiteral("pid")).toString(), dropped.pid);
    QTRY_COMPARE_WITH_TIMEOUT(again.seatUpdateFrames().size(), 2, Timeout);
    QCOMPARE(again.seatUpdateFrames(), observer.seatUpdateFrames().mid(missed.size() + 2));
    service.printOutputIfFailed();
}

void tst_StateRecovery::noPidWhenRecoveryDisabled()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("MAX_DISCONNECTION_DURATION_MS"),
                                           QStringLiteral("0")}}),
             qPrintable(service.errorString()));
    TestSocketClient client;
    const QJsonObject reply = connectReply(client, service.socketUrl());
    QVERIFY(!reply.value(QStringLiteral("sid")).toString().isEmpty());
    QVERIFY2(!reply.contains(QStringLiteral("pid")), "a pid promises a recovery that is disabled");
}

void tst_StateRecovery::refusedAfterWindow()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("MAX_DISCONNECTION_DURATION_MS"),
                                           QStringLiteral("3000")}}),
             qPrintable(service.errorString()));
    TestSocketClient observer;
    Dropped dropped;
    QVERIFY2(dropAfterOneUpdate(service, observer, dropped), "could not set up a dropped client");
    QVERIFY(publishWhileAway(observer, 3));
    QTRY_COMPARE_WITH_TIMEOUT(service.metric(RecoverySessions), 0.0, Timeout); // expired

    TestSocketClient back;
    const QJsonObject reply =
        connectReply(back, service.socketUrl(), recoveryAuth(dropped.pid, dropped.offset));
    const QString pid = reply.value(QStringLiteral("pid")).toString();
    QVERIFY2(!pid.isEmpty() && pid != dropped.pid, qPrintable(pid));
    QVERIFY(reply.value(QStringLiteral("sid")).toString() != dropped.sid);
    // A replay would come right after CONNECT, before the answer to anything sent after it.
    QVERIFY(back.joinEventRoom(m_room));
    QCOMPARE(back.seatUpdates().size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(back.events(), SnapshotEvent).size(), 1, Timeout);
    const RoomView truth = RoomView::of(m_room, observer.events());
    const QJsonObject snapshot = payloadsOf(back.events(), SnapshotEvent).constFirst();
    QCOMPARE(seatMap(snapshot), truth.seats());
    QCOMPARE(quint64(snapshot.value(QStringLiteral("seq")).toInteger()), truth.seq());
    QCOMPARE(service.metric("reservo_recoveries_refused_total"), 1.0);
    service.printOutputIfFailed();
}

void tst_StateRecovery::recoveryBoundedByBuffer_data()
{
    QTest::addColumn<int>("missed");
    QTest::addColumn<bool>("recovered");
    QTest::newRow("as many as the buffer holds") << 3 << true;
    QTest::newRow("one more than it holds") << 4 << false;
}

void tst_StateRecovery::recoveryBoundedByBuffer()
{
    QFETCH(int, missed);
    QFETCH(bool, recovered);
    ServiceProcess service;
    QVERIFY2(
        service.start(m_nats.url(), {{QStringLiteral("RECOVERY_BUFFER"), QStringLiteral("3")}}),
        qPrintable(service.errorString()));
    TestSocketClient observer;
    Dropped dropped;
    QVERIFY2(dropAfterOneUpdate(service, observer, dropped), "could not set up a dropped client");
    QVERIFY(publishWhileAway(observer, missed));

    TestSocketClient back;
    const QJsonObject reply =
        connectReply(back, service.socketUrl(), recoveryAuth(dropped.pid, dropped.offset));
    const QString pid = reply.value(QStringLiteral("pid")).toString();
    QVERIFY(!pid.isEmpty());
    QCOMPARE(pid == dropped.pid, recovered);
    if (recovered) {
        QTRY_COMPARE_WITH_TIMEOUT(back.seatUpdateFrames().size(), missed, Timeout);
        QCOMPARE(back.seatUpdateFrames(), observer.seatUpdateFrames().mid(1));
        return;
    }
    QVERIFY(back.joinEventRoom(m_room));
    QCOMPARE(back.seatUpdates().size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(back.events(), SnapshotEvent).size(), 1, Timeout);
    QCOMPARE(seatMap(payloadsOf(back.events(), SnapshotEvent).constFirst()),
             RoomView::of(m_room, observer.events()).seats());
    service.printOutputIfFailed();
}

void tst_StateRecovery::recoveredAcrossRoomsJoinedAtDifferentTimes()
{
    // A client watching two events (as the monitor does) joins its second room after traffic of
    // a room it does not watch, and receives no broadcast since: its last offset is older than
    // that second room, yet it missed nothing there. It must be recovered, with the updates of
    // both rooms in the order they were broadcast.
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    const QString a = m_room;
    const QString b = m_sim.eventIds().at(1);
    const QString unwatched = m_sim.eventIds().at(2);
    const auto seatOf = [&](const QString &room, int i) {
        return room == a ? m_seats.at(i).id : m_otherSeats.value(room).at(i).id;
    };
    TestSocketClient client;
    const QJsonObject reply = connectReply(client, service.socketUrl());
    const QString pid = reply.value(QStringLiteral("pid")).toString();
    TestSocketClient observer;
    QVERIFY2(observer.connectTo(service.socketUrl()), qPrintable(observer.errorString()));
    QVERIFY(client.joinEventRoom(a));
    QVERIFY(observer.joinEventRoom(a));
    QVERIFY(observer.joinEventRoom(unwatched));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(observer.events(), SnapshotEvent).size(), 2, Timeout);
    QVERIFY(m_probe.publish(a, seatOf(a, 0), SeatState::Occupied));
    QVERIFY(m_probe.publish(unwatched, seatOf(unwatched, 0), SeatState::Occupied));
    QTRY_COMPARE_WITH_TIMEOUT(observer.seatUpdates().size(), 2, Timeout);
    QCOMPARE(client.seatUpdates().size(), 1);
    QVERIFY(observer.joinEventRoom(b)); // b comes into being now, after the unwatched update
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(observer.events(), SnapshotEvent).size(), 3, Timeout);
    QVERIFY(client.joinEventRoom(b));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(client.events(), SnapshotEvent).size(), 2, Timeout);
    const QString offset = lastOffset(client.events());
    const QList<SocketIo::Packet> before = client.events();
    client.close();
    QVERIFY(client.waitForDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(service.metric(RecoverySessions), 1.0, Timeout);

    for (int i = 1; i <= 2; ++i) {
        QVERIFY(m_probe.publish(b, seatOf(b, i), SeatState::Pending));
        QVERIFY(m_probe.publish(a, seatOf(a, i), SeatState::Pending));
    }
    QTRY_COMPARE_WITH_TIMEOUT(observer.seatUpdates().size(), 6, Timeout);
    TestSocketClient back;
    const QJsonObject backReply =
        connectReply(back, service.socketUrl(), recoveryAuth(pid, offset));
    QCOMPARE(backReply.value(QStringLiteral("pid")).toString(), pid);
    const QList<QByteArray> missed = observer.seatUpdateFrames().mid(2);
    QTRY_COMPARE_WITH_TIMEOUT(back.seatUpdateFrames().size(), missed.size(), Timeout);
    QCOMPARE(back.seatUpdateFrames(), missed);
    for (const QString &room : {a, b}) {
        const RoomView view = RoomView::of(room, before + back.events());
        QCOMPARE(view.problems(), QStringList());
        QCOMPARE(view.seats(), RoomView::of(room, observer.events()).seats());
    }
    service.printOutputIfFailed();
}

QTEST_GUILESS_MAIN(tst_StateRecovery)
#include "tst_staterecovery.moc"
