// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QTest>

using namespace Reservo::Conformance;

// Socket.IO v5 namespaces as the protocol's published test suite checks them: CONNECT to `/` and
// `/custom` with the `auth` echo, unknown namespaces, invalid handshakes, DISCONNECT; and CONNECT
// over long-polling followed by the upgrade, as socket.io-client does by default.
class tst_SocketIoConnect : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void connectNamespace_data();
    void connectNamespace();
    void unknownNamespace_data();
    void unknownNamespace();
    void invalidHandshakeClosesConnection_data();
    void invalidHandshakeClosesConnection();
    void silentClientIsClosed();
    void disconnectFromMainNamespace();
    void connectThenDisconnectCustomNamespace();
    void pollingConnectThenUpgrade();

private:
    // The suites' settings: ping every 300 ms, 200 ms to answer.
    ConformanceProcess m_published;
    // No ping within any test, so every answer is exactly what the test caused.
    ConformanceProcess m_quiet;
};

void tst_SocketIoConnect::initTestCase()
{
    QVERIFY2(m_published.start(), qPrintable(m_published.errorString()));
    QVERIFY2(m_quiet.start(600000, 600000), qPrintable(m_quiet.errorString()));
}

void tst_SocketIoConnect::connectNamespace_data()
{
    QTest::addColumn<QByteArray>("connectPacket");
    QTest::addColumn<QByteArray>("answerPrefix");
    QTest::addColumn<QByteArray>("authPacket");

    QTest::newRow("main") << QByteArray("40") << QByteArray("40") << QByteArray(R"(42["auth",{}])");
    QTest::newRow("main with a payload") << QByteArray(R"(40{"token":"123"})") << QByteArray("40")
                                         << QByteArray(R"(42["auth",{"token":"123"}])");
    QTest::newRow("main named explicitly")
        << QByteArray("40/,") << QByteArray("40") << QByteArray(R"(42["auth",{}])");
    QTest::newRow("custom") << QByteArray("40/custom,") << QByteArray("40/custom,")
                            << QByteArray(R"(42/custom,["auth",{}])");
    QTest::newRow("custom without a comma") << QByteArray("40/custom") << QByteArray("40/custom,")
                                            << QByteArray(R"(42/custom,["auth",{}])");
    QTest::newRow("custom with a payload")
        << QByteArray(R"(40/custom,{"token":"abc"})") << QByteArray("40/custom,")
        << QByteArray(R"(42/custom,["auth",{"token":"abc"}])");
    QTest::newRow("nested payload")
        << QByteArray(R"(40{"ok":true,"user":{"id":7,"roles":["a","b"]}})") << QByteArray("40")
        << QByteArray(R"(42["auth",{"ok":true,"user":{"id":7,"roles":["a","b"]}}])");
}

