// SPDX-License-Identifier: MIT
#include "httprequest.h"

#include <QTest>

using namespace Reservo;

// The request-head parser of the one listening port.
class tst_HttpRequest : public QObject
{
    Q_OBJECT
private slots:
    void headLength_data();
    void headLength();
    void parse_data();
    void parse();
    void upgrade_data();
    void upgrade();
    void response();
};

void tst_HttpRequest::headLength_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<qsizetype>("expected");
    QTest::newRow("complete") << QByteArray("GET / HTTP/1.1\r\n\r\n") << qsizetype(18);
    QTest::newRow("with body") << QByteArray("GET / HTTP/1.1\r\n\r\nxyz") << qsizetype(18);
    QTest::newRow("partial") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n") << qsizetype(0);
    QTest::newRow("method only") << QByteArray("GE") << qsizetype(0);
    QTest::newRow("empty") << QByteArray() << qsizetype(0);
    QTest::newRow("tls hello") << QByteArray("\x16\x03\x01\x02\x00", 5) << qsizetype(-1);
    QTest::newRow("lowercase") << QByteArray("get / HTTP/1.1") << qsizetype(-1);
}

void tst_HttpRequest::headLength()
{
    QFETCH(QByteArray, data);
    QFETCH(qsizetype, expected);
    QCOMPARE(HttpRequest::headLength(data), expected);
}

void tst_HttpRequest::parse_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("eio");
    QTest::newRow("socket.io") << QByteArray(
                                      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                                      "Host: x\r\n\r\n")
                               << true << "/socket.io/"
                               << "4";
    QTest::newRow("http/1.0") << QByteArray("GET /healthz HTTP/1.0\r\n\r\n") << true << "/healthz"
                              << "";
    QTest::newRow("encoded") << QByteArray("GET /a%20b?EIO=%34 HTTP/1.1\r\n\r\n") << true << "/a b"
                             << "4";
    QTest::newRow("http/2") << QByteArray("GET / HTTP/2\r\n\r\n") << false << ""
                            << "";
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << false << ""
                                << "";
    QTest::newRow("absolute uri") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << false << ""
                                  << "";
    QTest::newRow("bad method") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << false << ""
                                << "";
    QTest::newRow("bare lf") << QByteArray("GET / HTTP/1.1\n\n") << false << ""
                             << "";
    QTest::newRow("header no colon") << QByteArray("GET / HTTP/1.1\r\nHost\r\n\r\n") << false << ""
                                     << "";
    QTest::newRow("header space name")
        << QByteArray("GET / HTTP/1.1\r\nHo st: a\r\n\r\n") << false << ""
        << "";
    QTest::newRow("extra spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << false << ""
                                  << "";
}

void tst_HttpRequest::parse()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, valid);
    QFETCH(QString, path);
    QFETCH(QString, eio);
    QString error;
    const std::optional<HttpRequest> request = HttpRequest::parse(head, &error);
    QCOMPARE(request.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(request->path, path);
    QCOMPARE(request->query.queryItemValue("EIO"), eio);
}

void tst_HttpRequest::upgrade_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<bool>("upgrade");
    QTest::newRow("standard") << QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                              << true;
    QTest::newRow("case") << QByteArray("upgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n")
                          << true;
    QTest::newRow("no connection") << QByteArray("Upgrade: websocket\r\n") << false;
    QTest::newRow("h2c") << QByteArray("Upgrade: h2c\r\nConnection: Upgrade\r\n") << false;
    QTest::newRow("none") << QByteArray() << false;
    QTest::newRow("empty repeat")
        << QByteArray("Upgrade: websocket\r\nUpgrade:\r\nConnection: Upgrade\r\n") << true;
}

void tst_HttpRequest::upgrade()
{
    QFETCH(QByteArray, headers);
    QFETCH(bool, upgrade);
    const auto request = HttpRequest::parse("GET / HTTP/1.1\r\n" + headers + "\r\n");
    QVERIFY(request);
    QCOMPARE(request->isWebSocketUpgrade(), upgrade);
}

void tst_HttpRequest::response()
{
    const QByteArray r = httpResponse(503, "text/plain", "not ready\n");
    QVERIFY(r.startsWith("HTTP/1.1 503 Service Unavailable\r\n"));
    QVERIFY(r.contains("\r\nContent-Length: 10\r\n"));
    QVERIFY(r.endsWith("\r\n\r\nnot ready\n"));
}

QTEST_GUILESS_MAIN(tst_HttpRequest)
#include "tst_httprequest.moc"
