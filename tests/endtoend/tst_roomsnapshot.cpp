// SPDX-License-Identifier: MIT
// Snapshot on join, end to end: reservo-ws asks the events service (the real reservo-events-sim
// on a real nats-server) for a room's seat map and every joiner converges to the truth, also when
// changes race the fetch and when the events service only shows up later.
#include "eventsprobe.h"
#include "natsserverprocess.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString SnapshotEvent = QStringLiteral("room-snapshot");

// The events service's seed layout, in its order.
QStringList seedTags()
{
    QStringList tags;
    for (const QChar row : {u'A', u'B', u'C'}) {
        for (int seat = 11; seat <= 15; ++seat)
            tags.append(row + QString::number(seat));
    }
    return tags;
}

QList<QJsonObject> snapshots(const TestSocketClient &client, const QString &eventId)
{
    QList<QJsonObject> mine;
    for (const QJsonObject &s : payloadsOf(client.events(), SnapshotEvent)) {
        if (s.value(QStringLiteral("eventId")).toString() == eventId)
            mine.append(s);
    }
    return mine;
}

QJsonArray lastSnapshotArgs(const TestSocketClient &client)
{
    QJsonArray args;
    for (const SocketIo::Packet &event : client.events()) {
        if (event.eventName() == SnapshotEvent)
            args = event.eventArgs();
    }
    return args;
}

SeatState nextState(SeatState s)
{
    return s == SeatState::Available ? SeatState::Pending
           : s == SeatState::Pending ? SeatState::Occupied
                                     : SeatState::Available;
}
} // namespace

class tst_RoomSnapshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void snapshotIsTheEventsServiceMap();
    void unknownEventClosesItsRoom();
    void changesPublishedDuringFetchAreApplied();
    void simulatorChangesRacingFetchConverge();
    void eventsServiceAbsentThenPresent();

private:
    NatsServerProcess m_nats;
};

void tst_RoomSnapshot::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_RoomSnapshot::snapshotIsTheEventsServiceMap()
{
    const SimProcess::Options options{.events = 2, .seed = 11, .initialOccupiedPercent = 40};
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), options), qPrintable(sim.errorString()));
    const QString first = sim.eventIds().at(0);
    const QString second = sim.eventIds().at(1);
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(first), qPrintable(probe.errorString()));
    const std::optional<QList<Seat>> truth = probe.seats(first);
    const std::optional<QList<Seat>> truthSecond = probe.seats(second);
    QVERIFY2(truth && truthSecond, qPrintable(probe.errorString()));
    QVERIFY(seatMap(*truth).values().join(u',').contains(QStringLiteral("OCCUPIED")));
    QVERIFY(seatMap(*truth).values().join(u',').contains(QStringLiteral("AVAILABLE")));

    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    TestSocketClient a;
    QVERIFY2(a.connectTo(service.socketUrl()), qPrintable(a.errorString()));
    QVERIFY(a.joinEventRoom(first));
    QTRY_COMPARE_WITH_TIMEOUT(snapshots(a, first).size(), 1, Timeout);

    const QJsonObject snapshot = snapshots(a, first).constFirst();
    QCOMPARE(snapshot.value(QStringLiteral("complete")), QJsonValue(true));
    QCOMPARE(snapshot.value(QStringLiteral("seq")), QJsonValue(0));
    QCOMPARE(snapshot.value(QStringLiteral("viewers")), QJsonValue(1));
    QCOMPARE(seatMap(snapshot), seatMap(*truth));
    QStringList tags;
    for (const Seat &seat : seatsOf(snapshot))
        tags.append(seat.tag);
    QCOMPARE(tags, seedTags()); // A11..C15 in the events service's order

    // A later joiner gets the cached map with two viewers; another room has its own map.
    TestSocketClient b;
    QVERIFY2(b.connectTo(service.socketUrl()), qPrintable(b.errorString()));
    QVERIFY(b.joinEventRoom(first));
    QVERIFY(b.joinEventRoom(second));
    QTRY_COMPARE_WITH_TIMEOUT(snapshots(b, second).size(), 1, Timeout);
    QCOMPARE(snapshots(b, first).size(), 1);
    QCOMPARE(seatMap(snapshots(b, first).constFirst()), seatMap(*truth));
    QCOMPARE(snapshots(b, first).constFirst().value(QStringLiteral("viewers")), QJsonValue(2));
    QCOMPARE(seatMap(snapshots(b, second).constFirst()), seatMap(*truthSecond));
    QCOMPARE(RoomView::of(first, a.events()).problems(), QStringList());
    QCOMPARE(RoomView::of(first, b.events()).problems(), QStringList());
    QCOMPARE(RoomView::of(second, b.events()).problems(), QStringList());
}

