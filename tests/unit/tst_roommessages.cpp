// SPDX-License-Identifier: MIT
// RoomMessages: the room events a reservo-ws (old or new) sends, as its clients read them, and the
// joins they send.
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
    void layout_data();
    void layout();
    void joinPayload_data();
    void joinPayload();
    void joinAck_data();
    void joinAck();
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
    QTest::addColumn<QString>("epoch");
    QTest::addColumn<QString>("layout"); // empty: a JSON snapshot
    QTest::addColumn<QByteArray>("states");

    QTest::newRow("complete") << QByteArray(R"({"eventId":"e1","seq":7,"viewers":2,"complete":true,
        "seats":[{"id":"s1","tag":"A11","state":"AVAILABLE"},{"id":"s2","state":"OCCUPIED"}]})")
                              << true << 2 << true << ""
                              << "" << QByteArray();
    QTest::newRow("incomplete, no seats")
        << QByteArray(R"({"eventId":"e1","seq":0,"viewers":1,"complete":false,"seats":[]})") << true
        << 0 << false << ""
        << "" << QByteArray();
    QTest::newRow("JSON with epoch")
        << QByteArray(R"({"eventId":"e1","epoch":"0123456789abcdef","seq":3,"complete":true,
            "viewers":1,"seats":[{"id":"s1","tag":"A11","state":"PENDING"}]})")
        << true << 1 << true << "0123456789abcdef"
        << "" << QByteArray();
    QTest::newRow("compact")
        << QByteArray(R"({"eventId":"e1","epoch":"0123456789abcdef","seq":3,"complete":true,
            "viewers":1,"layout":"fedcba9876543210","states":"8("})")
        << true << 0 << true << "0123456789abcdef"
        << "fedcba9876543210" << QByteArray("8(");
    QTest::newRow("compact, no seats")
        << QByteArray(
               R"({"eventId":"e1","epoch":"e","seq":0,"complete":false,"layout":"v","states":""})")
        << true << 0 << false << "e"
        << "v" << QByteArray();
    QTest::newRow("compact, a character beyond Latin-1 stays undecodable")
        << QByteArray(R"({"eventId":"e1","seq":0,"layout":"v","states":"\u20ac"})") << true << 0
        << true << ""
        << "v" << QByteArray("\xe2\x82\xac");
    QTest::newRow("no seats array")
        << QByteArray(R"({"eventId":"e1","seq":0})") << false << 0 << true << ""
        << "" << QByteArray();
    QTest::newRow("bad seat state")
        << QByteArray(R"({"eventId":"e1","seq":0,"seats":[{"id":"s1","state":"x"}]})") << false << 0
        << true << ""
        << "" << QByteArray();
    QTest::newRow("compact without states")
        << QByteArray(R"({"eventId":"e1","seq":0,"layout":"v"})") << false << 0 << true << ""
        << "" << QByteArray();
    QTest::newRow("compact without layout")
        << QByteArray(R"({"eventId":"e1","seq":0,"states":"##"})") << false << 0 << true << ""
        << "" << QByteArray();
    QTest::newRow("states not a string")
        << QByteArray(R"({"eventId":"e1","seq":0,"layout":"v","states":[0,1]})") << false << 0
        << true << ""
        << "" << QByteArray();
    QTest::newRow("epoch not a string")
        << QByteArray(R"({"eventId":"e1","epoch":7,"seq":0,"seats":[]})") << false << 0 << true
        << ""
        << "" << QByteArray();
    QTest::newRow("layout version too long")
        << QByteArray(R"({"eventId":"e1","seq":0,"states":"#","layout":")" + QByteArray(65, 'a') +
                      R"("})")
        << false << 0 << true << ""
        << "" << QByteArray();
}

void tst_RoomMessages::snapshot()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    QFETCH(int, seats);
    QFETCH(bool, complete);
    QFETCH(QString, epoch);
    QFETCH(QString, layout);
    QFETCH(QByteArray, states);
    QString error;
    const auto snapshot = parseSnapshot(json(payload.constData()), &error);
    QVERIFY2(snapshot.has_value() == valid, qPrintable(error));
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(snapshot->eventId, QStringLiteral("e1"));
    QCOMPARE(snapshot->seats.size(), seats);
    QCOMPARE(snapshot->complete, complete);
    QCOMPARE(snapshot->epoch, epoch);
    QCOMPARE(snapshot->layout, layout);
    QCOMPARE(snapshot->isCompact(), !layout.isEmpty());
    QCOMPARE(snapshot->states, states);
}

void tst_RoomMessages::layout_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QStringList>("seats"); // "id/tag"; empty and invalid: refused

    QTest::newRow("protocol example") << QByteArray(R"({"eventId":"e1","layout":"0123456789abcdef",
            "seats":[["s1","A11"],["s2","A12"],["s3",""]]})")
                                      << QStringList{"s1/A11", "s2/A12", "s3/"};
    QTest::newRow("no seats") << QByteArray(R"({"eventId":"e1","layout":"v","seats":[]})")
                              << QStringList{};
    QTest::newRow("null tag") << QByteArray(
                                     R"({"eventId":"e1","layout":"v","seats":[["s1",null]]})")
                              << QStringList{"s1/"};
    QTest::newRow("seat as an object")
        << QByteArray(R"({"eventId":"e1","layout":"v","seats":[{"id":"s1","tag":"A1"}]})")
        << QStringList{"!"};
    QTest::newRow("seat without tag")
        << QByteArray(R"({"eventId":"e1","layout":"v","seats":[["s1"]]})") << QStringList{"!"};
    QTest::newRow("empty seat id")
        << QByteArray(R"({"eventId":"e1","layout":"v","seats":[["","A1"]]})") << QStringList{"!"};
    QTest::newRow("no version") << QByteArray(R"({"eventId":"e1","seats":[]})") << QStringList{"!"};
    QTest::newRow("no eventId") << QByteArray(R"({"layout":"v","seats":[]})") << QStringList{"!"};
}

