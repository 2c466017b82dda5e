// SPDX-License-Identifier: MIT
#include "targetaddress.h"

#include <QTest>
#include <arpa/inet.h>

using namespace Reservo::Bench;

// The bench only ever aims at this host.
class tst_TargetAddress : public QObject
{
    Q_OBJECT

private slots:
    void acceptsLoopback_data();
    void acceptsLoopback();
    void refuses_data();
    void refuses();
};

void tst_TargetAddress::acceptsLoopback_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");
    QTest::newRow("ws with path") << "ws://127.0.0.1:3000/socket.io/" << 3000 << "/socket.io/";
    QTest::newRow("http, no path") << "http://127.0.0.1:8080" << 8080 << "/";
    QTest::newRow("localhost") << "ws://localhost:3001" << 3001 << "/";
    QTest::newRow("other loopback address") << "ws://127.1.2.3:4000/x" << 4000 << "/x";
    QTest::newRow("default port") << "ws://127.0.0.1/" << 80 << "/";
}

void tst_TargetAddress::acceptsLoopback()
{
    QFETCH(QString, url);
    QFETCH(int, port);
    QFETCH(QString, path);
    QString error;
    const auto target = TargetAddress::parse(url, {"ws", "http"}, 80, &error);
    QVERIFY2(target, qPrintable(error));
    QCOMPARE(int(ntohs(target->address.sin_port)), port);
    QCOMPARE(QString::fromStdString(target->path), path);
    QVERIFY(TargetAddress::isLoopback(target->address));
}

void tst_TargetAddress::refuses_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("private network") << "ws://10.0.0.1:3000"
                                     << "loopback";
    QTest::newRow("public address") << "ws://8.8.8.8:3000"
                                    << "loopback";
    QTest::newRow("wrong scheme") << "nats://127.0.0.1:4222"
                                  << "not a ws/http URL";
    QTest::newRow("no host") << "ws:///socket.io/"
                             << "not a ws/http URL";
}

void tst_TargetAddress::refuses()
{
    QFETCH(QString, url);
    QFETCH(QString, mentions);
    QString error;
    QVERIFY(!TargetAddress::parse(url, {"ws", "http"}, 80, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_TargetAddress)
#include "tst_targetaddress.moc"
