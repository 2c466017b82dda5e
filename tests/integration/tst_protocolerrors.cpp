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

// What reservo-ws does with clients that break the protocol: malformed packets close that one
// connection only, invalid namespaces and unknown events are refused without harm.
class tst_ProtocolErrors : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void malformedPacketClosesOnlyThatConnection_data();
    void malformedPacketClosesOnlyThatConnection();
    void invalidNamespaceGetsConnectError();
    void connectWithAuthPayloadIsAccepted();
    void unknownEventIsIgnoredAndCounted();

private:
    NatsServerProcess m_nats;
    NatsClient m_publisher;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_ProtocolErrors::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_publisher.start({m_nats.url()}, QStringLiteral("tst_protocolerrors")),
             qPrintable(m_publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_publisher.state(), NatsClient::State::Connected, Timeout);
}

void tst_ProtocolErrors::init()
{
    m_service = std::make_unique<ServiceProcess>();
    QVERIFY2(m_service->start(m_nats.url()), qPrintable(m_service->errorString()));
}

void tst_ProtocolErrors::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

void tst_ProtocolErrors::malformedPacketClosesOnlyThatConnection_data()
{
    QTest::addColumn<QByteArray>("frame");
    const QByteArray join = R"(["join-event-room",{"eventId":"e1"}])";
    QTest::newRow("empty frame") << QByteArray();
    QTest::newRow("unknown Engine.IO type") << QByteArray("9");
    QTest::newRow("open from a client") << QByteArray("0");
    QTest::newRow("unknown Socket.IO type") << QByteArray("4X");
    QTest::newRow("Socket.IO type 9") << QByteArray("49[\"x\"]");
    QTest::newRow("event not JSON") << QByteArray("42not-json");
    QTest::newRow("event payload an object") << QByteArray(R"(42{"a":1})");
    QTest::newRow("event payload truncated") << QByteArray(R"(42["join-event-room")");
    QTest::newRow("event array empty") << QByteArray("42[]");
    QTest::newRow("reserved event name") << QByteArray(R"(42["disconnect"])");
    QTest::newRow("ack id of 17 digits") << "4212345678901234567" + join;
    QTest::newRow("ack id above 2^53-1") << "429007199254740992" + join;
    QTest::newRow("ack payload an object") << QByteArray(R"(431{"a":1})");
    QTest::newRow("binary event without count") << QByteArray(R"(45-["a"])");
    QTest::newRow("CONNECT_ERROR from a client") << QByteArray(R"(44{"message":"x"})");
}

void tst_ProtocolErrors::malformedPacketClosesOnlyThatConnection()
{
    QFETCH(QByteArray, frame);
    TestSocketClient offender, bystander;
    for (TestSocketClient *client : {&offender, &bystander})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));
    const QString eventId = newId();
    QVERIFY(offender.joinEventRoom(eventId));
    QVERIFY(bystander.joinEventRoom(eventId));
    const double before = m_service->metric("reservo_malformed_packets_total");
    QVERIFY(before >= 0);

    offender.sendText(frame);

    QVERIFY2(offender.waitForDisconnected(), "the server did not close the offending connection");
    QVERIFY(
        m_publisher.publish("update.seat.state", seatChangePayload(eventId, QStringLiteral("C15"),
                                                                   QStringLiteral("OCCUPIED"))));
    QTRY_COMPARE_WITH_TIMEOUT(bystander.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(bystander.seatUpdates()), QStringList{QStringLiteral("C15 OCCUPIED")});
    QVERIFY(bystander.isConnected());
    QVERIFY(offender.seatUpdates().isEmpty());
    QCOMPARE(m_service->metric("reservo_malformed_packets_total"), before + 1);
    QCOMPARE(m_service->httpGet("/healthz").status, 200);
}

void tst_ProtocolErrors::invalidNamespaceGetsConnectError()
{
    TestSocketClient client;
    QVERIFY2(client.open(m_service->socketUrl()), qPrintable(client.errorString()));

    const std::optional<SocketIo::Packet> refused =
        client.connectNamespace(QStringLiteral("/admin"));

    QVERIFY2(refused, "no answer to CONNECT /admin");
    QCOMPARE(refused->type, SocketIo::PacketType::ConnectError);
    QCOMPARE(client.frames().last(), QByteArray(R"(44/admin,{"message":"Invalid namespace"})"));
    // The Engine.IO connection stays: the client may still connect to `/`.
    const std::optional<SocketIo::Packet> accepted = client.connectNamespace();
    QVERIFY2(accepted, "no answer to CONNECT /");
    QCOMPARE(accepted->type, SocketIo::PacketType::Connect);
    QVERIFY(!accepted->data.toObject().value(QStringLiteral("sid")).toString().isEmpty());
    QVERIFY(client.joinEventRoom(newId()));
}

void tst_ProtocolErrors::connectWithAuthPayloadIsAccepted()
{
    TestSocketClient client;
    QVERIFY2(client.open(m_service->socketUrl()), qPrintable(client.errorString()));

    const std::optional<SocketIo::Packet> reply =
        client.connectNamespace(QStringLiteral("/"), {{QStringLiteral("token"), "abc"}});

    QVERIFY2(reply, "no answer to CONNECT with auth");
    QCOMPARE(reply->type, SocketIo::PacketType::Connect);
    QVERIFY(client.frames().last().startsWith("40{"));
    QVERIFY(!reply->data.toObject().value(QStringLiteral("sid")).toString().isEmpty());
}

void tst_ProtocolErrors::unknownEventIsIgnoredAndCounted()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const double before = m_service->metric("reservo_unknown_events_total");
    QVERIFY(before >= 0);

    client.emitEvent(QStringLiteral("no-such-event"), {QJsonObject{{QStringLiteral("a"), 1}}});
    // A join after it is answered on the same connection, so the unknown event was handled.
    QVERIFY(client.joinEventRoom(newId()));

    QVERIFY(client.isConnected());
    QCOMPARE(m_service->metric("reservo_unknown_events_total"), before + 1);
}

QTEST_GUILESS_MAIN(tst_ProtocolErrors)
#include "tst_protocolerrors.moc"
