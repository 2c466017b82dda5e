// SPDX-License-Identifier: MIT
#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QJsonDocument>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QByteArray SeatSubject = "update.seat.state";
const QString JoinEvent = QStringLiteral("join-event-room");
const QString LeaveEvent = QStringLiteral("leave-event-room");

QJsonObject eventIdArg(const QJsonValue &eventId)
{
    return {{QStringLiteral("eventId"), eventId}};
}
} // namespace

// Rooms end to end: NATS `update.seat.state` -> reservo-ws -> exactly the members of the room.
class tst_RoomFanout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void joinAcknowledgesWithOriginalText();
    void updateFrameCarriesSeatIdAndState_data();
    void updateFrameCarriesSeatIdAndState();
    void updateReachesEveryMemberOfItsRoomOnly();
    void updatesArriveInPublishOrder();
    void leaveStopsDelivery();
    void joiningTwiceDeliversOnce();
    void longestIdsAreDelivered();
    void invalidEventIdGetsErrorAck_data();
    void invalidEventIdGetsErrorAck();
    void roomLimitPerConnection();

private:
    bool publish(const QString &eventId, const QString &seatId, const QString &state);

    NatsServerProcess m_nats;
    NatsClient m_publisher;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_RoomFanout::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_publisher.start({m_nats.url()}, QStringLiteral("tst_roomfanout")),
             qPrintable(m_publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_publisher.state(), NatsClient::State::Connected, Timeout);
}

void tst_RoomFanout::init()
{
    m_service = std::make_unique<ServiceProcess>();
    QVERIFY2(m_service->start(m_nats.url()), qPrintable(m_service->errorString()));
}

void tst_RoomFanout::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

bool tst_RoomFanout::publish(const QString &eventId, const QString &seatId, const QString &state)
{
    return m_publisher.publish(SeatSubject, seatChangePayload(eventId, seatId, state));
}

void tst_RoomFanout::joinAcknowledgesWithOriginalText()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();

    const std::optional<QJsonArray> ack = client.emitWithAck(JoinEvent, {eventIdArg(eventId)});

    QVERIFY2(ack, "no ack for join-event-room");
    QCOMPARE(*ack, QJsonArray{QStringLiteral("Conectado a la sala correctamente: ") + eventId});
    // The first ack id a socket.io client uses is 0: `43<id>[...]` byte for byte.
    QCOMPARE(client.lastAckFrame(),
             "430[\"Conectado a la sala correctamente: " + eventId.toUtf8() + "\"]");
}

void tst_RoomFanout::updateFrameCarriesSeatIdAndState_data()
{
    QTest::addColumn<QString>("state");
    QTest::newRow("available") << QStringLiteral("AVAILABLE");
    QTest::newRow("pending") << QStringLiteral("PENDING");
    QTest::newRow("occupied") << QStringLiteral("OCCUPIED");
}

void tst_RoomFanout::updateFrameCarriesSeatIdAndState()
{
    QFETCH(QString, state);
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    const QString seatId = newId();
    QVERIFY(client.joinEventRoom(eventId));

    QVERIFY(publish(eventId, seatId, state));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdateFrames().size(), 1, Timeout);
    const QByteArray frame = client.seatUpdateFrames().first();
    QVERIFY2(frame.startsWith("42[\"update-seat-status\",{"), frame.constData());
    const QJsonDocument doc = QJsonDocument::fromJson(frame.mid(2));
    QVERIFY2(doc.isArray(), frame.constData());
    const QJsonArray packet = doc.array();
    // [name, payload] as the original sent it; socket.io's connection state recovery may append
    // its offset as one more string argument, which old clients' handlers never look at.
    QVERIFY2(packet.size() == 2 || (packet.size() == 3 && packet.at(2).isString()),
             frame.constData());
    QCOMPARE(packet.at(0), QJsonValue(QStringLiteral("update-seat-status")));
    const QJsonObject update = packet.at(1).toObject();
    QCOMPARE(update.value(QStringLiteral("id")), QJsonValue(seatId));
    QCOMPARE(update.value(QStringLiteral("state")), QJsonValue(state));
    // Extension fields are optional, but when present they must describe this change.
    if (update.contains(QStringLiteral("eventId")))
        QCOMPARE(update.value(QStringLiteral("eventId")), QJsonValue(eventId));
}

