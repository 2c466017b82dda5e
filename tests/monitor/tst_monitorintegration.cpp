// SPDX-License-Identifier: MIT
// The monitor end to end: a real nats-server, reservo-ws and reservo-events-sim, and the
// MonitorConnection + WatchedEvents pair the app runs on. Its model must reach the simulator's
// exact seat map after the snapshot and a burst of changes, and again after reservo-ws restarts;
// and with the compact snapshot, after a network drop that the rejoin resumes.
#include "monitorconnection.h"
#include "natsclient.h"
#include "natsserverprocess.h"
#include "natswire.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "tcprelay.h"
#include "testhelpers.h"
#include "watchedevents.h"

#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;
using Sync = EventSeatModel::SyncState;

namespace {
constexpr int Seats = 200;

// One event of `seats` seats, the same for every simulator with as many: `count` changes at
// `rate` per second.
SimProcess::Options simOptions(double rate, qint64 count, int seats = Seats)
{
    return {.seats = seats, .seed = 7, .rate = rate, .count = count};
}

QString describe(const QHash<QString, SeatState> &seats)
{
    QMap<int, int> counts;
    for (SeatState state : seats)
        ++counts[int(state)];
    return QStringLiteral("%1 seats: %2 available, %3 pending, %4 occupied")
        .arg(seats.size())
        .arg(counts.value(0))
        .arg(counts.value(1))
        .arg(counts.value(2));
}
} // namespace

class tst_MonitorIntegration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void modelFollowsTheSimThroughBurstAndRestart();
    void compactSnapshotAndResumedRejoin();

private:
    // The simulator's current map, asked the way reservo-ws asks it (events.get.id).
    std::optional<QHash<QString, SeatState>> simSeats(const QString &eventId);
    // Waits until the model equals the simulator's map; the sim must have stopped publishing.
    bool reachesSimMap(const EventSeatModel &model, QString &why);

    NatsServerProcess m_nats;
    NatsClient m_requester;
    SimProcess m_simA;
    SimProcess m_simB;
};

void tst_MonitorIntegration::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY(m_requester.start({m_nats.url()}, QStringLiteral("tst_monitorintegration")));
    QTRY_COMPARE_WITH_TIMEOUT(m_requester.state(), NatsClient::State::Connected, Timeout);
}

void tst_MonitorIntegration::cleanup()
{
    for (SimProcess *sim : {&m_simA, &m_simB}) {
        sim->printOutputIfFailed();
        sim->stop();
    }
}

std::optional<QHash<QString, SeatState>> tst_MonitorIntegration::simSeats(const QString &eventId)
{
    std::optional<NatsReply> reply;
    m_requester.request(NatsWire::EventByIdSubject,
                        NatsWire::encodeEventByIdRequest(eventId, newId()), 5000,
                        [&](const NatsReply &r) { reply = r; });
    if (!QTest::qWaitFor([&] { return reply.has_value(); }, Timeout) ||
        reply->status != NatsReply::Status::Ok)
        return std::nullopt;
    const auto parsed = NatsWire::parseEventByIdReply(reply->payload);
    if (!parsed || !parsed.value->value)
        return std::nullopt;
    QHash<QString, SeatState> seats;
    for (const Seat &seat : parsed.value->value->seats)
        seats.insert(seat.id, seat.state);
    return seats;
}

bool tst_MonitorIntegration::reachesSimMap(const EventSeatModel &model, QString &why)
{
    const auto sameAsSim = [&] {
        const auto expected = simSeats(model.eventId());
        if (!expected) {
            why = QStringLiteral("the simulator did not answer");
            return false;
        }
        QHash<QString, SeatState> actual;
        for (const Seat &seat : model.seats())
            actual.insert(seat.id, seat.state);
        why = QStringLiteral("model %1 (%2), sim %3")
                  .arg(describe(actual), QVariant::fromValue(model.syncState()).toString(),
                       describe(*expected));
        return actual == *expected && model.syncState() == Sync::Live;
    };
    return QTest::qWaitFor(sameAsSim, Timeout);
}

