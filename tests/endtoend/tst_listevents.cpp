// SPDX-License-Identifier: MIT
// `list-events` end to end: the ack carries the events service's upcoming events, or an error
// when there is no events service; the connection stays usable either way.
#include "eventsprobe.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "simprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QJsonArray>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString ListEvents = QStringLiteral("list-events");
}

class tst_ListEvents : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listsTheEventsServiceEvents();
    void errorWithoutEventsService();

private:
    NatsServerProcess m_nats;
};

void tst_ListEvents::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_ListEvents::listsTheEventsServiceEvents()
{
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), {.events = 3, .seed = 41, .initialOccupiedPercent = 40}),
             qPrintable(sim.errorString()));
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(sim.eventIds().at(0)), qPrintable(probe.errorString()));
    const std::optional<QList<NatsWire::EventSummary>> upcoming = probe.upcoming();
    QVERIFY2(upcoming, qPrintable(probe.errorString()));
    QJsonArray expected;
    for (const NatsWire::EventSummary &event : *upcoming)
        expected.append(event.toJson());
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));

    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    const std::optional<QJsonArray> ack = client.emitWithAck(ListEvents, {QJsonObject()});
    QVERIFY2(ack, "no ack for list-events");
    QCOMPARE(ack->size(), 1);
    const QJsonArray listed = ack->at(0).toArray();
    QCOMPARE(listed, expected);
    QStringList ids;
    for (const QJsonValue &event : listed) {
        ids.append(event.toObject().value(QStringLiteral("id")).toString());
        QCOMPARE(event.toObject().value(QStringLiteral("capacity")), QJsonValue(15));
        QCOMPARE(event.toObject().value(QStringLiteral("occupiedSeats")), QJsonValue(6));
    }
    QCOMPARE(ids, sim.eventIds());
}

void tst_ListEvents::errorWithoutEventsService()
{
    // A 60 s request timeout: the error must come from NATS's immediate "no responders".
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(),
                           {{QStringLiteral("NATS_REQUEST_TIMEOUT_MS"), QStringLiteral("60000")}}),
             qPrintable(service.errorString()));
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    const std::optional<QJsonArray> ack = client.emitWithAck(ListEvents, {QJsonObject()});
    QVERIFY2(ack, "no ack for list-events");
    QCOMPARE(ack->size(), 1);
    const QJsonObject error = ack->at(0).toObject();
    QCOMPARE(error.keys(), QStringList{QStringLiteral("error")});
    QVERIFY(!error.value(QStringLiteral("error")).toString().isEmpty());
    QVERIFY(client.isConnected());

    // The events service arrives: once the failure's short cache (a second) has passed, the
    // next request lists its events.
    SimProcess sim;
    QVERIFY2(sim.start(m_nats.url(), {.events = 2, .seed = 42}), qPrintable(sim.errorString()));
    EventsProbe probe;
    QVERIFY2(probe.start(m_nats.url()), qPrintable(probe.errorString()));
    QVERIFY2(probe.waitUntilAnswering(sim.eventIds().at(0)), qPrintable(probe.errorString()));
    const auto listedIds = [&client] {
        QStringList ids;
        const std::optional<QJsonArray> listed = client.emitWithAck(ListEvents, {QJsonObject()});
        for (const QJsonValue &event : listed ? listed->at(0).toArray() : QJsonArray())
            ids.append(event.toObject().value(QStringLiteral("id")).toString());
        return ids;
    };
    QTRY_COMPARE_WITH_TIMEOUT(listedIds(), sim.eventIds(), Timeout);
    service.printOutputIfFailed();
}

QTEST_GUILESS_MAIN(tst_ListEvents)
#include "tst_listevents.moc"