void tst_RoomFanout::updateReachesEveryMemberOfItsRoomOnly()
{
    TestSocketClient a, b, c;
    for (TestSocketClient *client : {&a, &b, &c})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));
    const QString roomX = newId();
    const QString roomY = newId();
    QVERIFY(a.joinEventRoom(roomX));
    QVERIFY(b.joinEventRoom(roomX));
    QVERIFY(c.joinEventRoom(roomY));

    // NATS and the service keep publish order, so a later update to each room is a barrier: once
    // it has arrived, anything wrongly sent before it would have arrived too.
    QVERIFY(publish(roomX, QStringLiteral("x1"), QStringLiteral("OCCUPIED")));
    QVERIFY(publish(roomY, QStringLiteral("y1"), QStringLiteral("PENDING")));
    QVERIFY(publish(roomX, QStringLiteral("x2"), QStringLiteral("AVAILABLE")));

    const QStringList expectedX{QStringLiteral("x1 OCCUPIED"), QStringLiteral("x2 AVAILABLE")};
    QTRY_COMPARE_WITH_TIMEOUT(a.seatUpdates().size(), 2, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(b.seatUpdates().size(), 2, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(c.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(a.seatUpdates()), expectedX);
    QCOMPARE(seatSummary(b.seatUpdates()), expectedX);
    QCOMPARE(seatSummary(c.seatUpdates()), QStringList{QStringLiteral("y1 PENDING")});
    for (TestSocketClient *client : {&a, &b, &c})
        QCOMPARE(client->protocolErrors(), QStringList());
}

void tst_RoomFanout::updatesArriveInPublishOrder()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    const QStringList states{QStringLiteral("PENDING"), QStringLiteral("OCCUPIED"),
                             QStringLiteral("AVAILABLE")};
    QStringList expected;
    for (int i = 0; i < 60; ++i) {
        const QString seat = QStringLiteral("S%1").arg(i);
        const QString state = states[i % states.size()];
        QVERIFY(publish(eventId, seat, state));
        expected.append(seat + u' ' + state);
    }

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), expected.size(), Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), expected);
}

void tst_RoomFanout::leaveStopsDelivery()
{
    TestSocketClient leaver, stayer;
    for (TestSocketClient *client : {&leaver, &stayer})
        QVERIFY2(client->connectTo(m_service->socketUrl()), qPrintable(client->errorString()));
    const QString room = newId();
    const QString barrierRoom = newId();
    QVERIFY(leaver.joinEventRoom(room));
    QVERIFY(leaver.joinEventRoom(barrierRoom));
    QVERIFY(stayer.joinEventRoom(room));

    const std::optional<QJsonArray> ack = leaver.emitWithAck(LeaveEvent, {eventIdArg(room)});
    QVERIFY2(ack, "no ack for leave-event-room");
    QCOMPARE(*ack, (QJsonArray{QJsonObject{{QStringLiteral("ok"), true}}}));

    QVERIFY(publish(room, QStringLiteral("after-leave"), QStringLiteral("OCCUPIED")));
    QVERIFY(publish(barrierRoom, QStringLiteral("barrier"), QStringLiteral("PENDING")));

    QTRY_COMPARE_WITH_TIMEOUT(leaver.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(leaver.seatUpdates()), QStringList{QStringLiteral("barrier PENDING")});
    QTRY_COMPARE_WITH_TIMEOUT(stayer.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(stayer.seatUpdates()),
             QStringList{QStringLiteral("after-leave OCCUPIED")});
    QVERIFY(leaver.isConnected());
}

void tst_RoomFanout::joiningTwiceDeliversOnce()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString room = newId();
    const QString barrierRoom = newId();
    QVERIFY(client.joinEventRoom(room));
    QVERIFY(client.joinEventRoom(room));
    QVERIFY(client.joinEventRoom(barrierRoom));

    QVERIFY(publish(room, QStringLiteral("once"), QStringLiteral("OCCUPIED")));
    QVERIFY(publish(barrierRoom, QStringLiteral("barrier"), QStringLiteral("AVAILABLE")));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 2, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()),
             (QStringList{QStringLiteral("once OCCUPIED"), QStringLiteral("barrier AVAILABLE")}));
}

