// SPDX-License-Identifier: MIT
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

// The HTTP side of the one port: handshake refusals, health, readiness and metrics.
class tst_HttpEndpoints : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void answers_data();
    void answers();
    void metricsNameEverySeries();
    void metricsCountConnectionsRoomsAndMembers();
    void readyzFollowsNatsConnection();
    void notReadyWhileNatsIsUnreachable();
    void silentHttpConnectionIsClosed();
    void connectionsBeyondTheLimitAreRefused();

private:
    NatsServerProcess m_nats;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_HttpEndpoints::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_HttpEndpoints::init()
{
    m_service = std::make_unique<ServiceProcess>();
    QVERIFY2(m_service->start(m_nats.url()), qPrintable(m_service->errorString()));
}

void tst_HttpEndpoints::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

void tst_HttpEndpoints::answers_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("jsonBody"); // empty: the body is not checked

    const auto engineError = [](int code, const char *message) {
        return QJsonDocument(QJsonObject{{QStringLiteral("code"), code},
                                         {QStringLiteral("message"), QString::fromUtf8(message)}})
            .toJson(QJsonDocument::Compact);
    };
    QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/nope") << 404
                                  << QByteArray();
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << 404 << QByteArray();
    QTest::newRow("EIO=3") << QByteArray("GET")
                           << QByteArray("/socket.io/?EIO=3&transport=websocket") << 400
                           << engineError(5, "Unsupported protocol version");
    QTest::newRow("no EIO") << QByteArray("GET") << QByteArray("/socket.io/?transport=websocket")
                            << 400 << engineError(5, "Unsupported protocol version");
    QTest::newRow("polling, unknown sid")
        << QByteArray("GET") << QByteArray("/socket.io/?EIO=4&transport=polling&sid=nope") << 400
        << engineError(1, "Session ID unknown");
    QTest::newRow("polling handshake by POST")
        << QByteArray("POST") << QByteArray("/socket.io/?EIO=4&transport=polling") << 400
        << engineError(2, "Bad handshake method");
    QTest::newRow("PUT") << QByteArray("PUT") << QByteArray("/socket.io/?EIO=4&transport=polling")
                         << 400 << engineError(2, "Bad handshake method");
    QTest::newRow("unknown transport")
        << QByteArray("GET") << QByteArray("/socket.io/?EIO=4&transport=carrier-pigeon") << 400
        << engineError(0, "Transport unknown");
    QTest::newRow("websocket without upgrade")
        << QByteArray("GET") << QByteArray("/socket.io/?EIO=4&transport=websocket") << 400
        << engineError(3, "Bad request");
    QTest::newRow("healthz") << QByteArray("GET") << QByteArray("/healthz") << 200 << QByteArray();
    QTest::newRow("readyz") << QByteArray("GET") << QByteArray("/readyz") << 200 << QByteArray();
    QTest::newRow("metrics") << QByteArray("GET") << QByteArray("/metrics") << 200 << QByteArray();
    QTest::newRow("POST metrics") << QByteArray("POST") << QByteArray("/metrics") << 405
                                  << QByteArray();
}

void tst_HttpEndpoints::answers()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, jsonBody);

    const HttpResponse response = m_service->httpRequest(method, target, Timeout);

    QVERIFY2(response.error.isEmpty(), qPrintable(response.error));
    QCOMPARE(response.status, status);
    if (!jsonBody.isEmpty()) {
        QCOMPARE(QJsonDocument::fromJson(response.body), QJsonDocument::fromJson(jsonBody));
        QVERIFY(response.header("content-type").startsWith("application/json"));
    }
}

void tst_HttpEndpoints::metricsNameEverySeries()
{
    const HttpResponse response = m_service->httpGet("/metrics");

    QCOMPARE(response.status, 200);
    QVERIFY(response.header("content-type").startsWith("text/plain; version=0.0.4"));
    const QList<QByteArray> names{
        "reservo_connections",
        "reservo_connections_total",
        "reservo_rooms",
        "reservo_members",
        "reservo_messages_in_total",
        "reservo_messages_out_total",
        "reservo_nats_connected",
        "reservo_nats_reconnects_total",
        "reservo_nats_bad_input_total",
        "reservo_malformed_packets_total",
        "reservo_seat_updates_total",
        "reservo_http_bad_requests_total",
        "reservo_slow_consumers_total",
        "reservo_delivery_latency_seconds",
    };
    for (const QByteArray &name : names)
        QVERIFY2(response.body.contains("\n# TYPE " + name + ' ') ||
                     response.body.startsWith("# HELP " + name + ' '),
                 name.constData());
    for (const char *kind :
         {"oversized", "not_json", "not_object", "missing_field", "bad_id", "unknown_state"}) {
        const QByteArray series = QByteArray("reservo_nats_bad_input_total{kind=\"") + kind + "\"}";
        QCOMPARE(m_service->metric(series), 0.0);
    }
    QCOMPARE(m_service->metric("reservo_nats_connected"), 1.0);
    QVERIFY(response.body.contains("\n# TYPE reservo_delivery_latency_seconds histogram\n"));
    QCOMPARE(m_service->metric("reservo_delivery_latency_seconds_bucket{le=\"+Inf\"}"), 0.0);
    QCOMPARE(m_service->metric("reservo_delivery_latency_seconds_count"), 0.0);
}

