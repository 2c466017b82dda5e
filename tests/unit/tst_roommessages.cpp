// SPDX-License-Identifier: MIT
// RoomMessages: the room events a reservo-ws (old or new) sends, as the monitor reads them.
#include "roommessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
QJsonValue json(const char *text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}
} // namespace

class tst_RoomMessages : public QObject
{
    Q_OBJECT

private slots:
    void seatUpdate_data();
    void seatUpdate();
    void snapshot_data();
    void snapshot();
    void presence();
    void eventList_data();
    void eventList();
};

void tst_RoomMessages::seatUpdate_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("eventId");
    QTest::addColumn<QString>("tag");
    QTest::addColumn<qint64>("seq"); // -1: none

    QTest::newRow("original {id,state}")
        << QByteArray(R"({"id":"s1","state":"PENDING"})") << true << ""
        << "" << -1LL;
    QTest::newRow("extended")
        << QByteArray(R"({"id":"s1","state":"OCCUPIED","eventId":"e1","tag":"A11","seq":42})")
        << true << "e1"
        << "A11" << 42LL;
    QTest::newRow("null seq is no seq")
        << QByteArray(R"({"id":"s1","state":"AVAILABLE","seq":null})") << true << ""
        << "" << -1LL;
    QTest::newRow("missing id") << QByteArray(R"({"state":"PENDING"})") << false << ""
                                << "" << -1LL;
    QTest::newRow("empty id") << QByteArray(R"({"id":"","state":"PENDING"})") << false << ""
                              << "" << -1LL;
    QTest::newRow("unknown state") << QByteArray(R"({"id":"s1","state":"SOLD"})") << false << ""
                                   << "" << -1LL;
    QTest::newRow("seq as string")
        << QByteArray(R"({"id":"s1","state":"PENDING","seq":"4"})") << false << ""
        << "" << -1LL;
    QTest::newRow("negative seq") << QByteArray(R"({"id":"s1","state":"PENDING","seq":-1})")
                                  << false << ""
                                  << "" << -1LL;
    QTest::newRow("fractional seq")
        << QByteArray(R"({"id":"s1","state":"PENDING","seq":1.5})") << false << ""
        << "" << -1LL;
    QTest::newRow("not an object") << QByteArray(R"(["s1","PENDING"])") << false << ""
                                   << "" << -1LL;
}

void tst_RoomMessages::seatUpdate()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    QFETCH(QString, eventId);
    QFETCH(QString, tag);
    QFETCH(qint64, seq);
    QString error;
    const auto update = parseSeatUpdate(json(payload.constData()), &error);
    QCOMPARE(update.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(update->seatId, QStringLiteral("s1"));
    QCOMPARE(update->eventId, eventId);
    QCOMPARE(update->tag, tag);
    QCOMPARE(update->seq.value_or(-1), seq);
}

void tst_RoomMessages::snapshot_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("seats");
    QTest::addColumn<bool>("complete");

    QTest::newRow("complete") << QByteArray(R"({"eventId":"e1","seq":7,"viewers":2,"complete":true,
        "seats":[{"id":"s1","tag":"A11","state":"AVAILABLE"},{"id":"s2","state":"OCCUPIED"}]})")
                              << true << 2 << true;
    QTest::newRow("incomplete, no seats")
        << QByteArray(R"({"eventId":"e1","seq":0,"viewers":1,"complete":false,"seats":[]})") << true
        << 0 << false;
    QTest::newRow("no seats array")
        << QByteArray(R"({"eventId":"e1","seq":0})") << false << 0 << true;
    QTest::newRow("bad seat state")
        << QByteArray(R"({"eventId":"e1","seq":0,"seats":[{"id":"s1","state":"x"}]})") << false << 0
        << true;
}

void tst_RoomMessages::snapshot()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    QFETCH(int, seats);
    QFETCH(bool, complete);
    const auto snapshot = parseSnapshot(json(payload.constData()));
    QCOMPARE(snapshot.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(snapshot->eventId, QStringLiteral("e1"));
    QCOMPARE(snapshot->seats.size(), seats);
    QCOMPARE(snapshot->complete, complete);
}

void tst_RoomMessages::presence()
{
    const auto presence = parsePresence(json(R"({"eventId":"e1","viewers":3})"));
    QVERIFY(presence);
    QCOMPARE(presence->viewers, 3);
    QVERIFY(!parsePresence(json(R"({"eventId":"e1"})")));
}

void tst_RoomMessages::eventList_data()
{
    QTest::addColumn<QByteArray>("ack");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("events");

    QTest::newRow("events service list")
        << QByteArray(
               R"([{"id":"e1","name":"Concierto","description":"","date":"2026-12-01T20:00:00",
            "capacity":15,"occupiedSeats":3,"organizedBy":{}},{"id":"e2","name":"Teatro"}])")
        << true << 2;
    QTest::newRow("empty list") << QByteArray("[]") << true << 0;
    QTest::newRow("error") << QByteArray(R"({"error":"events service unavailable"})") << false << 0;
}

void tst_RoomMessages::eventList()
{
    QFETCH(QByteArray, ack);
    QFETCH(bool, valid);
    QFETCH(int, events);
    QString error;
    const auto list = parseEventList(json(ack.constData()), &error);
    QCOMPARE(list.has_value(), valid);
    if (valid)
        QCOMPARE(list->size(), events);
    else
        QCOMPARE(error, QStringLiteral("events service unavailable"));
}

QTEST_GUILESS_MAIN(tst_RoomMessages)
#include "tst_roommessages.moc"