void tst_RoomFanout::longestIdsAreDelivered()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId().leftJustified(128, u'e');
    const QString seatId = newId().leftJustified(128, u's');
    QVERIFY(client.joinEventRoom(eventId));

    QVERIFY(publish(eventId, seatId, QStringLiteral("PENDING")));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{seatId + QStringLiteral(" PENDING")});
}

void tst_RoomFanout::invalidEventIdGetsErrorAck_data()
{
    QTest::addColumn<QJsonArray>("args");
    QTest::newRow("no argument") << QJsonArray{};
    QTest::newRow("no eventId") << QJsonArray{QJsonObject{}};
    QTest::newRow("string argument") << QJsonArray{newId()};
    QTest::newRow("null") << QJsonArray{eventIdArg(QJsonValue::Null)};
    QTest::newRow("number") << QJsonArray{eventIdArg(42)};
    QTest::newRow("object") << QJsonArray{eventIdArg(QJsonObject{{QStringLiteral("id"), 1}})};
    QTest::newRow("empty") << QJsonArray{eventIdArg(QString())};
    QTest::newRow("129 characters") << QJsonArray{eventIdArg(QString(129, u'e'))};
}

void tst_RoomFanout::invalidEventIdGetsErrorAck()
{
    QFETCH(QJsonArray, args);
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const double refusedBefore = m_service->metric("reservo_invalid_joins_total");
    QVERIFY(refusedBefore >= 0);

    const std::optional<QJsonArray> ack = client.emitWithAck(JoinEvent, args);

    QVERIFY2(ack, "no ack for an invalid join");
    QCOMPARE(ack->size(), 1);
    const QJsonValue error = ack->at(0).toObject().value(QStringLiteral("error"));
    QVERIFY2(error.isString() && !error.toString().isEmpty(),
             QJsonDocument(*ack).toJson(QJsonDocument::Compact).constData());
    QCOMPARE(m_service->metric("reservo_invalid_joins_total"), refusedBefore + 1);

    // The connection stays usable: a valid join after the refusal works and gets updates.
    QVERIFY(client.isConnected());
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    QVERIFY(publish(eventId, QStringLiteral("A11"), QStringLiteral("OCCUPIED")));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("A11 OCCUPIED")});
}

void tst_RoomFanout::roomLimitPerConnection()
{
    ServiceProcess limited;
    QVERIFY2(limited.start(m_nats.url(), {{QStringLiteral("MAX_ROOMS_PER_CONNECTION"), "2"}}),
             qPrintable(limited.errorString()));
    m_service.reset(); // both would receive the updates; only `limited` matters here
    TestSocketClient client, other;
    for (TestSocketClient *c : {&client, &other})
        QVERIFY2(c->connectTo(limited.socketUrl()), qPrintable(c->errorString()));
    const QString first = newId();
    const QString second = newId();
    const QString third = newId();
    QVERIFY(client.joinEventRoom(first));
    QVERIFY(client.joinEventRoom(second));

    const std::optional<QJsonArray> refused = client.emitWithAck(JoinEvent, {eventIdArg(third)});
    QVERIFY2(refused, "no ack for a join over the limit");
    QVERIFY(refused->at(0).toObject().value(QStringLiteral("error")).isString());
    QVERIFY(other.joinEventRoom(third)); // the limit is per connection

    const std::optional<QJsonArray> left = client.emitWithAck(LeaveEvent, {eventIdArg(first)});
    QCOMPARE(left, (QJsonArray{QJsonObject{{QStringLiteral("ok"), true}}}));
    QVERIFY(client.joinEventRoom(third));
    QVERIFY(publish(third, QStringLiteral("B2"), QStringLiteral("PENDING")));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("B2 PENDING")});
}

QTEST_GUILESS_MAIN(tst_RoomFanout)
#include "tst_roomfanout.moc"
