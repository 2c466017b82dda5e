// SPDX-License-Identifier: MIT
#include "eventcatalogue.h"

#include <QSet>
#include <QTest>

using namespace Reservo;

namespace {
QStringList allIds(const EventCatalogue &catalogue)
{
    QStringList ids;
    for (const NatsWire::EventDetails &e : catalogue.events()) {
        ids.append(e.id);
        for (const Seat &s : e.seats)
            ids.append(s.id);
    }
    return ids;
}

const Seat *findSeat(const EventCatalogue &catalogue, const NatsWire::SeatChange &change)
{
    const NatsWire::EventDetails *event = catalogue.find(change.eventId);
    if (!event)
        return nullptr;
    for (const Seat &s : event->seats) {
        if (s.id == change.seatId)
            return &s;
    }
    return nullptr;
}
} // namespace

// The simulated events: deterministic ids, initial states, and seat changes that tell the truth.
class tst_EventCatalogue : public QObject
{
    Q_OBJECT

private slots:
    void deterministicIds_data();
    void deterministicIds();
    void documentedIds();
    void idsDoNotDependOnSize();
    void eventFields();
    void initialOccupied_data();
    void initialOccupied();
    void randomChange_data();
    void randomChange();
    void changeStreamIsSeeded();
    void summariesCountCurrentStates();
    void findUnknown();
};

void tst_EventCatalogue::deterministicIds_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("seats");
    QTest::addColumn<quint32>("seed");

    QTest::newRow("defaults") << 3 << 15 << 1u;
    QTest::newRow("seed 0") << 3 << 15 << 0u;
    QTest::newRow("max seed") << 2 << 45 << 4294967295u;
    QTest::newRow("many events") << 50 << 1 << 7u;
}

void tst_EventCatalogue::deterministicIds()
{
    QFETCH(int, events);
    QFETCH(int, seats);
    QFETCH(quint32, seed);

    const QStringList ids = allIds(EventCatalogue({events, seats, seed, 0}));
    QCOMPARE(ids.size(), events * (seats + 1));
    QCOMPARE(allIds(EventCatalogue({events, seats, seed, 0})), ids);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
    for (const QString &id : ids) {
        const QUuid uuid(id);
        QVERIFY2(!uuid.isNull() && uuid.toString(QUuid::WithoutBraces) == id, qPrintable(id));
        QCOMPARE(uuid.version(), QUuid::Sha1);
    }
    const QStringList other = allIds(EventCatalogue({events, seats, seed + 1, 0}));
    for (const QString &id : other)
        QVERIFY2(!ids.contains(id), qPrintable(id));
}

void tst_EventCatalogue::documentedIds()
{
    // The formula --help documents, as Python's uuid.uuid5 computes it.
    const EventCatalogue catalogue;
    QCOMPARE(catalogue.events().first().id, QStringLiteral("6df9e0b4-5155-5c9a-9976-dc99974df849"));
    QCOMPARE(EventCatalogue::eventId(1, 1), QStringLiteral("6df9e0b4-5155-5c9a-9976-dc99974df849"));
    QCOMPARE(EventCatalogue::seatId(QStringLiteral("6df9e0b4-5155-5c9a-9976-dc99974df849"),
                                    QStringLiteral("A1")),
             QStringLiteral("5d4a64a8-a524-549b-95b1-0306e0efd9d3"));
    QCOMPARE(catalogue.events().first().seats.first().id,
             EventCatalogue::seatId(catalogue.events().first().id, QStringLiteral("A11")));
}

void tst_EventCatalogue::idsDoNotDependOnSize()
{
    const EventCatalogue three({3, 15, 9, 0});
    const EventCatalogue five({5, 15, 9, 40});
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(five.events()[i].id, three.events()[i].id);
        for (int s = 0; s < 15; ++s)
            QCOMPARE(five.events()[i].seats[s].id, three.events()[i].seats[s].id);
    }
}

void tst_EventCatalogue::eventFields()
{
    const EventCatalogue catalogue({2, 45, 1, 0});
    QCOMPARE(catalogue.events().size(), 2);
    const NatsWire::EventDetails &second = catalogue.events()[1];
    QCOMPARE(second.name, QStringLiteral("sim-event-2"));
    QVERIFY(!second.name.contains(u' ')); // the start-up line is split on spaces
    QCOMPARE(second.capacity, 45);
    QCOMPARE(second.seats.size(), 45);
    QVERIFY(QDateTime::fromString(second.date, Qt::ISODateWithMs).isValid());
    QVERIFY(!second.organizedBy.isEmpty());
    for (const Seat &s : second.seats)
        QCOMPARE(s.state, SeatState::Available);
}

