// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QTest>

using namespace Reservo::Conformance;

// The Engine.IO v4 upgrade from long-polling to WebSocket as the protocol's published test suite
// checks it (`2probe`/`3probe`, the noop that ends a poll, `5`), and what the session refuses
// after.
class tst_EngineIoUpgrade : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void upgrade();
    void upgradeEndsWaitingPoll();
    void upgradeCarriesQueuedPackets();
    void pollingRefusedAfterUpgrade_data();
    void pollingRefusedAfterUpgrade();
    void secondWebSocketRefusedAfterUpgrade();
    void secondProbeRefusedDuringUpgrade();

private:
    QString upgradeFully(TestWebSocket &socket, const QString &sid);

    // No ping within any test, so every answer is exactly what the test caused.
    ConformanceProcess m_quiet;
};

void tst_EngineIoUpgrade::initTestCase()
{
    QVERIFY2(m_quiet.start(600000, 600000), qPrintable(m_quiet.errorString()));
}

// probeUpgrade(), `5`, then a message echoed over the WebSocket: the server has switched
// transports.
QString tst_EngineIoUpgrade::upgradeFully(TestWebSocket &socket, const QString &sid)
{
    if (const QString error = probeUpgrade(socket, m_quiet, EnginePath, sid); !error.isEmpty())
        return error;
    socket.sendText("5");
    socket.sendText("4upgraded");
    const QByteArray echo = socket.nextText();
    return echo == "4upgraded" ? QString() : QStringLiteral("after the upgrade: ") + echo;
}

void tst_EngineIoUpgrade::upgrade()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    TestWebSocket socket;
    const QString probed = probeUpgrade(socket, m_quiet, EnginePath, sid);
    QVERIFY2(probed.isEmpty(), qPrintable(probed));

    // The poll after the probe ends at once with a noop, so the client can pause polling.
    const HttpResponse poll = m_quiet.request("GET", pollingTarget(EnginePath, sid));
    QCOMPARE(poll.status, 200);
    QCOMPARE(poll.body, QByteArray("6"));

    socket.sendText("5");
    socket.sendText("4hello");
    socket.sendBinary("\x01\x02");
    QCOMPARE(socket.nextText(), QByteArray("4hello"));
    const std::optional<WsMessage> binary = socket.next();
    QVERIFY(binary && binary->binary);
    QCOMPARE(binary->data, QByteArray("\x01\x02"));
}

void tst_EngineIoUpgrade::upgradeEndsWaitingPoll()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    const auto poll = m_quiet.startRequest("GET", pollingTarget(EnginePath, sid));
    m_quiet.sync();
    TestWebSocket socket;

    const QString probed = probeUpgrade(socket, m_quiet, EnginePath, sid);

    QVERIFY2(probed.isEmpty(), qPrintable(probed));
    QVERIFY(poll->waitForFinished(Timeout));
    QCOMPARE(poll->response().status, 200);
    QCOMPARE(poll->response().body, QByteArray("6"));
    socket.sendText("5");
    socket.sendText("4hello");
    QCOMPARE(socket.nextText(), QByteArray("4hello"));
}

void tst_EngineIoUpgrade::upgradeCarriesQueuedPackets()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    // Echoes that wait for a poll that never comes: they must arrive over the WebSocket.
    QCOMPARE(m_quiet
                 .request("POST", pollingTarget(EnginePath, sid),
                          "4queued\x1e"
                          "bAQID")
                 .status,
             200);
    TestWebSocket socket;
    const QString probed = probeUpgrade(socket, m_quiet, EnginePath, sid);
    QVERIFY2(probed.isEmpty(), qPrintable(probed));

    socket.sendText("5");
    socket.sendText("4after");

    QCOMPARE(socket.nextText(), QByteArray("4queued"));
    const std::optional<WsMessage> binary = socket.next();
    QVERIFY(binary && binary->binary);
    QCOMPARE(binary->data, QByteArray("\x01\x02\x03"));
    QCOMPARE(socket.nextText(), QByteArray("4after"));
}

void tst_EngineIoUpgrade::pollingRefusedAfterUpgrade_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("GET") << QByteArray("GET") << QByteArray();
    QTest::newRow("POST") << QByteArray("POST") << QByteArray("4hello");
}

void tst_EngineIoUpgrade::pollingRefusedAfterUpgrade()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    TestWebSocket socket;
    const QString upgraded = upgradeFully(socket, sid);
    QVERIFY2(upgraded.isEmpty(), qPrintable(upgraded));

    const HttpResponse response = m_quiet.request(method, pollingTarget(EnginePath, sid), body);

    QCOMPARE(response.status, 400);
    socket.sendText("4still here");
    QCOMPARE(socket.nextText(), QByteArray("4still here"));
}

void tst_EngineIoUpgrade::secondWebSocketRefusedAfterUpgrade()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    TestWebSocket socket;
    const QString upgraded = upgradeFully(socket, sid);
    QVERIFY2(upgraded.isEmpty(), qPrintable(upgraded));
    TestWebSocket second;

    second.open(m_quiet.webSocketUrl(EnginePath, WebSocketQuery + QStringLiteral("&sid=") + sid));

    QVERIFY(second.waitForDisconnected());
    QVERIFY(second.pending().isEmpty());
    socket.sendText("4still here");
    QCOMPARE(socket.nextText(), QByteArray("4still here"));
}

void tst_EngineIoUpgrade::secondProbeRefusedDuringUpgrade()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    TestWebSocket socket;
    const QString probed = probeUpgrade(socket, m_quiet, EnginePath, sid);
    QVERIFY2(probed.isEmpty(), qPrintable(probed));
    TestWebSocket second;

    second.open(m_quiet.webSocketUrl(EnginePath, WebSocketQuery + QStringLiteral("&sid=") + sid));

    QVERIFY(second.waitForDisconnected());
    QVERIFY(second.pending().isEmpty());
    socket.sendText("5");
    socket.sendText("4hello");
    QCOMPARE(socket.nextText(), QByteArray("4hello"));
}

QTEST_GUILESS_MAIN(tst_EngineIoUpgrade)
#include "tst_engineioupgrade.moc"
