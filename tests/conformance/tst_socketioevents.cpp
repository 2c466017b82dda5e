// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QTest>

using namespace Reservo::Conformance;

namespace {
const QByteArray Placeholder0 = R"({"_placeholder":true,"num":0})";
const QByteArray Placeholder1 = R"({"_placeholder":true,"num":1})";
const QByteArray Placeholder2 = R"({"_placeholder":true,"num":2})";
} // namespace

// Socket.IO v5 events as the protocol's published test suite checks them: `message` echoed as
// `message-back`, `message-with-ack` acknowledged, binary attachments in order (BINARY_EVENT,
// BINARY_ACK, also over long-polling), and the malformed packets that close a connection.
class tst_SocketIoEvents : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void messageBack_data();
    void messageBack();
    void messageWithAck_data();
    void messageWithAck();
    void binaryMessageBack_data();
    void binaryMessageBack();
    void binaryAck();
    void malformedPacketClosesConnection_data();
    void malformedPacketClosesConnection();
    void binaryOverPolling();

private:
    // Connects socket to the main and the custom namespace; an error message if that failed.
    QString connectBothNamespaces(TestWebSocket &socket);
    // Connects to the main and the custom namespace, sends event and expects answer next.
    void expectAnswer(const QByteArray &event, const QByteArray &answer);
    // No ping within any test, so every answer is exactly what the test caused.
    ConformanceProcess m_quiet;
};

void tst_SocketIoEvents::initTestCase()
{
    QVERIFY2(m_quiet.start(600000, 600000), qPrintable(m_quiet.errorString()));
}

void tst_SocketIoEvents::messageBack_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArray>("answer");

    QTest::newRow("plain text") << QByteArray(R"(42["message",1,"2",{"3":[true]}])")
                                << QByteArray(R"(42["message-back",1,"2",{"3":[true]}])");
    QTest::newRow("no arguments") << QByteArray(R"(42["message"])")
                                  << QByteArray(R"(42["message-back"])");
    QTest::newRow("null and nested")
        << QByteArray(R"(42["message",null,[[],{}],{"a":{"b":[1]}}])")
        << QByteArray(R"(42["message-back",null,[[],{}],{"a":{"b":[1]}}])");
    QTest::newRow("utf-8") << QByteArray("42[\"message\",\"h\xc3\xa9llo \xf0\x9f\x8e\xad\"]")
                           << QByteArray("42[\"message-back\",\"h\xc3\xa9llo \xf0\x9f\x8e\xad\"]");
    QTest::newRow("custom namespace") << QByteArray(R"(42/custom,["message","x"])")
                                      << QByteArray(R"(42/custom,["message-back","x"])");
}

void tst_SocketIoEvents::messageBack()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, answer);
    expectAnswer(event, answer);
}

void tst_SocketIoEvents::messageWithAck_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArray>("ack");

    QTest::newRow("plain text") << QByteArray(R"(42456["message-with-ack",1,"2",{"3":[false]}])")
                                << QByteArray(R"(43456[1,"2",{"3":[false]}])");
    QTest::newRow("ack id 0") << QByteArray(R"(420["message-with-ack","a"])")
                              << QByteArray(R"(430["a"])");
    QTest::newRow("no arguments") << QByteArray(R"(427["message-with-ack"])")
                                  << QByteArray("437[]");
    QTest::newRow("largest safe ack id")
        << QByteArray(R"(429007199254740991["message-with-ack",true])")
        << QByteArray("439007199254740991[true]");
    QTest::newRow("custom namespace")
        << QByteArray(R"(42/custom,12["message-with-ack",{}])") << QByteArray("43/custom,12[{}]");
}

void tst_SocketIoEvents::messageWithAck()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArray, ack);
    expectAnswer(event, ack);
}

QString tst_SocketIoEvents::connectBothNamespaces(TestWebSocket &socket)
{
    if (const QString error = connectMainNamespace(socket, m_quiet); !error.isEmpty())
        return error;
    socket.sendText("40/custom,");
    return expectConnected(socket, "40/custom,", R"(42/custom,["auth",{}])");
}

void tst_SocketIoEvents::expectAnswer(const QByteArray &event, const QByteArray &answer)
{
    TestWebSocket socket;
    const QString error = connectBothNamespaces(socket);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    socket.sendText(event);

    QCOMPARE(socket.nextText(), answer);
}

