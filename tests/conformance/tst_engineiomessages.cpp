// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QTest>

using namespace Reservo::Conformance;

Q_DECLARE_METATYPE(Reservo::Conformance::WsMessage)

// Engine.IO v4 messages as the protocol's published test suite checks them, echoed at /engine.io/:
// payloads with \x1e and base64 binary over long-polling, frames over WebSocket, the errors that
// close a session (invalid packet, duplicate or cancelled poll) and the close packet.
class tst_EngineIoMessages : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void pollingEcho_data();
    void pollingEcho();
    void webSocketEcho_data();
    void webSocketEcho();
    void pollingInvalidPacketClosesSession_data();
    void pollingInvalidPacketClosesSession();
    void webSocketInvalidPacketClosesSession_data();
    void webSocketInvalidPacketClosesSession();
    void duplicatePollClosesSession();
    void cancelledPollClosesSession();
    void pollingClose_data() { addPathRows(); }
    void pollingClose();
    void webSocketClose_data() { addPathRows(); }
    void webSocketClose();

private:
    // No ping within any test, so every answer is exactly what the test caused.
    ConformanceProcess m_quiet;
};

void tst_EngineIoMessages::initTestCase()
{
    QVERIFY2(m_quiet.start(600000, 600000), qPrintable(m_quiet.errorString()));
}

void tst_EngineIoMessages::pollingEcho_data()
{
    QTest::addColumn<QByteArray>("payload"); // posted, then polled back unchanged

    QTest::newRow("one text packet") << QByteArray("4hello");
    QTest::newRow("several text packets") << QByteArray("4test1\x1e"
                                                        "4test2\x1e"
                                                        "4test3");
    QTest::newRow("text and binary") << QByteArray("4hello\x1e"
                                                   "bAQIDBA==");
    QTest::newRow("binary only") << QByteArray("bAQIDBA==");
    QTest::newRow("empty text") << QByteArray("4");
    QTest::newRow("utf-8 text") << QByteArray("4h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x8e\xad");
    QByteArray everyByte(256, Qt::Uninitialized);
    for (int i = 0; i < 256; ++i)
        everyByte[i] = char(i);
    QTest::newRow("every byte value") << "b" + everyByte.toBase64();
}

void tst_EngineIoMessages::pollingEcho()
{
    QFETCH(QByteArray, payload);
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());

    const HttpResponse push = m_quiet.request("POST", pollingTarget(EnginePath, sid), payload);
    const HttpResponse poll = m_quiet.request("GET", pollingTarget(EnginePath, sid));

    QCOMPARE(push.status, 200);
    QCOMPARE(push.body, QByteArray("ok"));
    QCOMPARE(poll.status, 200);
    QVERIFY(poll.header("content-type").startsWith("text/plain"));
    QCOMPARE(poll.body, payload);
}

void tst_EngineIoMessages::webSocketEcho_data()
{
    QTest::addColumn<QList<WsMessage>>("messages"); // sent in order, echoed in order

    QTest::newRow("text") << QList<WsMessage>{{"4hello", false}};
    QTest::newRow("utf-8 text") << QList<WsMessage>{{"4h\xc3\xa9llo \xf0\x9f\x8e\xad", false}};
    QTest::newRow("binary") << QList<WsMessage>{{QByteArray("\x01\x02\x03\x04", 4), true}};
    QTest::newRow("binary with zero bytes")
        << QList<WsMessage>{{QByteArray("\x00\xff\x00", 3), true}};
    QTest::newRow("mixed, in order")
        << QList<WsMessage>{{"4one", false}, {QByteArray("\x02", 1), true}, {"4three", false}};
}

