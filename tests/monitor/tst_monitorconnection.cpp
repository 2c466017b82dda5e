// SPDX-License-Identifier: MIT
// MonitorConnection against an in-process Socket.IO server (the shared ServerSession behind a
// QWebSocketServer) that can drop clients, refuse them, or behave like an older reservo-ws; with
// WatchedEvents, the compact snapshot and rejoining with the map held.
#include "compactseats.h"
#include "fakeroomserver.h"
#include "monitorconnection.h"
#include "socketiourl.h"
#include "watchedevents.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;
using State = MonitorConnection::State;
using Sync = EventSeatModel::SyncState;

namespace {
const QString E1 = QStringLiteral("e1");

QList<Seat> seatsOf(int count)
{
    QList<Seat> seats;
    for (int i = 0; i < count; ++i)
        seats.append(
            {QStringLiteral("s%1").arg(i), QStringLiteral("A%1").arg(i + 1), SeatState(i % 3)});
    return seats;
}

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The model's map as the server's: every seat with its state, nothing else.
bool sameMap(const EventSeatModel &model, const QList<Seat> &seats)
{
    if (model.seats().size() != seats.size())
        return false;
    for (const Seat &seat : seats) {
        const int i = model.indexOf(seat.id);
        if (i < 0 || model.seats().at(i) != seat)
            return false;
    }
    return true;
}
} // namespace

class tst_MonitorConnection : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void socketUrl_data();
    void socketUrl();
    void joinsWatchedRoomsWhenLive();
    void reconnectsWithBackoffAndRejoins();
    void backoffGrowsWhileServerIsDown();
    void refusedConnectionIsAnError();
    void invalidUrlIsAnError();
    void listEventsAnswered();
    void listEventsWithoutAnswerFallsBack();
    void listEventsWhileDisconnectedFails();
    void resyncLeavesAndJoinsAgain();
    void roomEventsBecomeSignals();
    void joinsWithTheCompactSnapshot();
    void olderServerAnswersTheOptInJoinWithJson();
    void rejoinAfterReconnect_data();
    void rejoinAfterReconnect();
    void undecodableSnapshotRejoins_data();
    void undecodableSnapshotRejoins();
    void gapRejoinsFromWhereTheMapWasWhole();
    void seatOutsideTheLayoutIsAdded();

private:
    void startLive();
    // WatchedEvents watching e1 (10 seats on the server) until its model is live.
    EventSeatModel *watchLive(WatchedEvents &events);

    std::unique_ptr<FakeRoomServer> m_server;
    std::unique_ptr<MonitorConnection> m_connection;
};

void tst_MonitorConnection::init()
{
    m_server = std::make_unique<FakeRoomServer>();
    QVERIFY(m_server->listen());
    m_connection = std::make_unique<MonitorConnection>();
}

void tst_MonitorConnection::cleanup()
{
    m_connection.reset();
    m_server.reset();
}

void tst_MonitorConnection::startLive()
{
    m_connection->watch(QStringLiteral("e1"));
    m_connection->start(m_server->url());
    QTRY_COMPARE(m_connection->state(), State::Live);
}

void tst_MonitorConnection::socketUrl_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("socket");
    QTest::newRow("http") << "http://127.0.0.1:3000"
                          << "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket";
    QTest::newRow("https with a path")
        << "https://tickets.example/app"
        << "wss://tickets.example/socket.io/?EIO=4&transport=websocket";
    QTest::newRow("ws") << "ws://h:1"
                        << "ws://h:1/socket.io/?EIO=4&transport=websocket";
    QTest::newRow("ftp is not a service") << "ftp://h"
                                          << "";
    QTest::newRow("no host") << "http://"
                             << "";
}

void tst_MonitorConnection::socketUrl()
{
    QFETCH(QString, service);
    QFETCH(QString, socket);
    QCOMPARE(socketIoUrl(QUrl(service)).toString(), socket);
}

