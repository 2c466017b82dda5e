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
constexpr int NatsMaxPayload = 1024;
const QList<QByteArray> BadInputKinds{"oversized",     "not_json", "not_object",
                                      "missing_field", "bad_id",   "unknown_state"};

// A payload with `%E` standing for the room's event id.
QByteArray withEvent(QByteArray payload, const QString &eventId)
{
    return payload.replace("%E", eventId.toUtf8());
}

// A valid change padded with spaces after the JSON to exactly `size` bytes.
QByteArray paddedChange(const QString &eventId, const QString &seatId, qsizetype size)
{
    QByteArray payload = seatChangePayload(eventId, seatId, QStringLiteral("OCCUPIED"));
    return payload.leftJustified(size, ' ');
}

QByteArray badInputSeries(const QByteArray &kind)
{
    return "reservo_nats_bad_input_total{kind=\"" + kind + "\"}";
}
} // namespace

// `update.seat.state` input from NATS: bad payloads are dropped and counted by kind, good ones
// still flow, and NestJS requests get NestJS replies.
class tst_NatsInput : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void badPayloadIsDropped_data();
    void badPayloadIsDropped();
    void badInputIsCountedByKind();
    void payloadAtTheLimitIsDelivered();
    void nestRequestGetsNestReply();
    void badNestRequestGetsErrReply();
    void plainMessageWithReplySubjectGetsNestReply();

private:
    std::optional<QJsonObject> request(const QByteArray &payload);

    NatsServerProcess m_nats;
    NatsClient m_publisher;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function, counters at 0
};

void tst_NatsInput::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_publisher.start({m_nats.url()}, QStringLiteral("tst_natsinput")),
             qPrintable(m_publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_publisher.state(), NatsClient::State::Connected, Timeout);
}

void tst_NatsInput::init()
{
    m_service = std::make_unique<ServiceProcess>();
    const ServiceProcess::Environment env{
        {QStringLiteral("NATS_MAX_PAYLOAD"), QString::number(NatsMaxPayload)}};
    QVERIFY2(m_service->start(m_nats.url(), env), qPrintable(m_service->errorString()));
}

void tst_NatsInput::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

// A NATS request to `update.seat.state`; the reply parsed as a JSON object.
std::optional<QJsonObject> tst_NatsInput::request(const QByteArray &payload)
{
    auto reply = std::make_shared<std::optional<NatsReply>>();
    m_publisher.request(SeatSubject, payload, Timeout,
                        [reply](const NatsReply &answer) { *reply = answer; });
    if (!QTest::qWaitFor([&] { return reply->has_value(); }, Timeout + 5000))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson((*reply)->payload);
    if ((*reply)->status != NatsReply::Status::Ok || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

void tst_NatsInput::badPayloadIsDropped_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("padTo"); // pad with spaces to this size after filling in %E
    QTest::addColumn<QByteArray>("kind");
    const auto row = [](const char *name, const QByteArray &payload, const char *kind) {
        QTest::newRow(name) << payload << 0 << QByteArray(kind);
    };
    row("not JSON", "{\"eventId\":\"%E\",", "not_json");
    row("plain text", "OCCUPIED", "not_json");
    row("empty payload", "", "not_json");
    row("array", R"([{"eventId":"%E","seatId":"s1","seatState":"OCCUPIED"}])", "not_object");
    row("missing seatState", R"({"eventId":"%E","seatId":"s1"})", "missing_field");
    row("missing seatId", R"({"eventId":"%E","seatState":"OCCUPIED"})", "missing_field");
    row("missing eventId", R"({"seatId":"s1","seatState":"OCCUPIED"})", "missing_field");
    row("unknown state", R"({"eventId":"%E","seatId":"s1","seatState":"BROKEN"})", "unknown_state");
    row("lower-case state", R"({"eventId":"%E","seatId":"s1","seatState":"occupied"})",
        "unknown_state");
    row("numeric state", R"({"eventId":"%E","seatId":"s1","seatState":2})", "unknown_state");
    row("empty seatId", R"({"eventId":"%E","seatId":"","seatState":"OCCUPIED"})", "bad_id");
    row("empty eventId", R"({"eventId":"","seatId":"s1","seatState":"OCCUPIED"})", "bad_id");
    row("numeric seatId", R"({"eventId":"%E","seatId":7,"seatState":"OCCUPIED"})", "bad_id");
    row("numeric eventId", R"({"eventId":7,"seatId":"s1","seatState":"OCCUPIED"})", "bad_id");
    row("null seatId", R"({"eventId":"%E","seatId":null,"seatState":"OCCUPIED"})", "bad_id");
    row("129-char seatId",
        R"({"eventId":"%E","seatId":")" + QByteArray(129, 's') + R"(","seatState":"PENDING"})",
        "bad_id");
    QTest::newRow("oversized by one byte")
        << QByteArray(R"({"eventId":"%E","seatId":"s1","seatState":"OCCUPIED"})")
        << NatsMaxPayload + 1 << QByteArray("oversized");
}

void tst_NatsInput::badPayloadIsDropped()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, padTo);
    QFETCH(QByteArray, kind);
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    payload = withEvent(payload, eventId).leftJustified(padTo, ' ');
    QVERIFY(padTo == 0 || payload.size() == padTo);

    QVERIFY(m_publisher.publish(SeatSubject, payload));
    QVERIFY(m_publisher.publish(SeatSubject, seatChangePayload(eventId, QStringLiteral("good"),
                                                               QStringLiteral("PENDING"))));

    // In-order delivery: once the good update is in, the bad one would have arrived before it.
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("good PENDING")});
    for (const QByteArray &k : BadInputKinds)
        QCOMPARE(m_service->metric(badInputSeries(k)), k == kind ? 1.0 : 0.0);
    QVERIFY(client.isConnected());
}

