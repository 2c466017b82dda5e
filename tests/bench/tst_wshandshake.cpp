// SPDX-License-Identifier: MIT
#include "wshandshake.h"

#include <QTest>

using namespace Reservo::Bench;

namespace {
const std::string Accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; // RFC 6455's example
const std::string Good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                         Accept + "\r\n\r\n";
} // namespace

// The client side of the opening handshake: the key's accept value, the request, and the
// checks of the server's head, however it arrives.
class tst_WsHandshake : public QObject
{
    Q_OBJECT

private slots:
    void acceptMatchesTheRfcExample();
    void keyIsSixteenBytes();
    void request();
    void response_data();
    void response();
    void framesAfterTheHead();
};

void tst_WsHandshake::acceptMatchesTheRfcExample()
{
    QCOMPARE(WsHandshake::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), Accept);
}

void tst_WsHandshake::keyIsSixteenBytes()
{
    const std::string key = WsHandshake::makeKey(1, 2);
    QCOMPARE(key.size(), size_t(24));
    QCOMPARE(QByteArray::fromBase64(QByteArray::fromStdString(key)).size(), 16);
    QVERIFY(WsHandshake::makeKey(1, 2) != WsHandshake::makeKey(1, 3));
}

void tst_WsHandshake::request()
{
    const std::string r =
        WsHandshake::request("127.0.0.1:3000", "/socket.io/?EIO=4&transport=websocket", "k");
    QVERIFY(r.starts_with("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"));
    QVERIFY(r.find("\r\nHost: 127.0.0.1:3000\r\n") != std::string::npos);
    QVERIFY(r.find("\r\nSec-WebSocket-Key: k\r\n") != std::string::npos);
    QVERIFY(r.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
    QVERIFY(r.ends_with("\r\n\r\n"));
}

void tst_WsHandshake::response_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("result");
    using R = WsHandshake::Result;
    const QByteArray good = QByteArray::fromStdString(Good);
    QTest::newRow("complete") << good << int(R::Done);
    QTest::newRow("partial") << good.left(good.size() - 1) << int(R::NeedMore);
    QTest::newRow("header names in any case")
        << QByteArray::fromStdString(
               "HTTP/1.1 101 OK\r\nUPGRADE: WebSocket\r\nconnection: keep-alive, "
               "upgrade\r\nsec-websocket-accept:" +
               Accept + "\r\n\r\n")
        << int(R::Done);
    QTest::newRow("404") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                         << int(R::Failed);
    QTest::newRow("wrong accept") << QByteArray(good).replace("s3pP", "XXXX") << int(R::Failed);
    QTest::newRow("no upgrade") << QByteArray(good).replace("Upgrade: websocket\r\n", "")
                                << int(R::Failed);
    QTest::newRow("endless head") << QByteArray(20000, 'h') << int(R::Failed);
}

void tst_WsHandshake::response()
{
    QFETCH(QByteArray, head);
    QFETCH(int, result);
    size_t headSize = 0;
    std::string error;
    const auto got = WsHandshake::checkResponse(head.toStdString(), Accept, headSize, error);
    QCOMPARE(int(got), result);
    QCOMPARE(error.empty(), got != WsHandshake::Result::Failed);
}

void tst_WsHandshake::framesAfterTheHead()
{
    const std::string received = Good + "\x81\x01"
                                        "0";
    size_t headSize = 0;
    std::string error;
    QCOMPARE(WsHandshake::checkResponse(received, Accept, headSize, error),
             WsHandshake::Result::Done);
    QCOMPARE(received.substr(headSize), std::string("\x81\x01"
                                                    "0"));
}

QTEST_GUILESS_MAIN(tst_WsHandshake)
#include "tst_wshandshake.moc"