void tst_RoomMessages::layout()
{
    QFETCH(QByteArray, payload);
    QFETCH(QStringList, seats);
    QString error;
    const auto layout = parseLayout(json(payload.constData()), &error);
    if (seats == QStringList{"!"}) {
        QVERIFY(!layout);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(layout, qPrintable(error));
    QCOMPARE(layout->eventId, QStringLiteral("e1"));
    QVERIFY(!layout->version.isEmpty());
    QStringList actual;
    for (const Seat &seat : layout->seats) {
        actual.append(seat.id + u'/' + seat.tag);
        QCOMPARE(seat.state, SeatState::Available);
    }
    QCOMPARE(actual, seats);
}

void tst_RoomMessages::joinPayload_data()
{
    QTest::addColumn<bool>("compact");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<QString>("epoch"); // empty: no map held
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("the original's join") << false << ""
                                         << "" << 0LL << QByteArray(R"({"eventId":"e1"})");
    QTest::newRow("compact, no layout held")
        << true << ""
        << "" << 0LL << QByteArray(R"({"eventId":"e1","snapshot":"compact"})");
    QTest::newRow("compact with the layout held")
        << true << "0123456789abcdef"
        << "" << 0LL
        << QByteArray(R"({"eventId":"e1","layout":"0123456789abcdef","snapshot":"compact"})");
    QTest::newRow("compact, layout and map held")
        << true << "0123456789abcdef"
        << "fedcba9876543210" << 42LL
        << QByteArray(R"({"epoch":"fedcba9876543210","eventId":"e1","layout":"0123456789abcdef",)"
                      R"("seq":42,"snapshot":"compact"})");
    QTest::newRow("JSON with the map held: the layout is not sent")
        << false << "0123456789abcdef"
        << "fedcba9876543210" << 0LL
        << QByteArray(R"({"epoch":"fedcba9876543210","eventId":"e1","seq":0})");
}

void tst_RoomMessages::joinPayload()
{
    QFETCH(bool, compact);
    QFETCH(QString, layout);
    QFETCH(QString, epoch);
    QFETCH(qint64, seq);
    QFETCH(QByteArray, expected);
    JoinRequest request{QStringLiteral("e1"), compact, layout, std::nullopt};
    if (!epoch.isEmpty())
        request.held = RoomPosition{epoch, seq};
    QCOMPARE(QJsonDocument(RoomMessages::joinPayload(request)).toJson(QJsonDocument::Compact),
             expected);
}

void tst_RoomMessages::joinAck_data()
{
    QTest::addColumn<QByteArray>("args"); // the ack's arguments, as a JSON array
    QTest::addColumn<bool>("joined");
    QTest::addColumn<QString>("epoch"); // empty: no room position
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<bool>("resumed");
    QTest::addColumn<QString>("error");

    QTest::newRow("the original's ack")
        << QByteArray(R"(["Conectado a la sala correctamente: e1"])") << true << "" << 0LL << false
        << "";
    QTest::newRow("opt-in, snapshot follows")
        << QByteArray(R"(["Conectado a la sala correctamente: e1",
            {"epoch":"0123456789abcdef","seq":12,"resumed":false}])")
        << true << "0123456789abcdef" << 12LL << false << "";
    QTest::newRow("opt-in, resumed") << QByteArray(R"(["Conectado a la sala correctamente: e1",
            {"epoch":"0123456789abcdef","seq":12,"resumed":true}])")
                                     << true << "0123456789abcdef" << 12LL << true << "";
    QTest::newRow("refused") << QByteArray(R"([{"error":"eventId is required"}])") << false << ""
                             << 0LL << false << "eventId is required";
    QTest::newRow("something else")
        << QByteArray(R"(["ok"])") << false << "" << 0LL << false << "unexpected join reply";
    QTest::newRow("no argument") << QByteArray("[]") << false << "" << 0LL << false
                                 << "unexpected join reply";
    QTest::newRow("second argument without resumed")
        << QByteArray(R"(["Conectado a la sala correctamente: e1",{"epoch":"x","seq":1}])") << false
        << "" << 0LL << false
        << "join ack with a second argument that is not {epoch, seq, resumed}";
    QTest::newRow("second argument with a negative seq")
        << QByteArray(
               R"(["Conectado a la sala correctamente: e1",{"epoch":"x","seq":-1,"resumed":true}])")
        << false << "" << 0LL << false
        << "join ack with a second argument that is not {epoch, seq, resumed}";
}

void tst_RoomMessages::joinAck()
{
    QFETCH(QByteArray, args);
    QFETCH(bool, joined);
    QFETCH(QString, epoch);
    QFETCH(qint64, seq);
    QFETCH(bool, resumed);
    QFETCH(QString, error);
    QString why;
    const auto ack = parseJoinAck(json(args.constData()).toArray(), &why);
    QCOMPARE(ack.has_value(), joined);
    QCOMPARE(why, error);
    if (!joined)
        return;
    QCOMPARE(ack->room.has_value(), !epoch.isEmpty());
    if (ack->room)
        QCOMPARE(*ack->room, (RoomPosition{epoch, seq}));
    QCOMPARE(ack->resumed, resumed);
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