void tst_MonitorConnection::joinsWatchedRoomsWhenLive()
{
    QSignalSpy joined(m_connection.get(), &MonitorConnection::roomJoined);
    QSignalSpy snapshots(m_connection.get(), &MonitorConnection::snapshotReceived);
    startLive();
    QTRY_COMPARE(joined.size(), 1);
    QCOMPARE(m_server->joins, QStringList{"e1"});
    QTRY_COMPARE(snapshots.size(), 1);
    QVERIFY(m_connection->serverSendsSnapshots());
    m_connection->watch(QStringLiteral("e2")); // while live: joined at once
    QTRY_COMPARE(m_server->joins, QStringList({"e1", "e2"}));
}

void tst_MonitorConnection::reconnectsWithBackoffAndRejoins()
{
    startLive();
    QTRY_COMPARE(m_server->joins.size(), 1);
    QSignalSpy lost(m_connection.get(), &MonitorConnection::connectionLost);
    m_server->dropAll();
    QTRY_COMPARE(m_connection->state(), State::Reconnecting);
    QCOMPARE(lost.size(), 1);
    const int retry = m_connection->retryRemainingMs();
    QVERIFY2(retry > 0 && retry <= ReconnectBackoff::InitialMs * 5 / 4,
             qPrintable(QString::number(retry)));
    QTRY_COMPARE(m_connection->state(), State::Live);
    QTRY_COMPARE(m_server->joins, QStringList({"e1", "e1"}));
}

void tst_MonitorConnection::backoffGrowsWhileServerIsDown()
{
    const QUrl url = m_server->url();
    m_server.reset(); // nothing listens there now
    QList<int> delays;
    connect(m_connection.get(), &MonitorConnection::stateChanged, this, [&](State state) {
        if (state == State::Reconnecting)
            delays.append(m_connection->retryRemainingMs());
    });
    m_connection->start(url);
    QTRY_VERIFY_WITH_TIMEOUT(delays.size() >= 3, 10000);
    QVERIFY2(delays[0] <= ReconnectBackoff::InitialMs * 5 / 4,
             qPrintable(QString::number(delays[0])));
    QVERIFY2(delays[2] >= ReconnectBackoff::InitialMs * 4 * 3 / 4 - 50,
             qPrintable(QString::number(delays[2])));
    QVERIFY(m_connection->attempt() >= 3);
    QVERIFY(!m_connection->errorString().isEmpty());
}

void tst_MonitorConnection::refusedConnectionIsAnError()
{
    m_server->refuseConnect = true;
    m_connection->start(m_server->url());
    QTRY_COMPARE(m_connection->state(), State::Error);
    QVERIFY2(m_connection->errorString().contains(QStringLiteral("Authentication error")),
             qPrintable(m_connection->errorString()));
    QTest::qWait(ReconnectBackoff::InitialMs * 2);
    QCOMPARE(m_connection->state(), State::Error); // no hammering a server that said no
}

void tst_MonitorConnection::invalidUrlIsAnError()
{
    m_connection->start(QUrl(QStringLiteral("ftp://nowhere")));
    QCOMPARE(m_connection->state(), State::Error);
}

void tst_MonitorConnection::listEventsAnswered()
{
    startLive();
    QSignalSpy listed(m_connection.get(), &MonitorConnection::eventsListed);
    m_connection->requestEventList();
    QTRY_COMPARE(listed.size(), 1);
    const auto events = listed[0][0].value<QList<NatsWire::EventSummary>>();
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[1].name, QStringLiteral("Teatro"));
}

void tst_MonitorConnection::listEventsWithoutAnswerFallsBack()
{
    m_server->answerList = false; // an older server ignores the event
    startLive();
    QSignalSpy failed(m_connection.get(), &MonitorConnection::eventsListFailed);
    m_connection->requestEventList();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, MonitorConnection::ListTimeoutMs + 2000);
    QVERIFY(failed[0][0].toString().contains(QStringLiteral("did not answer")));
}

void tst_MonitorConnection::listEventsWhileDisconnectedFails()
{
    QSignalSpy failed(m_connection.get(), &MonitorConnection::eventsListFailed);
    m_connection->requestEventList();
    QTRY_COMPARE(failed.size(), 1);
}

