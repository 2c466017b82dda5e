// SPDX-License-Identifier: MIT
#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

// The service's lifetime: SIGTERM closes clients going-away and exits 0 in bounded time, and
// nothing else ends it.
class tst_Shutdown : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void sigtermClosesClientsAndExitsZero();
    void sigtermWithoutClientsExitsZero();
    void sigtermWhileNatsIsDownExitsZero();
    void lastClientLeavingDoesNotStopService();

private:
    NatsServerProcess m_nats;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_Shutdown::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_Shutdown::init()
{
    m_service = std::make_unique<ServiceProcess>();
    QVERIFY2(m_service->start(m_nats.url()), qPrintable(m_service->errorString()));
}

void tst_Shutdown::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

void tst_Shutdown::sigtermClosesClientsAndExitsZero()
{
    TestSocketClient member, lobby;
    for (TestSocketClient *client : {&member, &lobby})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));
    QVERIFY(member.joinEventRoom(newId()));

    QVERIFY2(m_service->stop(Timeout), qPrintable(m_service->errorString()));

    QCOMPARE(m_service->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_service->exitCode(), 0);
    for (TestSocketClient *client : {&member, &lobby}) {
        QVERIFY(client->waitForDisconnected());
        QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }
}

void tst_Shutdown::sigtermWithoutClientsExitsZero()
{
    QVERIFY2(m_service->stop(Timeout), qPrintable(m_service->errorString()));

    QCOMPARE(m_service->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_service->exitCode(), 0);
}

void tst_Shutdown::sigtermWhileNatsIsDownExitsZero()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url()), qPrintable(service.errorString()));
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    QVERIFY2(nats.stop(), qPrintable(nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 503, Timeout);

    QVERIFY2(service.stop(Timeout), qPrintable(service.errorString()));

    QCOMPARE(service.exitStatus(), QProcess::NormalExit);
    QCOMPARE(service.exitCode(), 0);
    QVERIFY(client.waitForDisconnected());
}

void tst_Shutdown::lastClientLeavingDoesNotStopService()
{
    NatsClient publisher;
    QVERIFY2(publisher.start({m_nats.url()}, QStringLiteral("tst_shutdown")),
             qPrintable(publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), NatsClient::State::Connected, Timeout);
    {
        TestSocketClient client;
        QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
        QVERIFY(client.joinEventRoom(newId()));
        client.close();
        QVERIFY(client.waitForDisconnected());
    }
    // Once the service has counted the connection gone, whatever it does about it has begun.
    const bool settled = QTest::qWaitFor(
        [&] { return !m_service->isRunning() || m_service->metric("reservo_connections") == 0; },
        Timeout);
    QVERIFY2(m_service->isRunning(), "reservo-ws exited when its last client left");
    QVERIFY2(settled, "reservo_connections did not drop to 0");

    // Still a whole service: it accepts a client and still relays NATS to it.
    TestSocketClient next;
    QVERIFY2(next.connectTo(m_service->socketUrl()), qPrintable(next.errorString()));
    const QString eventId = newId();
    QVERIFY(next.joinEventRoom(eventId));
    QVERIFY(publisher.publish("update.seat.state", seatChangePayload(eventId, QStringLiteral("A1"),
                                                                     QStringLiteral("OCCUPIED"))));
    QVERIFY2(QTest::qWaitFor([&] { return !next.seatUpdates().isEmpty(); }, Timeout),
             "no seat update relayed after the last client had left");
    QCOMPARE(seatSummary(next.seatUpdates()), QStringList{QStringLiteral("A1 OCCUPIED")});
    QCOMPARE(m_service->httpGet("/readyz").status, 200);
    QVERIFY(m_service->isRunning());
}

QTEST_GUILESS_MAIN(tst_Shutdown)
#include "tst_shutdown.moc"
