// SPDX-License-Identifier: MIT
#include "httpexchange.h"
#include "natsclient.h"
#include "natsserverprocess.h"
#include "pollingclient.h"
#include "pollingtestbase.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>
#include <QTimer>
#include <algorithm>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

// The upgrade from HTTP long-polling to WebSocket as socket.io-client performs it (`2probe`,
// `3probe`, pause polling, `5`), in the middle of a stream of seat changes from NATS: nothing lost,
// nothing twice, in order; the upgraded session refuses polling and a second upgrade.
class tst_PollingUpgrade : public PollingTestBase
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void upgradeMidStreamLosesNothing_data();
    void upgradeMidStreamLosesNothing();
    void pollingRefusedAfterUpgrade_data();
    void pollingRefusedAfterUpgrade();
};

void tst_PollingUpgrade::initTestCase()
{
    QVERIFY(startNats(QStringLiteral("tst_pollingupgrade")));
}

void tst_PollingUpgrade::cleanup()
{
    stopService();
}

void tst_PollingUpgrade::upgradeMidStreamLosesNothing_data()
{
    QTest::addColumn<int>("intervalMs");
    QTest::addColumn<int>("perTick");
    QTest::addColumn<QString>("workerThreads"); // WORKER_THREADS: who writes to WebSockets
    for (const QString &threads : {QStringLiteral("0"), QStringLiteral("2")}) {
        const QString where = threads == u"0" ? QStringLiteral("main thread")
                                              : QStringLiteral("%1 worker threads").arg(threads);
        QTest::addRow("a change every 5 ms, %s", qPrintable(where)) << 5 << 1 << threads;
        QTest::addRow("bursts of 25, %s", qPrintable(where)) << 20 << 25 << threads;
    }
}

void tst_PollingUpgrade::upgradeMidStreamLosesNothing()
{
    QFETCH(int, intervalMs);
    QFETCH(int, perTick);
    QFETCH(QString, workerThreads);
    constexpr int UpdatesPerTransport = 40;
    constexpr int MaxChanges = 20000; // a bound, should the upgrade never finish
    QVERIFY(startService({{"WORKER_THREADS", workerThreads}}));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY2(client.joinEventRoom(eventId), qPrintable(client.errorString()));

    // Every change is a new seat, so every one is applied and broadcast with the next seq.
    QStringList expected;
    QTimer publisher;
    publisher.setInterval(intervalMs);
    connect(&publisher, &QTimer::timeout, this, [&] {
        for (int i = 0; i < perTick && expected.size() < MaxChanges; ++i) {
            const QString seat = QStringLiteral("S%1").arg(expected.size());
            if (publish(eventId, seat, "OCCUPIED"))
                expected.append(seat + QStringLiteral(" OCCUPIED"));
        }
    });
    publisher.start();
    QTRY_VERIFY_WITH_TIMEOUT(client.seatUpdates().size() >= UpdatesPerTransport, Timeout);

    client.startUpgrade();
    QTRY_VERIFY_WITH_TIMEOUT(client.upgraded() || client.isClosed(), Timeout);
    QVERIFY2(client.upgraded(), qPrintable(client.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(client.webSocketPackets() >= UpdatesPerTransport, Timeout);
    publisher.stop();

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), expected.size(), Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), expected);
    QString why;
    QVERIFY2(seqIsContiguous(client.seatUpdates(), 1, &why), qPrintable(why));
    // The seam is in the middle of the stream.
    const QList<QByteArray> packets = client.packets();
    const auto seam = packets.cbegin() + client.packetsBeforeUpgrade();
    const auto isUpdate = [](const QByteArray &p) {
        return p.startsWith("42[\"update-seat-status\"");
    };
    QVERIFY(std::count_if(packets.cbegin(), seam, isUpdate) >= UpdatesPerTransport);
    QVERIFY(std::count_if(seam, packets.cend(), isUpdate) >= UpdatesPerTransport);
    QCOMPARE(client.protocolErrors(), QStringList());
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
    QCOMPARE(m_service->metric("reservo_upgrades_total"), 1.0);
}

void tst_PollingUpgrade::pollingRefusedAfterUpgrade_data()
{
    QTest::addColumn<QString>("workerThreads");
    QTest::newRow("main thread") << QStringLiteral("0");
    QTest::newRow("2 worker threads") << QStringLiteral("2");
}

void tst_PollingUpgrade::pollingRefusedAfterUpgrade()
{
    QFETCH(QString, workerThreads);
    QVERIFY(startService({{"WORKER_THREADS", workerThreads}}));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY2(client.joinEventRoom(eventId), qPrintable(client.errorString()));
    QVERIFY2(client.upgrade(), qPrintable(client.errorString()));

    const HttpResponse poll = httpExchange(port(), "GET", client.sessionTarget());
    const HttpResponse post = httpExchange(port(), "POST", client.sessionTarget(), {}, "40");
    // A second upgrade of the same session: refused with an HTTP 400, or (as the reference
    // server does) a WebSocket closed at once; either way it gets nothing of the session.
    TestSocketClient second;
    second.setAutoPong(false);
    const bool secondOpened =
        second.open(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(port()) +
                         QString::fromUtf8(client.sessionTarget("websocket"))));

    QCOMPARE(poll.status, 400);
    QCOMPARE(post.status, 400);
    QVERIFY(!secondOpened);
    QVERIFY(second.waitForDisconnected() || !second.errorString().isEmpty());
    QCOMPARE(second.frames(), QList<QByteArray>());
    // None of them harmed the upgraded session.
    QVERIFY(publish(eventId, "A11", "PENDING"));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(client.transport(), PollingClient::Transport::WebSocket);
    QCOMPARE(client.webSocketPackets(), 1);
    QVERIFY2(!client.isClosed(), qPrintable(client.errorString()));
    QCOMPARE(client.protocolErrors(), QStringList());
}

QTEST_GUILESS_MAIN(tst_PollingUpgrade)
#include "tst_pollingupgrade.moc"
