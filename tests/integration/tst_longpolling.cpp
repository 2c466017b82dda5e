// SPDX-License-Identifier: MIT
#include "httpexchange.h"
#include "natsclient.h"
#include "natsserverprocess.h"
#include "pollingclient.h"
#include "pollingtestbase.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QHash>
#include <QJsonDocument>
#include <QMap>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QByteArray HandshakeTarget = "/socket.io/?EIO=4&transport=polling";

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

// HTTP long-polling, as socket.io-client on default options starts, against the real reservo-ws
// with a real nats-server: the handshake, Socket.IO over polling, seat updates through polls,
// heartbeats, closing, metrics and shutdown. The upgrade is in tst_pollingupgrade, origins,
// limits and tokens in tst_pollingaccess.
class tst_LongPolling : public PollingTestBase
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void handshakeOpensPollingSession_data();
    void handshakeOpensPollingSession();
    void connectJoinAndSnapshotOverPolling();
    void seatUpdatesArriveThroughPolls_data();
    void seatUpdatesArriveThroughPolls();
    void slowPollerGetsLatestStateOfEverySeat();
    void pongsOverPollingKeepSessionAlive();
    void missingPongClosesSession();
    void closePacketEndsSession();
    void overlappingPollsCloseSession();
    void metricsCountPollingAndUpgrades();
    void shutdownClosesWaitingPoll();
};

void tst_LongPolling::initTestCase()
{
    QVERIFY(startNats(QStringLiteral("tst_longpolling")));
}

void tst_LongPolling::cleanup()
{
    stopService();
}

void tst_LongPolling::handshakeOpensPollingSession_data()
{
    QTest::addColumn<ServiceProcess::Environment>("env");
    QTest::addColumn<int>("pingInterval");
    QTest::addColumn<int>("pingTimeout");
    QTest::addColumn<int>("maxPayload");
    QTest::newRow("defaults") << ServiceProcess::Environment{} << 25000 << 20000 << 1000000;
    QTest::newRow("configured") << ServiceProcess::Environment{{"PING_INTERVAL_MS", "700"},
                                                               {"PING_TIMEOUT_MS", "900"},
                                                               {"MAX_PAYLOAD", "5000"}}
                                << 700 << 900 << 5000;
}

void tst_LongPolling::handshakeOpensPollingSession()
{
    QFETCH(ServiceProcess::Environment, env);
    QFETCH(int, pingInterval);
    QFETCH(int, pingTimeout);
    QFETCH(int, maxPayload);
    QVERIFY(startService(env));

    const HttpResponse response = httpExchange(port(), "GET", HandshakeTarget);

    QCOMPARE(response.status, 200);
    QCOMPARE(response.error, QString());
    QVERIFY2(response.header("content-type").startsWith("text/plain"), response.head.constData());
    // Exactly one packet: the open packet, with the upgrade on offer.
    QVERIFY2(response.body.startsWith('0') && !response.body.contains('\x1e'),
             response.body.constData());
    const QJsonObject open = json(response.body.mid(1));
    QCOMPARE(open.keys(),
             (QStringList{"maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"}));
    QVERIFY(!open.value("sid").toString().isEmpty());
    QCOMPARE(open.value("upgrades"), QJsonValue(QJsonArray{"websocket"}));
    QCOMPARE(open.value("pingInterval"), QJsonValue(pingInterval));
    QCOMPARE(open.value("pingTimeout"), QJsonValue(pingTimeout));
    QCOMPARE(open.value("maxPayload"), QJsonValue(maxPayload));

    // Every handshake is a new session; a WebSocket from the start has nothing to upgrade to.
    const HttpResponse second = httpExchange(port(), "GET", HandshakeTarget);
    QCOMPARE(second.status, 200);
    QVERIFY(json(second.body.mid(1)).value("sid") != open.value("sid"));
    TestSocketClient webSocket;
    QVERIFY2(webSocket.open(m_service->socketUrl()), qPrintable(webSocket.errorString()));
    QCOMPARE(webSocket.openInfo().upgrades, QStringList());
}

