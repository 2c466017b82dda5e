// SPDX-License-Identifier: MIT
#include "childprocess.h"
#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QStandardPaths>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

// /metrics in the Prometheus text exposition format, as Prometheus's own `promtool` reads it,
// after real traffic (so every series, histogram buckets included, has data).
class tst_MetricsFormat : public QObject
{
    Q_OBJECT

private slots:
    void promtoolAcceptsMetrics();
};

void tst_MetricsFormat::promtoolAcceptsMetrics()
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    QVERIFY2(!promtool.isEmpty(), "promtool not found: install Debian's prometheus package");
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service;
    QVERIFY2(service.start(nats.url()), qPrintable(service.errorString()));
    NatsClient publisher;
    QVERIFY(publisher.start({nats.url()}, QStringLiteral("tst_metricsformat")));
    QTRY_COMPARE_WITH_TIMEOUT(publisher.state(), NatsClient::State::Connected, Timeout);
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    publisher.publish("update.seat.state", "not json");
    publisher.publish("update.seat.state", seatChangePayload(eventId, "s1", "PENDING"));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);

    const HttpResponse metrics = service.httpGet("/metrics");
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.header("content-type").startsWith("text/plain; version=0.0.4"));
    QVERIFY(metrics.body.contains("reservo_delivery_latency_seconds_bucket{le=\"+Inf\"} 1\n"));
    QVERIFY(metrics.body.contains("reservo_nats_bad_input_total{kind=\"not_json\"} 1\n"));

    ChildProcess check(QStringLiteral("promtool"));
    check.setProgram(promtool);
    check.setInput(metrics.body);
    QVERIFY2(check.start({QStringLiteral("check"), QStringLiteral("metrics")}),
             qPrintable(check.errorString()));
    QVERIFY2(check.waitForExit(), qPrintable(check.errorString()));
    const QByteArray report = check.output();
    QVERIFY2(check.exitCode() == 0 && report.trimmed().isEmpty(), report.constData());
}

QTEST_GUILESS_MAIN(tst_MetricsFormat)
#include "tst_metricsformat.moc"
