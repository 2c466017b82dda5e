// SPDX-License-Identifier: MIT
#include "wsupgrade.h"

#include <QTest>

using namespace Reservo::Bench;
using Result = WsHandshake::Result;

Q_DECLARE_METATYPE(WsHandshake::Result)

// One client's upgrade: the request names a fresh key, the response may come in pieces, and what
// follows its head is handed back as the first frames.
class tst_WsUpgrade : public QObject
{
    Q_OBJECT

private slots:
    void response_data();
    void response();
};

void tst_WsUpgrade::response_data()
{
    QTest::addColumn<int>("split"); // the response arrives in two reads, split here
    QTest::addColumn<bool>("rightAccept");
    QTest::addColumn<Result>("result");
    QTest::addColumn<QByteArray>("rest");
    QTest::newRow("whole, with a frame after it")
        << 0 << true << Result::Done << QByteArray("\x81\x01x");
    QTest::newRow("split inside the head") << 20 << true << Result::Done << QByteArray("\x81\x01x");
    QTest::newRow("wrong accept") << 0 << false << Result::Failed << QByteArray();
}

void tst_WsUpgrade::response()
{
    QFETCH(int, split);
    QFETCH(bool, rightAccept);
    QFETCH(Result, result);
    QFETCH(QByteArray, rest);
    WsUpgrade upgrade;
    const std::string request = upgrade.request("127.0.0.1:3000", "/socket.io/?EIO=4", 1, 2);
    const std::string key = WsHandshake::makeKey(1, 2);
    QVERIFY(request.find("Sec-WebSocket-Key: " + key) != std::string::npos);
    const std::string accept = rightAccept ? WsHandshake::acceptFor(key) : std::string("nope");
    const std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                 "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
                                 accept + "\r\n\r\n\x81\x01x";
    std::string after, error;
    if (split > 0)
        QCOMPARE(upgrade.feed(std::string_view(response).substr(0, size_t(split)), after, error),
                 Result::NeedMore);
    QCOMPARE(upgrade.feed(std::string_view(response).substr(size_t(split)), after, error), result);
    QCOMPARE(QByteArray::fromStdString(after), rest);
    QCOMPARE(error.empty(), result != Result::Failed);
}

QTEST_GUILESS_MAIN(tst_WsUpgrade)
#include "tst_wsupgrade.moc"