void tst_LongPolling::connectJoinAndSnapshotOverPolling()
{
    QVERIFY(startService());
    PollingClient client(port());
    QVERIFY2(client.handshake().status == 200, qPrintable(client.errorString()));
    const QString eventId = newId();

    const std::optional<QByteArray> reply = client.connectNamespace();
    QVERIFY2(reply, qPrintable(client.errorString()));
    QVERIFY2(reply->startsWith("0{"), reply->constData());
    const QJsonObject connected = json(reply->mid(1));
    QVERIFY(!connected.value("sid").toString().isEmpty());
    QVERIFY(!connected.value("pid").toString().isEmpty()); // connection state recovery is on

    const std::optional<QJsonArray> ack =
        client.emitWithAck("join-event-room", {QJsonObject{{"eventId", eventId}}});
    QVERIFY2(ack, qPrintable(client.errorString()));
    // The first ack id a socket.io client uses is 0: `43<id>[...]` byte for byte.
    QCOMPARE(client.lastAckPacket(),
             "430[\"Conectado a la sala correctamente: " + eventId.toUtf8() + "\"]");
    QTRY_COMPARE_WITH_TIMEOUT(client.eventsNamed("room-snapshot").size(), 1, Timeout);
    const QJsonObject snapshot = client.eventsNamed("room-snapshot").first();
    QCOMPARE(snapshot.value("eventId"), QJsonValue(eventId));
    QCOMPARE(snapshot.value("seq"), QJsonValue(0));
    QCOMPARE(snapshot.value("seats"), QJsonValue(QJsonArray()));
    QCOMPARE(snapshot.value("complete"), QJsonValue(false)); // no events service in this test
    QCOMPARE(snapshot.value("viewers"), QJsonValue(1));
    // The snapshot follows the ack.
    const QList<QByteArray> packets = client.packets();
    const qsizetype ackAt = packets.indexOf(client.lastAckPacket());
    QVERIFY(ackAt >= 0);
    QVERIFY(std::any_of(packets.begin() + ackAt, packets.end(),
                        [](const QByteArray &p) { return p.startsWith("42[\"room-snapshot\""); }));
    for (const HttpResponse &post : client.postResponses())
        QCOMPARE(post.body, QByteArray("ok"));
    QCOMPARE(client.protocolErrors(), QStringList());
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
}

void tst_LongPolling::seatUpdatesArriveThroughPolls_data()
{
    QTest::addColumn<ServiceProcess::Environment>("env");
    QTest::addColumn<int>("changes");
    QTest::addColumn<bool>("oneAtATime");
    // Each change ends the GET that was waiting for it.
    QTest::newRow("one at a time") << ServiceProcess::Environment{} << 10 << true;
    // Changes that arrive together share a response.
    QTest::newRow("a burst") << ServiceProcess::Environment{} << 300 << false;
    // A response holds at most maxPayload bytes (one packet at least); the rest waits.
    QTest::newRow("a burst split by maxPayload")
        << ServiceProcess::Environment{{"MAX_PAYLOAD", "1024"}} << 300 << false;
}

void tst_LongPolling::seatUpdatesArriveThroughPolls()
{
    QFETCH(ServiceProcess::Environment, env);
    QFETCH(int, changes);
    QFETCH(bool, oneAtATime);
    QVERIFY(startService(env));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY2(client.joinEventRoom(eventId), qPrintable(client.errorString()));

    const QStringList states{"PENDING", "OCCUPIED", "AVAILABLE"};
    QStringList expected;
    for (int i = 0; i < changes; ++i) {
        const QString seat = QStringLiteral("S%1").arg(i);
        QVERIFY(publish(eventId, seat, states[i % states.size()]));
        expected.append(seat + u' ' + states[i % states.size()]);
        if (oneAtATime)
            QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), i + 1, Timeout);
    }

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), changes, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), expected);
    QString why;
    QVERIFY2(seqIsContiguous(client.seatUpdates(), 1, &why), qPrintable(why));
    const qint64 maxPayload = client.openInfo().maxPayload;
    for (const HttpResponse &poll : client.pollResponses()) {
        QCOMPARE(poll.status, 200);
        QVERIFY2(poll.body.size() <= maxPayload || !poll.body.contains('\x1e'),
                 qPrintable(QStringLiteral("a %1-byte response").arg(poll.body.size())));
    }
    QCOMPARE(client.protocolErrors(), QStringList());
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
}