void tst_NatsInput::badInputIsCountedByKind()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    QHash<QByteArray, int> sent;
    const auto send = [&](const QByteArray &payload, const QByteArray &kind) {
        ++sent[kind];
        return m_publisher.publish(SeatSubject, withEvent(payload, eventId));
    };

    for (int i = 0; i < 3; ++i)
        QVERIFY(send("not json", "not_json"));
    QVERIFY(send("[1,2]", "not_object"));
    for (int i = 0; i < 2; ++i)
        QVERIFY(send(R"({"eventId":"%E"})", "missing_field"));
    for (int i = 0; i < 4; ++i)
        QVERIFY(send(R"({"eventId":"%E","seatId":"","seatState":"PENDING"})", "bad_id"));
    QVERIFY(send(R"({"eventId":"%E","seatId":"s","seatState":"SOLD"})", "unknown_state"));
    QVERIFY(send(paddedChange(eventId, QStringLiteral("big"), 4 * NatsMaxPayload), "oversized"));
    QVERIFY(m_publisher.publish(SeatSubject, seatChangePayload(eventId, QStringLiteral("last"),
                                                               QStringLiteral("OCCUPIED"))));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("last OCCUPIED")});
    for (const QByteArray &kind : BadInputKinds)
        QCOMPARE(m_service->metric(badInputSeries(kind)), double(sent.value(kind)));
}

void tst_NatsInput::payloadAtTheLimitIsDelivered()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));

    QVERIFY(m_publisher.publish(SeatSubject,
                                paddedChange(eventId, QStringLiteral("edge"), NatsMaxPayload)));

    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("edge OCCUPIED")});
    QCOMPARE(m_service->metric(badInputSeries("oversized")), 0.0);
}

void tst_NatsInput::nestRequestGetsNestReply()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    const QJsonObject envelope{
        {QStringLiteral("pattern"), QStringLiteral("update.seat.state")},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("eventId"), eventId},
                     {QStringLiteral("seatId"), QStringLiteral("nest")},
                     {QStringLiteral("seatState"), QStringLiteral("PENDING")}}},
        {QStringLiteral("id"), QStringLiteral("req-1")}};

    const std::optional<QJsonObject> reply =
        request(QJsonDocument(envelope).toJson(QJsonDocument::Compact));

    QVERIFY2(reply, "no JSON reply to a NestJS request");
    const QJsonObject expected{
        {QStringLiteral("id"), QStringLiteral("req-1")},
        {QStringLiteral("response"), QJsonObject{{QStringLiteral("ok"), true}}},
        {QStringLiteral("isDisposed"), true}};
    QCOMPARE(*reply, expected);
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("nest PENDING")});
}

void tst_NatsInput::badNestRequestGetsErrReply()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));
    const QByteArray envelope =
        withEvent(R"({"pattern":"update.seat.state","data":{"eventId":"%E","seatId":"s1",)"
                  R"("seatState":"BROKEN"},"id":"req-2"})",
                  eventId);

    const std::optional<QJsonObject> reply = request(envelope);

    QVERIFY2(reply, "no JSON reply to a bad NestJS request");
    QVERIFY2(reply->value(QStringLiteral("err")).isString() &&
                 !reply->value(QStringLiteral("err")).toString().isEmpty(),
             QJsonDocument(*reply).toJson().constData());
    QVERIFY(!reply->contains(QStringLiteral("response")));
    QCOMPARE(reply->value(QStringLiteral("isDisposed")), QJsonValue(true));
    const QJsonValue id = reply->value(QStringLiteral("id"));
    QVERIFY2(id == QJsonValue(QStringLiteral("req-2")) || id.isNull(),
             QJsonDocument(*reply).toJson().constData());
    QCOMPARE(m_service->metric(badInputSeries("unknown_state")), 1.0);
    // Nothing reached the room: a later good update is the first the client sees.
    QVERIFY(m_publisher.publish(SeatSubject, seatChangePayload(eventId, QStringLiteral("good"),
                                                               QStringLiteral("PENDING"))));
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("good PENDING")});
}

void tst_NatsInput::plainMessageWithReplySubjectGetsNestReply()
{
    TestSocketClient client;
    QVERIFY2(client.connectTo(m_service->socketUrl()), qPrintable(client.errorString()));
    const QString eventId = newId();
    QVERIFY(client.joinEventRoom(eventId));

    const std::optional<QJsonObject> reply =
        request(seatChangePayload(eventId, QStringLiteral("plain"), QStringLiteral("AVAILABLE")));

    QVERIFY2(reply, "no JSON reply to a plain request");
    const QJsonObject expected{
        {QStringLiteral("id"), QJsonValue::Null},
        {QStringLiteral("response"), QJsonObject{{QStringLiteral("ok"), true}}},
        {QStringLiteral("isDisposed"), true}};
    QCOMPARE(*reply, expected);
    QTRY_COMPARE_WITH_TIMEOUT(client.seatUpdates().size(), 1, Timeout);
    QCOMPARE(seatSummary(client.seatUpdates()), QStringList{QStringLiteral("plain AVAILABLE")});
}

QTEST_GUILESS_MAIN(tst_NatsInput)
#include "tst_natsinput.moc"
