// SPDX-License-Identifier: MIT
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;

// The per-connection limits, each proven against the real service with a small setting.
class tst_Limits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void joinRateIsLimited();
    void roomsPerInstanceAreBounded();
    void oversizedMessageClosesOnlyThatConnection();

private:
    NatsServerProcess m_nats;
};

void tst_Limits::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
}

void tst_Limits::joinRateIsLimited()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("JOIN_RATE"), QStringLiteral("2")}}),
             qPrintable(service.errorString()));
    TestSocketClient client;
    QVERIFY2(client.connectTo(service.socketUrl()), qPrintable(client.errorString()));
    // A burst of 12 joins sent at once: the bucket holds 2 and refills at 2/s, so nearly all of
    // the burst (sent within milliseconds) is refused, whatever the machine's load.
    for (int i = 0; i < 12; ++i)
        client.sendText(QByteArrayLiteral("42") + QByteArray::number(100 + i) +
                        "[\"join-event-room\",{\"eventId\":\"" + newId().toUtf8() + "\"}]");
    const auto acks = [&client] {
        QList<QJsonValue> out;
        for (const QByteArray &frame : client.frames()) {
            if (frame.startsWith("431"))
                out.append(QJsonDocument::fromJson(frame.mid(5)).array().first());
        }
        return out;
    };
    QTRY_COMPARE_WITH_TIMEOUT(acks().size(), 12, Timeout);
    int accepted = 0;
    int limited = 0;
    for (const QJsonValue &ack : acks()) {
        if (ack.isString())
            ++accepted;
        else if (ack.toObject()
                     .value(QStringLiteral("error"))
                     .toString()
                     .contains(QLatin1String("too many joins")))
            ++limited;
    }
    QVERIFY2(accepted >= 2 && accepted <= 4, qPrintable(QString::number(accepted)));
    QCOMPARE(accepted + limited, 12);
    QVERIFY(client.isConnected()); // limited, not disconnected
    QCOMPARE(service.metric("reservo_joins_rate_limited_total"), double(limited));
}

// MAX_ROOMS: the join that needs one room too many gets an error ack and changes nothing; rooms
// that exist still take joins, from anyone.
void tst_Limits::roomsPerInstanceAreBounded()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("MAX_ROOMS"), QStringLiteral("2")}}),
             qPrintable(service.errorString()));
    TestSocketClient first;
    TestSocketClient second;
    QVERIFY2(first.connectTo(service.socketUrl()), qPrintable(first.errorString()));
    QVERIFY2(second.connectTo(service.socketUrl()), qPrintable(second.errorString()));
    const QStringList rooms{newId(), newId()};
    for (const QString &room : rooms)
        QVERIFY(first.joinEventRoom(room));
    const auto join = [](TestSocketClient &client, const QString &eventId) {
        return client.emitWithAck(QStringLiteral("join-event-room"),
                                  {QJsonObject{{QStringLiteral("eventId"), eventId}}});
    };
    const std::optional<QJsonArray> refused = join(second, newId());
    QVERIFY2(refused, "no ack for the refused join");
    QVERIFY(refused->at(0)
                .toObject()
                .value(QStringLiteral("error"))
                .toString()
                .contains(QLatin1String("too many rooms")));
    QCOMPARE(service.metric("reservo_rooms"), 2.0);
    QCOMPARE(service.metric("reservo_rooms_refused_total"), 1.0);
    QCOMPARE(service.metric("reservo_max_rooms"), 2.0);
    QVERIFY(second.joinEventRoom(rooms.at(1))); // an existing room
    QCOMPARE(service.metric("reservo_members"), 3.0);
    QVERIFY(second.isConnected());
}

void tst_Limits::oversizedMessageClosesOnlyThatConnection()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url(), {{QStringLiteral("MAX_PAYLOAD"), QStringLiteral("1024")}}),
             qPrintable(service.errorString()));
    TestSocketClient big;
    TestSocketClient bystander;
    QVERIFY2(big.connectTo(service.socketUrl()), qPrintable(big.errorString()));
    QVERIFY2(bystander.connectTo(service.socketUrl()), qPrintable(bystander.errorString()));
    QCOMPARE(big.openInfo().maxPayload, qint64(1024));
    const QByteArray padding(2000, 'x');
    big.sendText("42[\"join-event-room\",{\"eventId\":\"" + padding + "\"}]");
    QVERIFY(big.waitForDisconnected());
    QCOMPARE(big.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(bystander.isConnected());
    QVERIFY(bystander.joinEventRoom(newId()));
}

QTEST_GUILESS_MAIN(tst_Limits)
#include "tst_limits.moc"