void tst_MonitorIntegration::modelFollowsTheSimThroughBurstAndRestart()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    MonitorConnection connection;
    WatchedEvents events(&connection);
    connection.start(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(service.port())));

    // 1. Snapshot and a burst: 600 changes at 300/s while the monitor joins and loads the map.
    QVERIFY2(m_simA.start(m_nats.url(), simOptions(300, 600)), qPrintable(m_simA.errorString()));
    const QString eventId = m_simA.eventIds().at(0);
    EventSeatModel *model = events.add(eventId);
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Live, Timeout);
    QCOMPARE(model->seats().size(), Seats);
    // From "published N changes" on, the simulator's map holds still.
    QVERIFY2(m_simA.waitUntilPublished(600), qPrintable(m_simA.errorString()));
    // Nearly all of the burst came after the room existed, as seat updates in sequence.
    QTRY_VERIFY2_WITH_TIMEOUT(model->seq().value_or(0) >= 400,
                              qPrintable(QString::number(model->seq().value_or(-1))), Timeout);
    QString why;
    QVERIFY2(reachesSimMap(*model, why), qPrintable(why));

    // 2. reservo-ws restarts on the same port while the seats change under it: a new simulator
    // (same seed, so back to the initial map) makes 300 changes the old connection never saw.
    QVERIFY2(service.stop(Timeout), qPrintable(service.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Stale, Timeout);
    QVERIFY2(m_simA.stop(), qPrintable(m_simA.errorString()));
    QVERIFY2(m_simB.start(m_nats.url(), simOptions(300, 300)), qPrintable(m_simB.errorString()));
    QCOMPARE(m_simB.eventIds(), QStringList{eventId});
    // On the port the monitor knows, so it reconnects there.
    QVERIFY2(service.restart(), qPrintable(service.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), MonitorConnection::State::Live, Timeout);
    QVERIFY2(m_simB.waitUntilPublished(300), qPrintable(m_simB.errorString()));
    QVERIFY2(reachesSimMap(*model, why), qPrintable(why));
    QCOMPARE(events.unroutedUpdates(), 0);
}

void tst_MonitorIntegration::compactSnapshotAndResumedRejoin()
{
    constexpr int CompactSeats = 600;
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    TcpRelay relay; // the monitor reaches reservo-ws through it, so the network can drop
    QVERIFY(relay.listen(service.port()));
    MonitorConnection connection;
    WatchedEvents events(&connection);
    QSignalSpy snapshots(&connection, &MonitorConnection::snapshotReceived);
    QSignalSpy resumes(&connection, &MonitorConnection::roomResumed);
    connection.start(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(relay.port())));

    // 1. The compact snapshot of a 600-seat event, while 1,000 changes come at 100/s.
    QVERIFY2(m_simA.start(m_nats.url(), simOptions(100, 1000, CompactSeats)),
             qPrintable(m_simA.errorString()));
    const QString eventId = m_simA.eventIds().at(0);
    EventSeatModel *model = events.add(eventId);
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Live, Timeout);
    QCOMPARE(snapshots.size(), 1);
    const auto snapshot = snapshots[0][0].value<RoomMessages::RoomSnapshot>();
    QVERIFY2(snapshot.isCompact(), "reservo-ws sent a JSON snapshot to a compact join");
    QCOMPARE(snapshot.seats.size(), CompactSeats);
    QCOMPARE(snapshot.states.size(), CompactSeats / 4);
    QCOMPARE(model->seats().size(), CompactSeats);
    QTRY_VERIFY_WITH_TIMEOUT(model->seq().value_or(0) >= 50, Timeout);

    // 2. The network drops while the seats keep changing; the monitor reconnects by itself and
    // its rejoin names the map it holds: only the changes it missed follow, not a snapshot.
    const auto held = model->heldPosition();
    QVERIFY(held);
    QCOMPARE(held->epoch, snapshot.epoch);
    relay.cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Stale, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(resumes.size(), 1, Timeout);
    QCOMPARE(relay.accepted(), 2);
    QCOMPARE(resumes[0][0].toString(), eventId);
    const qint64 roomSeq = resumes[0][1].toLongLong();
    QVERIFY2(roomSeq > held->seq, qPrintable(QStringLiteral("held %1, room %2")
                                                 .arg(held->seq)
                                                 .arg(roomSeq))); // something was missed
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Live, Timeout);
    QVERIFY(model->seq().value_or(0) >= roomSeq);
    QVERIFY2(m_simA.waitUntilPublished(1000), qPrintable(m_simA.errorString()));
    QString why;
    QVERIFY2(reachesSimMap(*model, why), qPrintable(why));
    QCOMPARE(snapshots.size(), 1); // resumed: never snapshotted again
    QCOMPARE(events.unroutedUpdates(), 0);
}

QTEST_GUILESS_MAIN(tst_MonitorIntegration)
#include "tst_monitorintegration.moc"
