// SPDX-License-Identifier: MIT
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
constexpr int PingIntervalMs = 300;
constexpr int PingTimeoutMs = 300;
constexpr int ConnectTimeoutMs = 1500;
} // namespace

// Engine.IO heartbeat and handshake deadlines against the real service, with short intervals.
class tst_Heartbeat : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void openPacketAnnouncesSettings();
    void pongingClientStaysConnected();
    void silentClientIsClosed();
    void clientWithoutConnectIsClosed();

private:
    NatsServerProcess m_nats;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_Heartbeat::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_Heartbeat::init()
{
    m_service = std::make_unique<ServiceProcess>();
    const ServiceProcess::Environment env{
        {QStringLiteral("PING_INTERVAL_MS"), QString::number(PingIntervalMs)},
        {QStringLiteral("PING_TIMEOUT_MS"), QString::number(PingTimeoutMs)},
        {QStringLiteral("CONNECT_TIMEOUT_MS"), QString::number(ConnectTimeoutMs)},
    };
    QVERIFY2(m_service->start(m_nats.url(), env), qPrintable(m_service->errorString()));
}

void tst_Heartbeat::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

void tst_Heartbeat::openPacketAnnouncesSettings()
{
    TestSocketClient client;
    QVERIFY2(client.open(m_service->socketUrl()), qPrintable(client.errorString()));

    const EngineIo::OpenInfo &info = client.openInfo();
    QVERIFY(!info.sid.isEmpty());
    QCOMPARE(info.upgrades, QStringList());
    QCOMPARE(info.pingInterval, PingIntervalMs);
    QCOMPARE(info.pingTimeout, PingTimeoutMs);
    QCOMPARE(info.maxPayload, 1000000);
    QVERIFY(client.frames().first().startsWith("0{"));
}

void tst_Heartbeat::pongingClientStaysConnected()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));

    // Six pings span six intervals, several times what a client without pongs survives.
    QTRY_VERIFY_WITH_TIMEOUT(client.pingCount() >= 6 || client.wasClosed(), Timeout);

    QVERIFY2(!client.wasClosed(), qPrintable(client.closeReason()));
    QVERIFY(client.isConnected());
    QVERIFY(client.joinEventRoom(newId())); // still served, not just open
    QCOMPARE(client.protocolErrors(), QStringList());
}

void tst_Heartbeat::silentClientIsClosed()
{
    TestSocketClient silent, ponging;
    silent.setAutoPong(false);
    for (TestSocketClient *client : {&ponging, &silent})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));

    QVERIFY2(silent.waitForDisconnected(), "a client that never pongs was not closed");

    QVERIFY(silent.pingCount() >= 1); // it was pinged before it was dropped
    QVERIFY(ponging.isConnected());
    QVERIFY(ponging.joinEventRoom(newId()));
}

void tst_Heartbeat::clientWithoutConnectIsClosed()
{
    // The connected client opens first, so its connect deadline expires first: a service that
    // wrongly closed it would have done so before the ack below.
    TestSocketClient connected, idle;
    QVERIFY2(connected.connectTo(m_service->socketUrl()), qPrintable(connected.errorString()));
    QVERIFY2(idle.open(m_service->socketUrl()), qPrintable(idle.errorString()));

    QVERIFY2(idle.waitForDisconnected(), "a client that never sent CONNECT was not closed");

    QVERIFY(connected.joinEventRoom(newId()));
    QVERIFY(connected.isConnected());
}

QTEST_GUILESS_MAIN(tst_Heartbeat)
#include "tst_heartbeat.moc"