void tst_MonitorConnection::resyncLeavesAndJoinsAgain()
{
    startLive();
    QTRY_COMPARE(m_server->joins.size(), 1);
    m_connection->resync(QStringLiteral("e1"));
    QTRY_COMPARE(m_server->joins.size(), 2);
    QCOMPARE(m_server->leaves, QStringList{"e1"});
}

void tst_MonitorConnection::roomEventsBecomeSignals()
{
    startLive();
    QTRY_COMPARE(m_server->joins.size(), 1);
    QSignalSpy updates(m_connection.get(), &MonitorConnection::seatUpdated);
    QSignalSpy presence(m_connection.get(), &MonitorConnection::presenceChanged);
    m_server->broadcast(QStringLiteral("update-seat-status"),
                        {{"id", "s1"}, {"state", "OCCUPIED"}, {"eventId", "e1"}, {"seq", 4}});
    m_server->broadcast(QStringLiteral("update-seat-status"), {{"id", "s2"}}); // malformed
    m_server->broadcast(QStringLiteral("room-presence"), {{"eventId", "e1"}, {"viewers", 3}});
    QTRY_COMPARE(presence.size(), 1);
    QCOMPARE(updates.size(), 1);
    const auto update = updates[0][0].value<RoomMessages::SeatUpdate>();
    QCOMPARE(update.seatId, QStringLiteral("s1"));
    QCOMPARE(update.seq, 4);
    QCOMPARE(presence[0][1].toInt(), 3);
    QCOMPARE(m_connection->state(), State::Live); // a bad message is dropped, not fatal
}

EventSeatModel *tst_MonitorConnection::watchLive(WatchedEvents &events)
{
    m_server->setSeats(E1, seatsOf(10));
    EventSeatModel *model = events.add(E1);
    m_connection->start(m_server->url());
    if (!QTest::qWaitFor([&] { return model->syncState() == Sync::Live; }, 5000))
        return nullptr;
    return model;
}

void tst_MonitorConnection::joinsWithTheCompactSnapshot()
{
    m_server->setSeats(E1, seatsOf(10));
    QSignalSpy snapshots(m_connection.get(), &MonitorConnection::snapshotReceived);
    QSignalSpy resumed(m_connection.get(), &MonitorConnection::roomResumed);
    startLive();
    QTRY_COMPARE(snapshots.size(), 1);
    QCOMPARE(compactJson(m_server->joinPayloads.at(0)),
             QByteArray(R"({"eventId":"e1","snapshot":"compact"})"));
    const auto snapshot = snapshots[0][0].value<RoomMessages::RoomSnapshot>();
    QCOMPARE(snapshot.seats, seatsOf(10)); // ids, tags and states from layout + packed states
    QCOMPARE(snapshot.layout, CompactSeats::layoutVersion(seatsOf(10)));
    QCOMPARE(snapshot.epoch, m_server->epoch(E1));
    QCOMPARE(m_server->layoutsSent, 1);
    QCOMPARE(m_server->compactSnapshots, 1);
    QCOMPARE(m_server->jsonSnapshots, 0);
    QCOMPARE(resumed.size(), 0);

    m_connection->resync(E1); // the layout is held now: not sent again
    QTRY_COMPARE(snapshots.size(), 2);
    QCOMPARE(m_server->joinPayloads.at(1).value("layout").toString(), snapshot.layout);
    QCOMPARE(m_server->layoutsSent, 1);
    QCOMPARE(snapshots[1][0].value<RoomMessages::RoomSnapshot>().seats, seatsOf(10));
}

void tst_MonitorConnection::olderServerAnswersTheOptInJoinWithJson()
{
    m_server->speaksCompact = false; // ignores the opt-in fields: one-argument ack, JSON snapshot
    m_server->setSeats(E1, seatsOf(5));
    QSignalSpy joined(m_connection.get(), &MonitorConnection::roomJoined);
    QSignalSpy snapshots(m_connection.get(), &MonitorConnection::snapshotReceived);
    startLive();
    QTRY_COMPARE(snapshots.size(), 1);
    QCOMPARE(joined.size(), 1);
    QCOMPARE(m_server->joinPayloads.at(0).value("snapshot").toString(), QStringLiteral("compact"));
    const auto snapshot = snapshots[0][0].value<RoomMessages::RoomSnapshot>();
    QVERIFY(!snapshot.isCompact());
    QVERIFY(snapshot.epoch.isEmpty());
    QCOMPARE(snapshot.seats, seatsOf(5));
    QCOMPARE(m_server->jsonSnapshots, 1);
}