void tst_EngineIoMessages::webSocketEcho()
{
    QFETCH(QList<WsMessage>, messages);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(EnginePath, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    for (const WsMessage &message : messages) {
        if (message.binary)
            socket.sendBinary(message.data);
        else
            socket.sendText(message.data);
    }

    for (const WsMessage &expected : messages) {
        const std::optional<WsMessage> echo = socket.next();
        QVERIFY(echo);
        QCOMPARE(echo->binary, expected.binary);
        QCOMPARE(echo->data, expected.data);
    }
}

void tst_EngineIoMessages::pollingInvalidPacketClosesSession_data()
{
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("not a packet") << QByteArray("abc");
    QTest::newRow("after a valid packet") << QByteArray("4ok\x1e"
                                                        "abc");
    QTest::newRow("unknown type") << QByteArray("9");
    QTest::newRow("open from a client") << QByteArray("0");
    QTest::newRow("invalid base64") << QByteArray("b!!!");
}

void tst_EngineIoMessages::pollingInvalidPacketClosesSession()
{
    QFETCH(QByteArray, payload);
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());

    const HttpResponse push = m_quiet.request("POST", pollingTarget(EnginePath, sid), payload);
    const HttpResponse poll = m_quiet.request("GET", pollingTarget(EnginePath, sid));

    QCOMPARE(push.status, 400);
    QCOMPARE(poll.status, 400);
}

void tst_EngineIoMessages::webSocketInvalidPacketClosesSession_data()
{
    QTest::addColumn<QByteArray>("frame");

    QTest::newRow("not a packet") << QByteArray("abc");
    QTest::newRow("unknown type") << QByteArray("9");
    QTest::newRow("open from a client") << QByteArray("0");
    QTest::newRow("empty frame") << QByteArray("");
}

void tst_EngineIoMessages::webSocketInvalidPacketClosesSession()
{
    QFETCH(QByteArray, frame);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(EnginePath, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    socket.sendText(frame);

    QVERIFY(socket.waitForDisconnected());
    QVERIFY(socket.hasOnlyClosePacketLeft());
}

void tst_EngineIoMessages::duplicatePollClosesSession()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    const auto first = m_quiet.startRequest("GET", pollingTarget(EnginePath, sid));
    m_quiet.sync(); // the first poll is waiting at the server

    const HttpResponse second = m_quiet.request("GET", pollingTarget(EnginePath, sid) + "&t=burst");

    QVERIFY(first->waitForFinished(Timeout));
    QCOMPARE(first->response().status, 200);
    QCOMPARE(first->response().body, QByteArray("1"));
    QVERIFY(second.status == 400 || second.status == 500); // the suite allows Node's 500
    QCOMPARE(m_quiet.request("GET", pollingTarget(EnginePath, sid)).status, 400);
}

void tst_EngineIoMessages::cancelledPollClosesSession()
{
    const QString sid = openPollingSid(m_quiet, EnginePath);
    QVERIFY(!sid.isEmpty());
    const auto poll = m_quiet.startRequest("GET", pollingTarget(EnginePath, sid));
    m_quiet.sync();

    poll->abort();
    m_quiet.sync(); // the server saw the poll's connection close

    // A POST, not a GET: a GET would be refused as a second poll if the cancel went unnoticed.
    QCOMPARE(m_quiet.request("POST", pollingTarget(EnginePath, sid), "4hello").status, 400);
    QCOMPARE(m_quiet.request("GET", pollingTarget(EnginePath, sid)).status, 400);
}

void tst_EngineIoMessages::pollingClose()
{
    QFETCH(QString, path);
    const QString sid = openPollingSid(m_quiet, path);
    QVERIFY(!sid.isEmpty());
    const auto poll = m_quiet.startRequest("GET", pollingTarget(path, sid));
    m_quiet.sync();

    const HttpResponse push = m_quiet.request("POST", pollingTarget(path, sid), "1");

    QCOMPARE(push.status, 200);
    QVERIFY(poll->waitForFinished(Timeout));
    QCOMPARE(poll->response().status, 200);
    QCOMPARE(poll->response().body, QByteArray("6"));
    QCOMPARE(m_quiet.request("GET", pollingTarget(path, sid)).status, 400);
}

void tst_EngineIoMessages::webSocketClose()
{
    QFETCH(QString, path);
    TestWebSocket socket;
    socket.open(m_quiet.webSocketUrl(path, WebSocketQuery));
    QVERIFY(socket.nextText().startsWith('0'));

    socket.sendText("1");

    QVERIFY(socket.waitForDisconnected());
}

QTEST_GUILESS_MAIN(tst_EngineIoMessages)
#include "tst_engineiomessages.moc"
