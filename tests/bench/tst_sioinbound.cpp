// SPDX-License-Identifier: MIT
#include "sioinbound.h"

#include <QTest>

using namespace Reservo::Bench;
using Kind = SioInbound::Kind;

// The server messages a bench client tells apart, in the exact shapes reservo-ws sends and in
// the original service's (no eventId, no seq).
class tst_SioInbound : public QObject
{
    Q_OBJECT

private slots:
    void classifies_data();
    void classifies();
    void seatUpdate_data();
    void seatUpdate();
    void ackId_data();
    void ackId();
    void snapshotAndLayout_data();
    void snapshotAndLayout();
};

void tst_SioInbound::classifies_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind");
    QTest::newRow("open") << QByteArray(R"(0{"sid":"x","pingInterval":25000})") << int(Kind::Open);
    QTest::newRow("close") << QByteArray("1") << int(Kind::Close);
    QTest::newRow("ping") << QByteArray("2") << int(Kind::Ping);
    QTest::newRow("pong") << QByteArray("3") << int(Kind::Noop);
    QTest::newRow("noop") << QByteArray("6") << int(Kind::Noop);
    QTest::newRow("connected") << QByteArray(R"(40{"sid":"s","pid":"p"})") << int(Kind::Connected);
    QTest::newRow("connect error")
        << QByteArray(R"(44{"message":"Unauthorized"})") << int(Kind::ConnectError);
    QTest::newRow("disconnect") << QByteArray("41") << int(Kind::Disconnect);
    QTest::newRow("join ack") << QByteArray(R"(431["Conectado a la sala correctamente: e1"])")
                              << int(Kind::Ack);
    QTest::newRow("snapshot") << QByteArray(R"(42["room-snapshot",{"eventId":"e","seats":[]}])")
                              << int(Kind::Snapshot);
    QTest::newRow("presence") << QByteArray(R"(42["room-presence",{"eventId":"e","viewers":3}])")
                              << int(Kind::Presence);
    QTest::newRow("other event") << QByteArray(R"(42["chat",{}])") << int(Kind::OtherEvent);
    QTest::newRow("binary event") << QByteArray(R"(451-["x",{"_placeholder":true,"num":0}])")
                                  << int(Kind::Other);
    QTest::newRow("empty") << QByteArray() << int(Kind::Invalid);
    QTest::newRow("not engine.io") << QByteArray("hello") << int(Kind::Invalid);
    QTest::newRow("event without array") << QByteArray("42oops") << int(Kind::Invalid);
    QTest::newRow("seat update without payload")
        << QByteArray(R"(42["update-seat-status"])") << int(Kind::Invalid);
    QTest::newRow("seat update without id")
        << QByteArray(R"(42["update-seat-status",{"state":"PENDING"}])") << int(Kind::Invalid);
}

void tst_SioInbound::classifies()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QCOMPARE(int(SioInboundParser::parse(text.toStdString()).kind), kind);
}

void tst_SioInbound::seatUpdate_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("eventId");
    QTest::addColumn<QString>("seatId");
    QTest::addColumn<QString>("state");
    QTest::addColumn<qint64>("seq");
    QTest::newRow("reservo-ws, keys sorted, offset last")
        << QByteArray(
               R"(42["update-seat-status",{"eventId":"b-r1","id":"s7","seq":12,"state":"PENDING","tag":"A1"},"345"])")
        << "b-r1"
        << "s7"
        << "PENDING" << qint64(12);
    QTest::newRow("original service")
        << QByteArray(R"(42["update-seat-status",{"id":"s0","state":"OCCUPIED"}])") << QString()
        << "s0"
        << "OCCUPIED" << qint64(-1);
    QTest::newRow("spaces, other order, nested extra")
        << QByteArray(
               R"(42[ "update-seat-status" , { "state" : "AVAILABLE", "x": {"id":"no"}, "id" : "s3", "seq": 4.0 } ])")
        << QString() << "s3"
        << "AVAILABLE" << qint64(4);
    QTest::newRow("namespace and ack id")
        << QByteArray(R"(42/admin,9["update-seat-status",{"id":"s1","state":"PENDING"}])")
        << QString() << "s1"
        << "PENDING" << qint64(-1);
}