void tst_RoomSnapshot::unknownEventClosesItsRoom()
{
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), {.seed = 12}), qPrintable(sim.errorString()));
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(sim.eventIds().at(0)), qPrintable(probe.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));

    // The first join is acknowledged as the original's was; when the events service answers
    // NOT_FOUND the room goes and its member hears `room-error`, with no snapshot.
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    const QString unknown = newId();
    QVERIFY(client.joinEventRoom(unknown));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(client.events(), QStringLiteral("room-error")).size(), 1,
                              Timeout);
    const QJsonObject roomError{{QStringLiteral("eventId"), unknown},
                                {QStringLiteral("error"), QStringLiteral("unknown event")}};
    QCOMPARE(payloadsOf(client.events(), QStringLiteral("room-error")).constFirst(), roomError);
    QCOMPARE(snapshots(client, unknown).size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(service.metric("reservo_rooms"), 0.0, Timeout);
    QCOMPARE(service.metric("reservo_unknown_events"), 1.0);

    // Joins of it are now refused at once, without asking the events service again.
    const double asked = service.metric("reservo_events_requests_total");
    const std::optional<QJsonArray> ack = client.emitWithAck(
        QStringLiteral("join-event-room"), {QJsonObject{{QStringLiteral("eventId"), unknown}}});
    QVERIFY2(ack, "no ack for the second join");
    QCOMPARE(ack->at(0).toObject(),
             QJsonObject({{QStringLiteral("error"), QStringLiteral("unknown event")}}));
    QCOMPARE(service.metric("reservo_rooms"), 0.0);
    QCOMPARE(service.metric("reservo_events_requests_total"), asked);
    QCOMPARE(service.metric("reservo_unknown_event_joins_total"), 2.0);
    QVERIFY(client.isConnected());
    service.printOutputIfFailed();
}

void tst_RoomSnapshot::changesPublishedDuringFetchAreApplied()
{
    // The sim answers 3 s late with the map it had when asked; the changes published meanwhile
    // reach the service while its fetch is in flight and must end up in the snapshot.
    const SimProcess::Options options{
        .seed = 13, .initialOccupiedPercent = 50, .replyDelayMs = 3000};
    QString error;
    const QList<QJsonObject> described = SimProcess::describeEvents(options, &error);
    QVERIFY2(described.size() == 1, qPrintable(error));
    const QList<Seat> initial = seatsOf(described.first());
    QCOMPARE(initial.size(), 15);
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), options), qPrintable(sim.errorString()));
    const QString eventId = sim.eventIds().at(0);
    QCOMPARE(eventId, described.first().value(QStringLiteral("id")).toString());
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(eventId), qPrintable(probe.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));

    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    QVERIFY(client.joinEventRoom(eventId)); // the room's first fetch is now in flight
    const QList<Seat> changes{
        {initial[0].id, {}, nextState(initial[0].state)},
        {initial[1].id, {}, nextState(initial[1].state)},
        {initial[0].id, {}, nextState(nextState(initial[0].state))},
        {initial[2].id, {}, initial[2].state}, // what the events service has anyway
        {initial[3].id, {}, nextState(initial[3].state)},
        {initial[3].id, {}, initial[3].state}, // and back
        {initial[14].id, {}, nextState(initial[14].state)},
    };
    for (const Seat &change : changes)
        QVERIFY2(probe.publish(eventId, change.id, change.state), qPrintable(probe.errorString()));
    const QMap<QString, QString> expected = seatMap(withChanges(initial, changes));

    QTRY_COMPARE_WITH_TIMEOUT(snapshots(client, eventId).size(), 1, Timeout);
    const RoomView view = RoomView::of(eventId, client.events());
    QVERIFY2(view.updatesBeforeFirstSnapshot() > 0, "no change reached the room during the fetch");
    QCOMPARE(seatMap(snapshots(client, eventId).constFirst()), expected);
    QCOMPARE(view.seats(), expected);
    QVERIFY(view.isComplete());
    QCOMPARE(view.problems(), QStringList());

    TestSocketClient late;
    QVERIFY2(late.connectTo(service.socketUrl()), qPrintable(late.errorString()));
    QVERIFY(late.joinEventRoom(eventId));
    QTRY_COMPARE_WITH_TIMEOUT(snapshots(late, eventId).size(), 1, Timeout);
    QCOMPARE(seatMap(snapshots(late, eventId).constFirst()), expected);
    QCOMPARE(snapshots(late, eventId).constFirst().value(QStringLiteral("seq")).toDouble(),
             double(view.seq()));
}

