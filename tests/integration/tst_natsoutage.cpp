// SPDX-License-Identifier: MIT
#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

// A NATS outage: clients stay connected and served, the service reconnects by itself and seat
// updates flow again afterwards.
class tst_NatsOutage : public QObject
{
    Q_OBJECT

private slots:
    void clientsSurviveAndUpdatesResume();
};

void tst_NatsOutage::clientsSurviveAndUpdatesResume()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url()), qPrintable(service.errorString()));
    NatsClient publisher;
    QVERIFY2(publisher.start({nats.url()}, QStringLiteral("tst_natsoutage")),
             qPrintable(publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), NatsClient::State::Connected, Timeout);
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    QVERIFY(
        publisher.publish("update.seat.state", seatChangePayload(eventId, QStringLiteral("before"),
                                                                 QStringLiteral("PENDING"))));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);

    QVERIFY2(nats.stop(), qPrintable(nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 503, Timeout);

    QVERIFY(client.isConnected());
    QVERIFY(client.joinEventRoom(newId())); // still served during the outage

    QVERIFY2(nats.restart(), qPrintable(nats.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(service.httpGet("/readyz").status, 200, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), NatsClient::State::Connected, Timeout);
    QVERIFY(
        publisher.publish("update.seat.state", seatChangePayload(eventId, QStringLiteral("after"),
                                                                 QStringLiteral("OCCUPIED"))));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 2, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()),
             (QStringList{QStringLiteral("before PENDING"), QStringLiteral("after OCCUPIED")}));
    QVERIFY(client.isConnected());
    QCOMPARE(service.metric("reservo_nats_reconnects_total"), 1.0);
}

QTEST_GUILESS_MAIN(tst_NatsOutage)
#include "tst_natsoutage.moc"