void tst_SioInbound::seatUpdate()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, eventId);
    QFETCH(QString, seatId);
    QFETCH(QString, state);
    QFETCH(qint64, seq);
    const std::string message = text.toStdString();
    const SioInbound in = SioInboundParser::parse(message);
    QCOMPARE(int(in.kind), int(Kind::SeatUpdate));
    QCOMPARE(QString::fromUtf8(in.eventId.data(), qsizetype(in.eventId.size())), eventId);
    QCOMPARE(QString::fromUtf8(in.seatId.data(), qsizetype(in.seatId.size())), seatId);
    QCOMPARE(QString::fromUtf8(in.state.data(), qsizetype(in.state.size())), state);
    QCOMPARE(qint64(in.seq), seq);
}

void tst_SioInbound::ackId_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<quint64>("id");
    QTest::newRow("1") << QByteArray(R"(431["ok"])") << quint64(1);
    QTest::newRow("large") << QByteArray(R"(43123456[{"error":"x"}])") << quint64(123456);
    QTest::newRow("namespace") << QByteArray(R"(43/chat,7["ok"])") << quint64(7);
}

void tst_SioInbound::ackId()
{
    QFETCH(QByteArray, text);
    QFETCH(quint64, id);
    const SioInbound in = SioInboundParser::parse(text.toStdString());
    QCOMPARE(int(in.kind), int(Kind::Ack));
    QCOMPARE(quint64(in.ackId), id);
}

void tst_SioInbound::snapshotAndLayout_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("complete");
    QTest::addColumn<int>("format");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<QString>("layout");
    const int json = int(SioInbound::MapFormat::Json);
    const int compact = int(SioInbound::MapFormat::Compact);
    const int unknown = int(SioInbound::MapFormat::Unknown);
    QTest::newRow("reservo-ws, JSON")
        << QByteArray(
               R"(42["room-snapshot",{"eventId":"e","epoch":"0a1b2c3d4e5f6a7b","seq":7,"complete":true,"viewers":3,"seats":[{"id":"a","tag":"A1","state":"PENDING"}]},"12"])")
        << int(Kind::Snapshot) << 1 << json << qint64(7) << QString();
    QTest::newRow("reservo-ws, compact")
        << QByteArray(
               R"(42["room-snapshot",{"eventId":"e","epoch":"x","seq":3,"complete":true,"viewers":2,"layout":"b7969f165b61ee88","states":"8("},"5"])")
        << int(Kind::Snapshot) << 1 << compact << qint64(3) << "b7969f165b61ee88";
    QTest::newRow("the base commit: keys sorted, seq after the seats")
        << QByteArray(
               R"(42["room-snapshot",{"complete":false,"eventId":"e","seats":[{"id":"a","state":"OCCUPIED","tag":"A1"}],"seq":4,"viewers":1},"9"])")
        << int(Kind::Snapshot) << 0 << json << qint64(-1) << QString();
    QTest::newRow("the seats are not walked once complete is known")
        << QByteArray(R"(42["room-snapshot",{"complete":true,"seats":[this is not JSON)")
        << int(Kind::Snapshot) << 1 << json << qint64(-1) << QString();
    QTest::newRow("complete after the seats")
        << QByteArray(R"(42["room-snapshot",{"seats":[{"id":"a","tag":"]"}],"complete":true}])")
        << int(Kind::Snapshot) << 1 << json << qint64(-1) << QString();
    QTest::newRow("no complete: the original service")
        << QByteArray(R"(42["room-snapshot",{"eventId":"e","seats":[]}])") << int(Kind::Snapshot)
        << -1 << json << qint64(-1) << QString();
    QTest::newRow("layout")
        << QByteArray(
               R"(42["room-layout",{"eventId":"e","layout":"v1","seats":[["a","A1"],["b","A2"]]}])")
        << int(Kind::Layout) << -1 << unknown << qint64(-1) << "v1";
    QTest::newRow("truncated before the seats")
        << QByteArray(R"(42["room-snapshot",{"complete":tr)") << int(Kind::Invalid) << -1 << unknown
        << qint64(-1) << QString();
}

void tst_SioInbound::snapshotAndLayout()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QFETCH(int, complete);
    QFETCH(int, format);
    QFETCH(qint64, seq);
    QFETCH(QString, layout);
    const std::string message = text.toStdString();
    const SioInbound in = SioInboundParser::parse(message);
    QCOMPARE(int(in.kind), kind);
    QCOMPARE(in.complete, complete);
    QCOMPARE(int(in.format), format);
    QCOMPARE(qint64(in.seq), seq);
    QCOMPARE(QString::fromUtf8(in.layout.data(), qsizetype(in.layout.size())), layout);
}

QTEST_GUILESS_MAIN(tst_SioInbound)
#include "tst_sioinbound.moc"