void tst_RoomSnapshot::simulatorChangesRacingFetchConverge()
{
    // The sim changes a seat every 100 ms for 1.5 s from the moment it serves requests, and
    // answers 3 s late with the map it had when asked. The join comes at once, so its fetch is in
    // flight while most of those changes are published, and no change comes after it to hide a
    // lost one: the map is right only if the changes are replayed on top of the fetched one.
    const SimProcess::Options options{
        .seed = 14, .initialOccupiedPercent = 30, .rate = 10, .count = 15, .replyDelayMs = 3000};
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), options), qPrintable(sim.errorString()));
    const QString eventId = sim.eventIds().at(0);
    TestSocketClient first;
    QVERIFY2(first.connectTo(service.socketUrl()), qPrintable(first.errorString()));
    QVERIFY2(sim.waitUntilAnswering(), qPrintable(sim.errorString()));
    QVERIFY(first.joinEventRoom(eventId));

    QTRY_COMPARE_WITH_TIMEOUT(snapshots(first, eventId).size(), 1, Timeout);
    QVERIFY2(RoomView::of(eventId, first.events()).updatesBeforeFirstSnapshot() > 0,
             "no change reached the room during the fetch");
    TestSocketClient second; // joins the cached map
    QVERIFY2(second.connectTo(service.socketUrl()), qPrintable(second.errorString()));
    QVERIFY(second.joinEventRoom(eventId));
    QVERIFY2(sim.waitUntilPublished(options.count), qPrintable(sim.errorString()));
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    const std::optional<QList<Seat>> truth = probe.seats(eventId);
    QVERIFY2(truth, qPrintable(probe.errorString()));
    for (const TestSocketClient *client : {&first, &second}) {
        QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(eventId, client->events()).seats(), seatMap(*truth),
                                  Timeout);
        QCOMPARE(RoomView::of(eventId, client->events()).problems(), QStringList());
    }
    service.printOutputIfFailed();
}

void tst_RoomSnapshot::eventsServiceAbsentThenPresent()
{
    const SimProcess::Options options{.seed = 15, .initialOccupiedPercent = 40};
    QString error;
    const QList<QJsonObject> described = SimProcess::describeEvents(options, &error);
    QVERIFY2(described.size() == 1, qPrintable(error));
    const QString eventId = described.first().value(QStringLiteral("id")).toString();
    // A 60 s request timeout: only NATS's immediate "no responders" can make the partial
    // snapshot arrive within the bounds below. Retries at most 1 s apart.
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(),
                           {{QStringLiteral("NATS_REQUEST_TIMEOUT_MS"), QStringLiteral("60000")},
                            {QStringLiteral("SNAPSHOT_RETRY_MAX_MS"), QStringLiteral("1000")}}),
             qPrintable(service.errorString()));
    constexpr int QuickMs = 10000;

    TestSocketClient a;
    TestSocketClient b;
    for (TestSocketClient *client : {&a, &b}) {
        QVERIFY2(client->connectTo(service.socketUrl()), qPrintable(client->errorString()));
        QVERIFY(client->joinEventRoom(eventId));
        QTRY_COMPARE_WITH_TIMEOUT(snapshots(*client, eventId).size(), 1, QuickMs);
        const QJsonObject partial = snapshots(*client, eventId).constFirst();
        QCOMPARE(partial.value(QStringLiteral("complete")), QJsonValue(false));
        QCOMPARE(partial.value(QStringLiteral("seats")), QJsonValue(QJsonArray()));
    }
    // Absent for a while: with retries capped at 1 s, five failed attempts take about 3.5 s.
    QTRY_VERIFY_WITH_TIMEOUT(service.metric("reservo_events_requests_failed_total") >= 5, Timeout);

    SimProcess sim;
    QElapsedTimer present;
    present.start();
    QVERIFY2(sim.start(m_nats.url(), options), qPrintable(sim.errorString()));
    for (const TestSocketClient *client : {&a, &b})
        QTRY_COMPARE_WITH_TIMEOUT(snapshots(*client, eventId).size(), 2, QuickMs);
    qInfo() << "complete snapshot" << present.elapsed() << "ms after the sim started";

    for (const TestSocketClient *client : {&a, &b}) {
        const QJsonObject complete = snapshots(*client, eventId).constLast();
        QCOMPARE(complete.value(QStringLiteral("complete")), QJsonValue(true));
        QCOMPARE(seatMap(complete), seatMap(seatsOf(described.first())));
        QCOMPARE(complete.value(QStringLiteral("viewers")), QJsonValue(2));
        QCOMPARE(lastSnapshotArgs(*client).size(), 2); // a broadcast, with its recovery offset
        const RoomView view = RoomView::of(eventId, client->events());
        QVERIFY(view.isComplete());
        QCOMPARE(view.problems(), QStringList());
    }
}

QTEST_GUILESS_MAIN(tst_RoomSnapshot)
#include "tst_roomsnapshot.moc"