void tst_SocketIoEvents::binaryMessageBack_data()
{
    QTest::addColumn<QByteArray>("event");
    QTest::addColumn<QByteArrayList>("attachments");
    QTest::addColumn<QByteArray>("answer");

    QTest::newRow("two attachments")
        << "452-[\"message\"," + Placeholder0 + ',' + Placeholder1 + ']'
        << QByteArrayList{"\x01\x02\x03", "\x04\x05\x06"}
        << "452-[\"message-back\"," + Placeholder0 + ',' + Placeholder1 + ']';
    QTest::newRow("one attachment among text")
        << "451-[\"message\",\"a\"," + Placeholder0 + ",2]" << QByteArrayList{"\xff"}
        << "451-[\"message-back\",\"a\"," + Placeholder0 + ",2]";
    QTest::newRow("placeholders nested, out of order")
        << "453-[\"message\",{\"x\":[" + Placeholder2 + ',' + Placeholder0 + "]}," + Placeholder1 +
               ']'
        << QByteArrayList{"first", QByteArray("\x00", 1), "third"}
        << "453-[\"message-back\",{\"x\":[" + Placeholder2 + ',' + Placeholder0 + "]}," +
               Placeholder1 + ']';
    QTest::newRow("custom namespace")
        << "451-/custom,[\"message\"," + Placeholder0 + ']' << QByteArrayList{"\x07"}
        << "451-/custom,[\"message-back\"," + Placeholder0 + ']';
}

void tst_SocketIoEvents::binaryMessageBack()
{
    QFETCH(QByteArray, event);
    QFETCH(QByteArrayList, attachments);
    QFETCH(QByteArray, answer);
    TestWebSocket socket;
    const QString error = connectBothNamespaces(socket);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    socket.sendText(event);
    for (const QByteArray &attachment : attachments)
        socket.sendBinary(attachment);

    QCOMPARE(socket.nextText(), answer);
    for (const QByteArray &attachment : attachments) {
        const std::optional<WsMessage> binary = socket.next();
        QVERIFY(binary && binary->binary);
        QCOMPARE(binary->data, attachment);
    }
}

void tst_SocketIoEvents::binaryAck()
{
    TestWebSocket socket;
    const QString error = connectMainNamespace(socket, m_quiet);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    socket.sendText("452-789[\"message-with-ack\"," + Placeholder0 + ',' + Placeholder1 + ']');
    socket.sendBinary("\x01\x02\x03");
    socket.sendBinary("\x04\x05\x06");

    QCOMPARE(socket.nextText(), "462-789[" + Placeholder0 + ',' + Placeholder1 + ']');
    for (const QByteArray &attachment : {QByteArray("\x01\x02\x03"), QByteArray("\x04\x05\x06")}) {
        const std::optional<WsMessage> binary = socket.next();
        QVERIFY(binary && binary->binary);
        QCOMPARE(binary->data, attachment);
    }
}

void tst_SocketIoEvents::malformedPacketClosesConnection_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("binary");

    QTest::newRow("unknown packet type") << QByteArray("4abc") << false;
    QTest::newRow("type out of range") << QByteArray("47[]") << false;
    QTest::newRow("payload not an array") << QByteArray("42{}") << false;
    QTest::newRow("empty event array") << QByteArray("42[]") << false;
    QTest::newRow("invalid ack id")
        << QByteArray(R"(42abc["message-with-ack",1,"2",{"3":[false]}])") << false;
    QTest::newRow("reserved event name") << QByteArray(R"(42["connect"])") << false;
    QTest::newRow("placeholder beyond the attachments")
        << "451-[\"message\"," + Placeholder1 + ']' << false;
    QTest::newRow("CONNECT_ERROR from a client") << QByteArray(R"(44{"message":"x"})") << false;
    QTest::newRow("binary frame without a packet") << QByteArray("\x01\x02") << true;
}

void tst_SocketIoEvents::malformedPacketClosesConnection()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, binary);
    TestWebSocket socket;
    const QString error = connectMainNamespace(socket, m_quiet);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    if (binary)
        socket.sendBinary(frame);
    else
        socket.sendText(frame);

    QVERIFY(socket.waitForDisconnected());
    QVERIFY(socket.hasOnlyClosePacketLeft());
}

// Attachments over long-polling travel as `b` + base64 packets of the same payload.
void tst_SocketIoEvents::binaryOverPolling()
{
    const QString sid = m_quiet.openPollingSession(SocketPath).value("sid").toString();
    QVERIFY2(!sid.isEmpty(), qPrintable(m_quiet.errorString()));
    const QByteArray target = pollingTarget(SocketPath, sid);
    QCOMPARE(m_quiet.request("POST", target, "40").status, 200);
    QVERIFY(m_quiet.request("GET", target).body.startsWith("40"));

    const QByteArray event = "452-12[\"message-with-ack\"," + Placeholder0 + ',' + Placeholder1 +
                             "]\x1e"
                             "bAQID\x1e"
                             "bBAUG";
    QCOMPARE(m_quiet.request("POST", target, event).status, 200);
    const HttpResponse poll = m_quiet.request("GET", target);

    QCOMPARE(poll.status, 200);
    QCOMPARE(poll.body, "462-12[" + Placeholder0 + ',' + Placeholder1 +
                            "]\x1e"
                            "bAQID\x1e"
                            "bBAUG");
}

QTEST_GUILESS_MAIN(tst_SocketIoEvents)
#include "tst_socketioevents.moc"
