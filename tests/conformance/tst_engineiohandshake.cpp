// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QJsonDocument>
#include <QTest>

using namespace Reservo::Conformance;

// Engine.IO v4 handshakes as the protocol's published test suite checks them, over long-polling
// and WebSocket at /engine.io/ and /socket.io/: the open packet, and the requests refused with 400.
class tst_EngineIoHandshake : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void pollingHandshake_data() { addPathRows(); }
    void pollingHandshake();
    void webSocketHandshake_data() { addPathRows(); }
    void webSocketHandshake();
    void refusedRequests_data();
    void refusedRequests();
    void refusedWebSocketHandshakes_data();
    void refusedWebSocketHandshakes();

private:
    // The suites' settings: ping every 300 ms, 200 ms to answer.
    ConformanceProcess m_published;
    // No ping within any test, so every answer is exactly what the test caused.
    ConformanceProcess m_quiet;
};

void tst_EngineIoHandshake::initTestCase()
{
    QVERIFY2(m_published.start(), qPrintable(m_published.errorString()));
    QVERIFY2(m_quiet.start(600000, 600000), qPrintable(m_quiet.errorString()));
}

void tst_EngineIoHandshake::pollingHandshake()
{
    QFETCH(QString, path);

    const HttpResponse response = m_published.request("GET", pollingTarget(path));

    QCOMPARE(response.status, 200);
    QVERIFY(response.header("content-type").startsWith("text/plain"));
    const QString mismatch = openPacketMismatch(response.body, {QStringLiteral("websocket")});
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void tst_EngineIoHandshake::webSocketHandshake()
{
    QFETCH(QString, path);
    TestWebSocket socket(TestWebSocket::Pings::Keep);

    socket.open(m_published.webSocketUrl(path, WebSocketQuery));

    const QString mismatch = openPacketMismatch(socket.nextText(), {});
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
}

void tst_EngineIoHandshake::refusedRequests_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("code"); // Engine.IO's error code in the JSON body

    for (const QString &path : {EnginePath, SocketPath}) {
        const auto row = [&path](const char *name) -> QTestData & {
            return QTest::addRow("%s %s", qPrintable(path), name) << path;
        };
        row("no EIO") << QByteArray("GET") << QByteArray("transport=polling") << QByteArray() << 5;
        row("EIO=abc") << QByteArray("GET") << QByteArray("EIO=abc&transport=polling")
                       << QByteArray() << 5;
        row("EIO=3") << QByteArray("GET") << QByteArray("EIO=3&transport=polling") << QByteArray()
                     << 5;
        row("no transport") << QByteArray("GET") << QByteArray("EIO=4") << QByteArray() << 0;
        row("transport=abc") << QByteArray("GET") << QByteArray("EIO=4&transport=abc")
                             << QByteArray() << 0;
        row("POST handshake") << QByteArray("POST") << QByteArray("EIO=4&transport=polling")
                              << QByteArray() << 2;
        row("PUT handshake") << QByteArray("PUT") << QByteArray("EIO=4&transport=polling")
                             << QByteArray() << 2;
        row("GET unknown sid") << QByteArray("GET")
                               << QByteArray("EIO=4&transport=polling&sid=nope") << QByteArray()
                               << 1;
        row("POST unknown sid") << QByteArray("POST")
                                << QByteArray("EIO=4&transport=polling&sid=nope")
                                << QByteArray("4hello") << 1;
        row("websocket without upgrade")
            << QByteArray("GET") << QByteArray("EIO=4&transport=websocket") << QByteArray() << 3;
    }
}

void tst_EngineIoHandshake::refusedRequests()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, body);
    QFETCH(int, code);

    const HttpResponse response = m_quiet.request(method, path.toUtf8() + '?' + query, body);

    QVERIFY2(response.error.isEmpty(), qPrintable(response.error));
    QCOMPARE(response.status, 400);
    QVERIFY(response.header("content-type").startsWith("application/json"));
    const QJsonObject error = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(error.value("code").toInt(-1), code);
    QVERIFY(error.value("message").isString());
}

void tst_EngineIoHandshake::refusedWebSocketHandshakes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");

    for (const QString &path : {EnginePath, SocketPath}) {
        for (const char *query :
             {"transport=websocket", "EIO=abc&transport=websocket", "EIO=3&transport=websocket",
              "EIO=4", "EIO=4&transport=abc", "EIO=4&transport=websocket&sid=nope"})
            QTest::addRow("%s %s", qPrintable(path), query) << path << QString::fromLatin1(query);
    }
}

void tst_EngineIoHandshake::refusedWebSocketHandshakes()
{
    QFETCH(QString, path);
    QFETCH(QString, query);
    TestWebSocket socket;

    socket.open(m_quiet.webSocketUrl(path, query));

    QVERIFY(socket.waitForDisconnected());
    QVERIFY(socket.pending().isEmpty());
}

QTEST_GUILESS_MAIN(tst_EngineIoHandshake)
#include "tst_engineiohandshake.moc"
