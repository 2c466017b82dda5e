// SPDX-License-Identifier: MIT
// MonitorConnection against an in-process Socket.IO server (the shared ServerSession behind a
// QWebSocketServer) that can drop clients, refuse them, or behave like an older reservo-ws.
#include "fakeroomserver.h"
#include "monitorconnection.h"
#include "socketiourl.h"

#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;
using State = MonitorConnection::State;

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

private:
    void startLive();

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

QTEST_GUILESS_MAIN(tst_MonitorConnection)
#include "tst_monitorconnection.moc"