void tst_MonitorConnection::rejoinAfterReconnect_data()
{
    QTest::addColumn<bool>("speaksCompact");
    QTest::addColumn<bool>("renewEpoch");   // the room lived again on the server meanwhile
    QTest::addColumn<bool>("resumeJoins");  // false: the server no longer holds the changes
    QTest::addColumn<QByteArray>("rejoin"); // the second join's payload; %1: layout, %2: epoch
    QTest::addColumn<bool>("resumed");
    QTest::addColumn<QList<int>>("snapshots"); // compact, JSON, room-layouts sent in all

    const QByteArray heldMap(
        R"({"epoch":"%2","eventId":"e1","layout":"%1","seq":4,"snapshot":"compact"})");
    QTest::newRow("same room lifetime: only the missed changes")
        << true << false << true << heldMap << true << QList<int>{1, 0, 1};
    QTest::newRow("the room lived again: compact snapshot, layout kept")
        << true << true << true << heldMap << false << QList<int>{2, 0, 1};
    QTest::newRow("changes no longer kept: compact snapshot")
        << true << false << false << heldMap << false << QList<int>{2, 0, 1};
    QTest::newRow("older server: JSON snapshots, no map to name")
        << false << false << true << QByteArray(R"({"eventId":"e1","snapshot":"compact"})") << false
        << QList<int>{0, 2, 0};
}

void tst_MonitorConnection::rejoinAfterReconnect()
{
    QFETCH(bool, speaksCompact);
    QFETCH(bool, renewEpoch);
    QFETCH(bool, resumeJoins);
    QFETCH(QByteArray, rejoin);
    QFETCH(bool, resumed);
    QFETCH(QList<int>, snapshots);
    m_server->speaksCompact = speaksCompact;
    m_server->resumeJoins = resumeJoins;
    WatchedEvents events(m_connection.get());
    QSignalSpy resumes(m_connection.get(), &MonitorConnection::roomResumed);
    EventSeatModel *model = watchLive(events);
    QVERIFY(model);
    const QString epoch = m_server->epoch(E1);
    m_server->changeSeat(E1, 0, SeatState::Occupied); // seq 4, received
    QTRY_COMPARE(model->seq(), 4);

    m_server->dropAll();
    QTRY_COMPARE(model->syncState(), Sync::Stale);
    m_server->changeSeat(E1, 1, SeatState::Available); // seq 5 and 6: missed
    m_server->changeSeat(E1, 2, SeatState::Pending);
    if (renewEpoch)
        m_server->renewEpoch(E1);
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Live, 5000);
    rejoin.replace("%1", CompactSeats::layoutVersion(seatsOf(10)).toLatin1())
        .replace("%2", epoch.toLatin1());
    QCOMPARE(compactJson(m_server->joinPayloads.value(1)), rejoin);
    QCOMPARE(resumes.size(), resumed ? 1 : 0);
    QCOMPARE(m_server->resumes, resumed ? 1 : 0);
    QCOMPARE(
        (QList<int>{m_server->compactSnapshots, m_server->jsonSnapshots, m_server->layoutsSent}),
        snapshots);
    QList<Seat> expected = seatsOf(10);
    expected[0].state = SeatState::Occupied;
    expected[1].state = SeatState::Available;
    expected[2].state = SeatState::Pending;
    QVERIFY(sameMap(*model, expected));
    QCOMPARE(model->seq(), 6);
}

