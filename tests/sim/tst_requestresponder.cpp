// SPDX-License-Identifier: MIT
#include "eventcatalogue.h"
#include "natswire.h"
#include "requestresponder.h"

#include <QTest>

using namespace Reservo;

namespace {
const QByteArray ById(NatsWire::EventByIdSubject);
const QByteArray Upcoming(NatsWire::UpcomingSubject);
const QString RequestId = QStringLiteral("5b1c2f6e-3c55-4e0b-9d0a-7a0f4a2f9e11");

int countOccupied(const NatsWire::EventDetails &event)
{
    int n = 0;
    for (const Seat &s : event.seats)
        n += s.state == SeatState::Occupied ? 1 : 0;
    return n;
}
} // namespace

// Replies to events.get.id / events.get.upcoming, checked with the service's own reply parsers.
class tst_RequestResponder : public QObject
{
    Q_OBJECT

private slots:
    void eventById_data();
    void eventById();
    void eventByIdTellsCurrentStates();
    void notFound_data();
    void notFound();
    void malformed_data();
    void malformed();
    void upcoming_data();
    void upcoming();
};

void tst_RequestResponder::eventById_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("seats");
    QTest::addColumn<int>("index");

    QTest::newRow("seed layout, first") << 3 << 15 << 0;
    QTest::newRow("seed layout, last") << 3 << 15 << 2;
    QTest::newRow("large, middle") << 5 << 250 << 3;
    QTest::newRow("single seat") << 1 << 1 << 0;
}

void tst_RequestResponder::eventById()
{
    QFETCH(int, events);
    QFETCH(int, seats);
    QFETCH(int, index);

    const EventCatalogue catalogue({events, seats, 1, 25});
    const NatsWire::EventDetails &expected = catalogue.events()[index];
    const SimReply reply = RequestResponder(catalogue).reply(
        ById, NatsWire::encodeEventByIdRequest(expected.id, RequestId));
    QCOMPARE(reply.code, 200);
    const auto parsed = NatsWire::parseEventByIdReply(reply.payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->code, 200);
    QCOMPARE(parsed.value->status, QStringLiteral("OK"));
    QVERIFY(parsed.value->value);
    const NatsWire::EventDetails &event = *parsed.value->value;
    QCOMPARE(event.id, expected.id);
    QCOMPARE(event.name, expected.name);
    QCOMPARE(event.capacity, seats);
    QCOMPARE(event.seats, expected.seats);
}

void tst_RequestResponder::eventByIdTellsCurrentStates()
{
    EventCatalogue catalogue;
    const RequestResponder responder(catalogue);
    QRandomGenerator random(3);
    for (int i = 0; i < 25; ++i) {
        const NatsWire::SeatChange change = catalogue.applyRandomChange(random);
        const auto parsed = NatsWire::parseEventByIdReply(
            responder.reply(ById, NatsWire::encodeEventByIdRequest(change.eventId, RequestId))
                .payload);
        QVERIFY2(parsed && parsed.value->value, qPrintable(parsed.detail));
        const QList<Seat> &seats = parsed.value->value->seats;
        const auto seat = std::find_if(seats.begin(), seats.end(),
                                       [&](const Seat &s) { return s.id == change.seatId; });
        QVERIFY(seat != seats.end());
        QCOMPARE(seat->state, change.state);
    }
}

void tst_RequestResponder::notFound_data()
{
    QTest::addColumn<QString>("eventId");

    QTest::newRow("unknown uuid") << "00000000-0000-0000-0000-000000000000";
    QTest::newRow("other seed's event") << EventCatalogue::eventId(2, 1);
    QTest::newRow("not a uuid") << "no-such-event";
    QTest::newRow("128 chars") << QString(128, u'x');
}

