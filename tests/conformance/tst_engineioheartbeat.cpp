// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QTest>

using namespace Reservo::Conformance;

// The Engine.IO v4 heartbeat as the protocol's published test suite checks it: ping/pong rounds
// and the ping timeout, over long-polling and WebSocket, at /engine.io/ and /socket.io/.
class tst_EngineIoHeartbeat : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void pollingPingPong_data() { addPathRows(); }
    void pollingPingPong();
    void webSocketPingPong_data() { addPathRows(); }
    void webSocketPingPong();
    void pollingPingTimeout_data() { addPathRows(); }
    void pollingPingTimeout();
    void webSocketPingTimeout_data() { addPathRows(); }
    void webSocketPingTimeout();

private:
    // The suites' settings: ping every 300 ms, 200 ms to answer.
    ConformanceProcess m_published;
    // Pings every 300 ms but 10 s to answer, so a test process slowed by a busy machine keeps
    // its session through the ping/pong rounds.
    ConformanceProcess m_patient;
};

void tst_EngineIoHeartbeat::initTestCase()
{
    QVERIFY2(m_published.start(), qPrintable(m_published.errorString()));
    QVERIFY2(m_patient.start(300, Timeout), qPrintable(m_patient.errorString()));
}

void tst_EngineIoHeartbeat::pollingPingPong()
{
    QFETCH(QString, path);
    const QString sid = openPollingSid(m_patient, path);
    QVERIFY(!sid.isEmpty());

    for (int round = 0; round < 3; ++round) {
        const HttpResponse poll = m_patient.request("GET", pollingTarget(path, sid));
        QCOMPARE(poll.status, 200);
        QCOMPARE(poll.body, QByteArray("2"));
        const HttpResponse pong = m_patient.request("POST", pollingTarget(path, sid), "3");
        QCOMPARE(pong.status, 200);
    }
}

void tst_EngineIoHeartbeat::webSocketPingPong()
{
    QFETCH(QString, path);
    TestWebSocket socket(TestWebSocket::Pings::Keep);
    socket.open(m_patient.webSocketUrl(path, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    for (int round = 0; round < 3; ++round) {
        QCOMPARE(socket.nextText(), QByteArray("2"));
        socket.sendText("3");
    }
    QVERIFY(!socket.isDisconnected());
}

void tst_EngineIoHeartbeat::pollingPingTimeout()
{
    QFETCH(QString, path);
    const QString sid = openPollingSid(m_published, path);
    QVERIFY(!sid.isEmpty());

    const HttpResponse ping = m_published.request("GET", pollingTarget(path, sid));
    QCOMPARE(ping.body, QByteArray("2"));
    // No pong: this poll waits until the session ends, then the session is gone.
    const HttpResponse last = m_published.request("GET", pollingTarget(path, sid));

    QCOMPARE(last.status, 200);
    QVERIFY2(last.body == "6" || last.body == "1", last.body.constData());
    QCOMPARE(m_published.request("GET", pollingTarget(path, sid)).status, 400);
}

void tst_EngineIoHeartbeat::webSocketPingTimeout()
{
    QFETCH(QString, path);
    TestWebSocket socket(TestWebSocket::Pings::Keep);
    socket.open(m_published.webSocketUrl(path, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    QCOMPARE(socket.nextText(), QByteArray("2"));

    QVERIFY(socket.waitForDisconnected());
}

QTEST_GUILESS_MAIN(tst_EngineIoHeartbeat)
#include "tst_engineioheartbeat.moc"