void tst_HttpEndpoints::metricsCountConnectionsRoomsAndMembers()
{
    TestSocketClient a, b, c;
    for (TestSocketClient *client : {&a, &b, &c})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));
    const QString shared = newId();
    QVERIFY(a.joinEventRoom(shared));
    QVERIFY(b.joinEventRoom(shared));
    QVERIFY(b.joinEventRoom(newId()));

    QCOMPARE(m_service->metric("reservo_connections"), 3.0);
    QCOMPARE(m_service->metric("reservo_connections_total"), 3.0);
    QCOMPARE(m_service->metric("reservo_rooms"), 2.0);
    QCOMPARE(m_service->metric("reservo_members"), 3.0);

    b.close();
    QVERIFY(b.waitForDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_connections"), 2.0, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_members"), 1.0, Timeout);
    QCOMPARE(m_service->metric("reservo_connections_total"), 3.0);
    QVERIFY(a.isConnected());
}

void tst_HttpEndpoints::readyzFollowsNatsConnection()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url()), qPrintable(service.errorString()));
    QCOMPARE(service.httpGet("/readyz").status, 200);

    QVERIFY2(nats.stop(), qPrintable(nats.errorString()));

    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 503, Timeout);
    QCOMPARE(service.httpGet("/healthz").status, 200);
    QCOMPARE(service.metric("reservo_nats_connected"), 0.0);

    QVERIFY2(nats.restart(), qPrintable(nats.errorString()));

    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 200, Timeout);
    QCOMPARE(service.metric("reservo_nats_connected"), 1.0);
    QCOMPARE(service.metric("reservo_nats_reconnects_total"), 1.0);
}

void tst_HttpEndpoints::notReadyWhileNatsIsUnreachable()
{
    ServiceProcess service;
    const QString deadNats = QStringLiteral("nats://127.0.0.1:%1").arg(freeLoopbackPort());

    QVERIFY2(service.start(deadNats, {}, ServiceProcess::WaitFor::Alive),
             qPrintable(service.errorString()));

    QCOMPARE(service.httpGet("/readyz").status, 503);
    QCOMPARE(service.metric("reservo_nats_connected"), 0.0);
    TestSocketClient client; // clients are still served while NATS is away
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    QVERIFY(client.joinEventRoom(newId()));
}

void tst_HttpEndpoints::silentHttpConnectionIsClosed()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("HANDSHAKE_TIMEOUT_MS"), "300"}}),
             qPrintable(service.errorString()));
    QTcpSocket silent;
    QByteArray answer;
    connect(&silent, &QTcpSocket::readyRead, this, [&] { answer += silent.readAll(); });
    silent.connectToHost(QHostAddress::LocalHost, service.port());

    QTRY_COMPARE_WITH_TIMEOUT(silent.state(), QAbstractSocket::UnconnectedState, Timeout);

    QVERIFY2(answer.startsWith("HTTP/1.1 408 "), answer.constData());
    QCOMPARE(service.httpGet("/healthz").status, 200);
}

void tst_HttpEndpoints::connectionsBeyondTheLimitAreRefused()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("MAX_CONNECTIONS"), "2"}}),
             qPrintable(service.errorString()));
    TestSocketClient first, second, third;
    for (TestSocketClient *client : {&first, &second})
        QVERIFY2(client->connectTo(service.socketUrl()), qPrintable(client->errorString()));

    QVERIFY(!third.open(service.socketUrl()));

    QCOMPARE(service.metric("reservo_connections_refused_total"), 1.0);
    QCOMPARE(service.metric("reservo_connections"), 2.0);
    QVERIFY(first.joinEventRoom(newId()));
    second.close();
    QVERIFY(second.waitForDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(service.metric("reservo_connections"), 1.0, Timeout);
    TestSocketClient fourth; // a freed slot can be used again
    QVERIFY2(fourth.connectTo(service.socketUrl()), qPrintable(fourth.errorString()));
}

QTEST_GUILESS_MAIN(tst_HttpEndpoints)
#include "tst_httpendpoints.moc"