void tst_RequestResponder::notFound()
{
    QFETCH(QString, eventId);

    const EventCatalogue catalogue;
    const SimReply reply = RequestResponder(catalogue).reply(
        ById, NatsWire::encodeEventByIdRequest(eventId, RequestId));
    QCOMPARE(reply.code, 404);
    const auto parsed = NatsWire::parseEventByIdReply(reply.payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QVERIFY(!parsed.value->value);
    QCOMPARE(parsed.value->code, 404);
    QCOMPARE(parsed.value->status, QStringLiteral("NOT_FOUND"));
    QCOMPARE(parsed.value->message, QStringLiteral("Event %1 not found").arg(eventId));
}

void tst_RequestResponder::malformed_data()
{
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("not json") << ById << QByteArray("not json");
    QTest::newRow("empty") << ById << QByteArray();
    QTest::newRow("array") << ById << QByteArray(R"(["events.get.id"])");
    QTest::newRow("bare id string") << ById << QByteArray(R"("6df9e0b4")");
    QTest::newRow("no pattern") << ById << QByteArray(R"({"data":"x","id":"1"})");
    QTest::newRow("no data") << ById << QByteArray(R"({"pattern":"events.get.id","id":"1"})");
    QTest::newRow("numeric data") << ById << QByteArray(R"({"pattern":"events.get.id","data":7})");
    QTest::newRow("object data") << ById
                                 << QByteArray(R"({"pattern":"events.get.id","data":{"id":"x"}})");
    QTest::newRow("empty id") << ById << QByteArray(R"({"pattern":"events.get.id","data":""})");
    QTest::newRow("id too long") << ById
                                 << NatsWire::encodeEventByIdRequest(QString(129, u'x'), RequestId);
    QTest::newRow("oversized") << ById
                               << NatsWire::encodeEventByIdRequest(QString(70000, u'x'), RequestId);
    QTest::newRow("upcoming not json") << Upcoming << QByteArray("{");
    QTest::newRow("unknown subject")
        << QByteArray("events.get.all") << NatsWire::encodeUpcomingRequest(RequestId);
}

void tst_RequestResponder::malformed()
{
    QFETCH(QByteArray, subject);
    QFETCH(QByteArray, payload);

    const EventCatalogue catalogue;
    const SimReply reply = RequestResponder(catalogue).reply(subject, payload);
    QCOMPARE(reply.code, 400);
    QVERIFY(!reply.detail.isEmpty());
    const auto parsed = NatsWire::parseEventByIdReply(reply.payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QVERIFY(!parsed.value->value);
    QCOMPARE(parsed.value->code, 400);
    QCOMPARE(parsed.value->status, QStringLiteral("BAD_REQUEST"));
    QCOMPARE(parsed.value->message, reply.detail);
}

void tst_RequestResponder::upcoming_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("changes");

    QTest::newRow("defaults, untouched") << 3 << 0;
    QTest::newRow("defaults, after changes") << 3 << 40;
    QTest::newRow("one event") << 1 << 9;
    QTest::newRow("many events") << 60 << 500;
}

void tst_RequestResponder::upcoming()
{
    QFETCH(int, events);
    QFETCH(int, changes);

    EventCatalogue catalogue({events, 15, 1, 0});
    QRandomGenerator random(8);
    for (int i = 0; i < changes; ++i)
        catalogue.applyRandomChange(random);
    const SimReply reply =
        RequestResponder(catalogue).reply(Upcoming, NatsWire::encodeUpcomingRequest(RequestId));
    QCOMPARE(reply.code, 200);
    const auto parsed = NatsWire::parseUpcomingReply(reply.payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->status, QStringLiteral("OK"));
    QVERIFY(parsed.value->value);
    const QList<NatsWire::EventSummary> &list = *parsed.value->value;
    QCOMPARE(list.size(), events);
    int totalOccupied = 0;
    for (qsizetype i = 0; i < list.size(); ++i) {
        QCOMPARE(list[i].id, catalogue.events()[i].id);
        QCOMPARE(list[i].capacity, 15);
        QCOMPARE(list[i].occupiedSeats, countOccupied(catalogue.events()[i]));
        totalOccupied += list[i].occupiedSeats;
    }
    QCOMPARE(totalOccupied > 0, changes > 0);
}

QTEST_GUILESS_MAIN(tst_RequestResponder)
#include "tst_requestresponder.moc"