void tst_LongPolling::slowPollerGetsLatestStateOfEverySeat()
{
    // Past SLOW_CLIENT_BUFFER of unsent bytes a client gets only the latest state of each seat.
    QVERIFY(startService({{"SLOW_CLIENT_BUFFER", "2048"}}));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY2(client.joinEventRoom(eventId), qPrintable(client.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(client.eventsNamed("room-snapshot").size(), 1, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(client.isPollWaiting() && client.allSent(), Timeout);
    client.stopPolling();
    const QStringList states{"PENDING", "OCCUPIED", "AVAILABLE"};
    QMap<QString, QString> latest;
    for (int i = 0; i < 300; ++i) {
        const QString seat = QStringLiteral("S%1").arg(i % 10);
        latest.insert(seat, states[(i / 10) % states.size()]);
        QVERIFY(publish(eventId, seat, latest.value(seat)));
    }
    // The poll that was waiting took the first updates; the rest waits for the client.
    QTRY_VERIFY_WITH_TIMEOUT(!client.seatUpdates().isEmpty(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_service->metric("reservo_slow_client_episodes_total") >= 1.0,
                             Timeout);

    client.resumePolling();

    // Each seat's updates arrive in its own order, so the last one of each is its latest state.
    const auto lastStates = [&client] {
        QMap<QString, QString> seen;
        for (const QJsonObject &update : client.seatUpdates())
            seen.insert(update.value("id").toString(), update.value("state").toString());
        return seen;
    };
    QTRY_COMPARE_WITH_TIMEOUT(lastStates(), latest, Timeout);
    QHash<QString, int> seatSeq;
    int highestSeq = 0;
    for (const QJsonObject &update : client.seatUpdates()) {
        const int seq = update.value("seq").toInt();
        const QString seat = update.value("id").toString();
        QVERIFY2(seq > seatSeq.value(seat),
                 qPrintable(seat +
                            QStringLiteral(": seq %1 after %2").arg(seq).arg(seatSeq.value(seat))));
        seatSeq.insert(seat, seq);
        highestSeq = std::max(highestSeq, seq);
    }
    QCOMPARE(highestSeq, 300);
    QVERIFY(client.seatUpdates().size() < 300); // superseded states were skipped
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
    QCOMPARE(client.protocolErrors(), QStringList());
}

void tst_LongPolling::pongsOverPollingKeepSessionAlive()
{
    // Without pongs the session would end 1.7 s after it opened; 15 pings take 3 s at least.
    QVERIFY(startService({{"PING_INTERVAL_MS", "200"}, {"PING_TIMEOUT_MS", "1500"}}));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QCOMPARE(client.openInfo().pingInterval, 200);

    QTRY_VERIFY_WITH_TIMEOUT(client.pingCount() >= 15 || client.isClosed(), Timeout);
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
    QVERIFY(client.packets().contains("2"));

    // Still a working session: a seat change reaches it.
    const QString eventId = newId();
    QVERIFY2(client.joinEventRoom(eventId), qPrintable(client.errorString()));
    QVERIFY(publish(eventId, "A11", "OCCUPIED"));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(client.protocolErrors(), QStringList());
}

void tst_LongPolling::missingPongClosesSession()
{
    QVERIFY(startService({{"PING_INTERVAL_MS", "200"}, {"PING_TIMEOUT_MS", "1500"}}));
    PollingClient client(port());
    client.setAutoPong(false);
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 1.0, Timeout);

    // The poll loop goes on until the server has forgotten the session.
    QTRY_VERIFY_WITH_TIMEOUT(client.isClosed(), Timeout);
    QCOMPARE(client.pingCount(), 1);
    const HttpResponse lastPoll = client.pollResponses().last();
    QCOMPARE(lastPoll.status, 400);
    QCOMPARE(json(lastPoll.body), json(R"({"code":1,"message":"Session ID unknown"})"));
    QCOMPARE(httpExchange(port(), "POST", client.sessionTarget(), {}, "3").status, 400);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 0.0, Timeout);
}

void tst_LongPolling::closePacketEndsSession()
{
    QVERIFY(startService());
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QVERIFY2(client.joinEventRoom(newId()), qPrintable(client.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 1.0, Timeout);

    client.send("1");

    QTRY_VERIFY_WITH_TIMEOUT(client.isClosed(), Timeout);
    QCOMPARE(client.postResponses().last().status, 200); // the POST that carried the close
    QCOMPARE(client.pollResponses().last().status, 400);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 0.0, Timeout);
    QCOMPARE(httpExchange(port(), "GET", client.sessionTarget()).status, 400);
}

void tst_LongPolling::overlappingPollsCloseSession()
{
    QVERIFY(startService());
    PollingClient client(port()); // keeps one GET waiting
    QVERIFY2(client.handshake().status == 200, qPrintable(client.errorString()));

    const HttpResponse second = httpExchange(port(), "GET", client.sessionTarget());

    QCOMPARE(second.status, 400);
    QCOMPARE(json(second.body), json(R"({"code":3,"message":"Bad request"})"));
    // The waiting GET learns that the session is over.
    QTRY_VERIFY_WITH_TIMEOUT(client.isClosed(), Timeout);
    QCOMPARE(client.packets().last(), QByteArray("1"));
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 0.0, Timeout);
}

void tst_LongPolling::metricsCountPollingAndUpgrades()
{
    QVERIFY(startService());
    QCOMPARE(m_service->metric("reservo_polling_connections_total"), 0.0);
    QCOMPARE(m_service->metric("reservo_upgrades_total"), 0.0);
    PollingClient stays(port());
    PollingClient upgrades(port());
    TestSocketClient webSocket;

    QVERIFY2(stays.connectTo(), qPrintable(stays.errorString()));
    QVERIFY2(upgrades.connectTo(), qPrintable(upgrades.errorString()));
    QVERIFY2(upgrades.upgrade(), qPrintable(upgrades.errorString()));
    QVERIFY2(webSocket.connectTo(m_service->socketUrl()), qPrintable(webSocket.errorString()));

    QCOMPARE(m_service->metric("reservo_polling_connections_total"), 2.0);
    QCOMPARE(m_service->metric("reservo_upgrades_total"), 1.0);
    QCOMPARE(m_service->metric("reservo_connections_total"), 3.0);
    QCOMPARE(m_service->metric("reservo_connections"), 3.0);
}

void tst_LongPolling::shutdownClosesWaitingPoll()
{
    QVERIFY(startService());
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(client.isPollWaiting() && client.allSent(), Timeout);
    // A request sent after the poll was: once it is answered, the service has read the poll.
    QCOMPARE(m_service->httpGet("/healthz").status, 200);

    QVERIFY2(m_service->stop(Timeout), qPrintable(m_service->errorString()));

    QCOMPARE(m_service->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_service->exitCode(), 0);
    // The waiting poll carried the close packet.
    QTRY_VERIFY_WITH_TIMEOUT(client.isClosed(), Timeout);
    QCOMPARE(client.packets().last(), QByteArray("1"));
    QCOMPARE(client.pollResponses().last().status, 200);
}

QTEST_GUILESS_MAIN(tst_LongPolling)
#include "tst_longpolling.moc"