void tst_SocketIoConnect::connectNamespace()
{
    QFETCH(QByteArray, connectPacket);
    QFETCH(QByteArray, answerPrefix);
    QFETCH(QByteArray, authPacket);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(SocketPath, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    socket.sendText(connectPacket);

    const QString error = expectConnected(socket, answerPrefix, authPacket);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_SocketIoConnect::unknownNamespace_data()
{
    QTest::addColumn<QByteArray>("connectPacket");
    QTest::addColumn<QByteArray>("answer");

    QTest::newRow("no comma") << QByteArray("40/random")
                              << QByteArray(R"(44/random,{"message":"Invalid namespace"})");
    QTest::newRow("comma") << QByteArray("40/random,")
                           << QByteArray(R"(44/random,{"message":"Invalid namespace"})");
    QTest::newRow("with a payload") << QByteArray(R"(40/random,{"token":"x"})")
                                    << QByteArray(R"(44/random,{"message":"Invalid namespace"})");
    QTest::newRow("sub-path of custom")
        << QByteArray("40/custom/x,")
        << QByteArray(R"(44/custom/x,{"message":"Invalid namespace"})");
}

void tst_SocketIoConnect::unknownNamespace()
{
    QFETCH(QByteArray, connectPacket);
    QFETCH(QByteArray, answer);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(SocketPath, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    socket.sendText(connectPacket);

    QCOMPARE(socket.nextText(), answer);
    // The connection stays usable.
    socket.sendText("40");
    const QString error = expectConnected(socket, "40", R"(42["auth",{}])");
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void tst_SocketIoConnect::invalidHandshakeClosesConnection_data()
{
    QTest::addColumn<QByteArray>("frame");

    QTest::newRow("unknown packet type") << QByteArray("4abc");
    QTest::newRow("payload not an object") << QByteArray(R"(40"token")");
    QTest::newRow("payload not JSON") << QByteArray(R"(40{"token":)");
}

void tst_SocketIoConnect::invalidHandshakeClosesConnection()
{
    QFETCH(QByteArray, frame);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(SocketPath, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    socket.sendText(frame);

    QVERIFY(socket.waitForDisconnected());
}

// A client that neither connects a namespace nor answers pings is closed.
void tst_SocketIoConnect::silentClientIsClosed()
{
    TestWebSocket socket(TestWebSocket::Pings::Keep);

    socket.open(m_published.webSocketUrl(SocketPath, WebSocketQuery));

    QVERIFY(socket.waitForDisconnected());
    QVERIFY(socket.wasConnected());
}

void tst_SocketIoConnect::disconnectFromMainNamespace()
{
    TestWebSocket socket;
    const QString error = connectMainNamespace(socket, m_quiet);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    socket.sendText("41");
    // Events to the namespace left are ignored; the connection itself stays open.
    socket.sendText(R"(42["message","to main"])");
    socket.sendText("40/custom,");

    const QString custom = expectConnected(socket, "40/custom,", R"(42/custom,["auth",{}])");
    QVERIFY2(custom.isEmpty(), qPrintable(custom));
    socket.sendText(R"(42/custom,["message","to custom"])");
    QCOMPARE(socket.nextText(), QByteArray(R"(42/custom,["message-back","to custom"])"));
}

void tst_SocketIoConnect::connectThenDisconnectCustomNamespace()
{
    TestWebSocket socket;
    const QString error = connectMainNamespace(socket, m_quiet);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    socket.sendText("40/custom");
    const QString custom = expectConnected(socket, "40/custom,", R"(42/custom,["auth",{}])");
    QVERIFY2(custom.isEmpty(), qPrintable(custom));

    socket.sendText("41/custom");
    socket.sendText(R"(42/custom,["message","to custom"])");
    socket.sendText(R"(42["message","message to main namespace"])");

    QCOMPARE(socket.nextText(), QByteArray(R"(42["message-back","message to main namespace"])"));
}

// socket.io-client's default path: CONNECT over long-polling, then the upgrade to WebSocket.
void tst_SocketIoConnect::pollingConnectThenUpgrade()
{
    const QString sid = m_quiet.openPollingSession(SocketPath).value("sid").toString();
    QVERIFY2(!sid.isEmpty(), qPrintable(m_quiet.errorString()));
    const QByteArray target = pollingTarget(SocketPath, sid);
    QCOMPARE(m_quiet.request("POST", target, R"(40{"token":"t"})").status, 200);
    const HttpResponse connected = m_quiet.request("GET", target);
    QCOMPARE(connected.status, 200);
    const QByteArrayList packets = connected.body.split('\x1e');
    QCOMPARE(packets.size(), 2);
    const QString mismatch = connectAnswerMismatch(packets[0], "40");
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    QCOMPARE(packets[1], QByteArray(R"(42["auth",{"token":"t"}])"));

    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(SocketPath, WebSocketQuery + QStringLiteral("&sid=") + sid));
    QVERIFY(socket.waitForConnected());
    socket.sendText("2probe");
    QCOMPARE(socket.nextText(), QByteArray("3probe"));
    QCOMPARE(m_quiet.request("GET", target).body, QByteArray("6"));
    socket.sendText("5");
    socket.sendText(R"(42["message","over websocket"])");

    QCOMPARE(socket.nextText(), QByteArray(R"(42["message-back","over websocket"])"));
    QCOMPARE(m_quiet.request("GET", target).status, 400);
}

QTEST_GUILESS_MAIN(tst_SocketIoConnect)
#include "tst_socketioconnect.moc"