void tst_MonitorConnection::undecodableSnapshotRejoins_data()
{
    QTest::addColumn<int>("corrupt");       // compact snapshots in a row that do not decode
    QTest::addColumn<QStringList>("joins"); // each join's snapshot/layout fields
    QTest::addColumn<int>("layoutsSent");

    QTest::newRow("once: joins again without the layout")
        << 1 << QStringList{"compact/", "compact/"} << 2;
    QTest::newRow("twice: then asks for JSON")
        << 2 << QStringList{"compact/", "compact/", "/"} << 2;
}

void tst_MonitorConnection::undecodableSnapshotRejoins()
{
    QFETCH(int, corrupt);
    QFETCH(QStringList, joins);
    QFETCH(int, layoutsSent);
    m_server->corruptSnapshots = corrupt;
    WatchedEvents events(m_connection.get());
    QSignalSpy snapshots(m_connection.get(), &MonitorConnection::snapshotReceived);
    EventSeatModel *model = watchLive(events);
    QVERIFY(model);
    QCOMPARE(snapshots.size(), 1); // only the one that decoded reached the model
    QStringList sent;
    for (const QJsonObject &payload : std::as_const(m_server->joinPayloads))
        sent.append(payload.value("snapshot").toString() + u'/' +
                    payload.value("layout").toString());
    QCOMPARE(sent, joins);
    QCOMPARE(m_server->layoutsSent, layoutsSent);
    QVERIFY(sameMap(*model, seatsOf(10)));
}

void tst_MonitorConnection::gapRejoinsFromWhereTheMapWasWhole()
{
    WatchedEvents events(m_connection.get());
    EventSeatModel *model = watchLive(events);
    QVERIFY(model);
    m_server->changeSeat(E1, 0, SeatState::Occupied); // seq 4
    QTRY_COMPARE(model->seq(), 4);
    m_server->deliverChanges = false;
    m_server->changeSeat(E1, 1, SeatState::Available); // seq 5: lost on the way
    m_server->deliverChanges = true;
    QSignalSpy resync(model, &EventSeatModel::resyncNeeded);
    m_server->changeSeat(E1, 2, SeatState::Occupied); // seq 6: a gap
    QTRY_COMPARE(resync.size(), 1);
    QTRY_COMPARE(m_server->joinPayloads.size(), 2);
    QCOMPARE(m_server->leaves, QStringList{E1});
    QCOMPARE(m_server->joinPayloads.at(1).value("epoch").toString(), m_server->epoch(E1));
    QCOMPARE(m_server->joinPayloads.at(1).value("seq").toInteger(), 4); // not 6: 5 is missing
    QTRY_COMPARE(model->syncState(), Sync::Live);
    QCOMPARE(m_server->resumes, 1);
    QList<Seat> expected = seatsOf(10);
    expected[0].state = SeatState::Occupied;
    expected[1].state = SeatState::Available;
    expected[2].state = SeatState::Occupied;
    QVERIFY(sameMap(*model, expected));
    QCOMPARE(model->seq(), 6);
}

void tst_MonitorConnection::seatOutsideTheLayoutIsAdded()
{
    WatchedEvents events(m_connection.get());
    EventSeatModel *model = watchLive(events);
    QVERIFY(model);
    QList<Seat> seats = seatsOf(11); // a seat the layout the monitor holds does not have
    m_server->setSeats(E1, seats);
    m_server->changeSeat(E1, 10, SeatState::Pending); // seq 4, the new seat with its tag
    seats[10].state = SeatState::Pending;
    QTRY_COMPARE(model->seats().size(), 11);
    QCOMPARE(model->syncState(), Sync::Live);
    QVERIFY(sameMap(*model, seats));

    // A snapshot this time (a resumed rejoin would need none): the server's layout is another
    // now, so it comes first.
    m_server->resumeJoins = false;
    m_connection->resync(E1);
    QTRY_COMPARE(m_server->layoutsSent, 2);
    QTRY_COMPARE(model->syncState(), Sync::Live);
    QCOMPARE(m_server->joinPayloads.at(1).value("layout").toString(),
             CompactSeats::layoutVersion(seatsOf(10)));
    QVERIFY(sameMap(*model, seats));
}

QTEST_GUILESS_MAIN(tst_MonitorConnection)
#include "tst_monitorconnection.moc"