void tst_EventCatalogue::initialOccupied_data()
{
    QTest::addColumn<int>("seats");
    QTest::addColumn<int>("percent");
    QTest::addColumn<int>("occupied");

    QTest::newRow("none") << 15 << 0 << 0;
    QTest::newRow("ten percent of 15") << 15 << 10 << 2;
    QTest::newRow("half of 15") << 15 << 50 << 8;
    QTest::newRow("all of 15") << 15 << 100 << 15;
    QTest::newRow("a third of 300") << 300 << 33 << 99;
    QTest::newRow("one seat at 40") << 1 << 40 << 0;
    QTest::newRow("one seat at 50") << 1 << 50 << 1;
}

void tst_EventCatalogue::initialOccupied()
{
    QFETCH(int, seats);
    QFETCH(int, percent);
    QFETCH(int, occupied);

    const EventCatalogue catalogue({4, seats, 5, percent});
    const EventCatalogue again({4, seats, 5, percent});
    for (qsizetype i = 0; i < catalogue.events().size(); ++i) {
        const NatsWire::EventDetails &event = catalogue.events()[i];
        QCOMPARE(EventCatalogue::occupiedSeats(event), occupied);
        QCOMPARE(event.seats, again.events()[i].seats);
        for (const Seat &s : event.seats)
            QVERIFY(s.state == SeatState::Available || s.state == SeatState::Occupied);
    }
    // Each event draws its own seats, so the demo's events do not all look alike.
    QSet<QString> patterns;
    for (const NatsWire::EventDetails &event : catalogue.events()) {
        QString pattern;
        for (const Seat &s : event.seats)
            pattern += s.state == SeatState::Occupied ? u'x' : u'.';
        patterns.insert(pattern);
    }
    QCOMPARE(patterns.size() > 1, occupied > 0 && occupied < seats);
}

void tst_EventCatalogue::randomChange_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("seats");
    QTest::addColumn<int>("percent");

    QTest::newRow("seed layout") << 3 << 15 << 0;
    QTest::newRow("one seat") << 1 << 1 << 0;
    QTest::newRow("all occupied") << 2 << 4 << 100;
    QTest::newRow("large") << 5 << 500 << 30;
}

void tst_EventCatalogue::randomChange()
{
    QFETCH(int, events);
    QFETCH(int, seats);
    QFETCH(int, percent);

    EventCatalogue catalogue({events, seats, 3, percent});
    QRandomGenerator random(11);
    QSet<int> statesSeen;
    for (int i = 0; i < 2000; ++i) {
        const QList<NatsWire::EventDetails> before = catalogue.events();
        const NatsWire::SeatChange change = catalogue.applyRandomChange(random);
        const NatsWire::EventDetails *event = catalogue.find(change.eventId);
        QVERIFY(event);
        const qsizetype e = event - catalogue.events().data();
        int changedSeats = 0;
        for (qsizetype s = 0; s < event->seats.size(); ++s) {
            if (event->seats[s].id != change.seatId) {
                QCOMPARE(event->seats[s], before[e].seats[s]);
                continue;
            }
            ++changedSeats;
            QVERIFY(change.state != before[e].seats[s].state);
            QCOMPARE(event->seats[s].state, change.state);
        }
        QCOMPARE(changedSeats, 1);
        statesSeen.insert(int(change.state));
    }
    QCOMPARE(statesSeen.size(), 3);
}

void tst_EventCatalogue::changeStreamIsSeeded()
{
    EventCatalogue a, b;
    QRandomGenerator randomA(21), randomB(21);
    for (int i = 0; i < 100; ++i) {
        const NatsWire::SeatChange change = a.applyRandomChange(randomA);
        QCOMPARE(b.applyRandomChange(randomB), change);
        QCOMPARE(findSeat(a, change)->state, change.state);
    }
}

void tst_EventCatalogue::summariesCountCurrentStates()
{
    EventCatalogue catalogue({3, 15, 1, 20});
    QRandomGenerator random(5);
    for (int i = 0; i < 37; ++i)
        catalogue.applyRandomChange(random);
    const QList<NatsWire::EventSummary> summaries = catalogue.summaries();
    QCOMPARE(summaries.size(), 3);
    for (qsizetype i = 0; i < summaries.size(); ++i) {
        const NatsWire::EventDetails &event = catalogue.events()[i];
        int occupied = 0;
        for (const Seat &s : event.seats)
            occupied += s.state == SeatState::Occupied ? 1 : 0;
        QCOMPARE(summaries[i].id, event.id);
        QCOMPARE(summaries[i].occupiedSeats, occupied);
        QCOMPARE(summaries[i].capacity, 15);
    }
}

void tst_EventCatalogue::findUnknown()
{
    const EventCatalogue catalogue;
    QVERIFY(catalogue.find(catalogue.events().last().id));
    QVERIFY(!catalogue.find(QStringLiteral("00000000-0000-0000-0000-000000000000")));
    QVERIFY(!catalogue.find(QString()));
}

QTEST_GUILESS_MAIN(tst_EventCatalogue)
#include "tst_eventcatalogue.moc"
