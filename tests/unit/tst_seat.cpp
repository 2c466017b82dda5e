// SPDX-License-Identifier: MIT
#include "seat.h"

#include <QTest>

using namespace Reservo;

// Seat states as the events service spells them, and seat tag parsing.
class tst_Seat : public QObject
{
    Q_OBJECT

private slots:
    void stateName_data();
    void stateName();
    void stateFromName_data();
    void stateFromName();
    void stateRoundTrip();
    void parseTag_data();
    void parseTag();
    void parseBadTag_data();
    void parseBadTag();
    void defaultTagIsInvalid();
    void seatEquality();
};

void tst_Seat::stateName_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");

    QTest::newRow("available") << int(SeatState::Available) << QStringLiteral("AVAILABLE");
    QTest::newRow("pending") << int(SeatState::Pending) << QStringLiteral("PENDING");
    QTest::newRow("occupied") << int(SeatState::Occupied) << QStringLiteral("OCCUPIED");
}

void tst_Seat::stateName()
{
    QFETCH(int, state);
    QFETCH(QString, name);

    QCOMPARE(QString(seatStateName(SeatState(state))), name);
}

void tst_Seat::stateFromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("state"); // -1: not a state

    QTest::newRow("AVAILABLE") << QStringLiteral("AVAILABLE") << int(SeatState::Available);
    QTest::newRow("PENDING") << QStringLiteral("PENDING") << int(SeatState::Pending);
    QTest::newRow("OCCUPIED") << QStringLiteral("OCCUPIED") << int(SeatState::Occupied);
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("lower case") << QStringLiteral("available") << -1;
    QTest::newRow("title case") << QStringLiteral("Pending") << -1;
    QTest::newRow("leading space") << QStringLiteral(" OCCUPIED") << -1;
    QTest::newRow("trailing space") << QStringLiteral("OCCUPIED ") << -1;
    QTest::newRow("trailing newline") << QStringLiteral("PENDING\n") << -1;
    QTest::newRow("prefix") << QStringLiteral("AVAIL") << -1;
    QTest::newRow("longer") << QStringLiteral("AVAILABLES") << -1;
    QTest::newRow("other state") << QStringLiteral("RESERVED") << -1;
    QTest::newRow("sold") << QStringLiteral("SOLD") << -1;
    QTest::newRow("digit") << QStringLiteral("0") << -1;
    QTest::newRow("nul suffix") << QString(QStringLiteral("PENDING") + QChar(0)) << -1;
    QTest::newRow("fullwidth") << QStringLiteral("\uff30ENDING") << -1;
}

void tst_Seat::stateFromName()
{
    QFETCH(QString, name);
    QFETCH(int, state);

    const std::optional<SeatState> parsed = seatStateFromName(name);
    QCOMPARE(parsed.has_value(), state >= 0);
    if (parsed)
        QCOMPARE(int(*parsed), state);
}

void tst_Seat::stateRoundTrip()
{
    for (SeatState s : {SeatState::Available, SeatState::Pending, SeatState::Occupied}) {
        const QString name = seatStateName(s);
        QCOMPARE(seatStateFromName(name), std::optional<SeatState>(s));
    }
}

void tst_Seat::parseTag_data()
{
    QTest::addColumn<QString>("tag");
    QTest::addColumn<QString>("row");
    QTest::addColumn<int>("number");

    QTest::newRow("A11") << QStringLiteral("A11") << QStringLiteral("A") << 11;
    QTest::newRow("AA3") << QStringLiteral("AA3") << QStringLiteral("AA") << 3;
    QTest::newRow("c15 lower case") << QStringLiteral("c15") << QStringLiteral("C") << 15;
    QTest::newRow("mixed case") << QStringLiteral("aB7") << QStringLiteral("AB") << 7;
    QTest::newRow("three letters") << QStringLiteral("ABC123") << QStringLiteral("ABC") << 123;
    QTest::newRow("Z1") << QStringLiteral("Z1") << QStringLiteral("Z") << 1;
    QTest::newRow("zero") << QStringLiteral("A0") << QStringLiteral("A") << 0;
    QTest::newRow("leading zeros") << QStringLiteral("B007") << QStringLiteral("B") << 7;
    QTest::newRow("six digits") << QStringLiteral("A999999") << QStringLiteral("A") << 999999;
    QTest::newRow("dash") << QStringLiteral("A-11") << QStringLiteral("A") << 11;
    QTest::newRow("space") << QStringLiteral("AA 3") << QStringLiteral("AA") << 3;
    QTest::newRow("surrounding whitespace")
        << QStringLiteral("  c15\t\n") << QStringLiteral("C") << 15;
}

void tst_Seat::parseTag()
{
    QFETCH(QString, tag);
    QFETCH(QString, row);
    QFETCH(int, number);

    const SeatTag parsed = SeatTag::parse(tag);
    QVERIFY(parsed.isValid());
    QCOMPARE(parsed.row, row);
    QCOMPARE(parsed.number, number);
    QVERIFY(parsed == (SeatTag{row, number}));
}

void tst_Seat::parseBadTag_data()
{
    QTest::addColumn<QString>("tag");

    QTest::newRow("empty") << QString();
    QTest::newRow("whitespace") << QStringLiteral("   ");
    QTest::newRow("letters only") << QStringLiteral("A");
    QTest::newRow("digits only") << QStringLiteral("11");
    QTest::newRow("four letters") << QStringLiteral("ABCD1");
    QTest::newRow("seven digits") << QStringLiteral("A1234567");
    QTest::newRow("letter after digits") << QStringLiteral("A11B");
    QTest::newRow("digits before letters") << QStringLiteral("11A");
    QTest::newRow("dash without digits") << QStringLiteral("A-");
    QTest::newRow("double dash") << QStringLiteral("A--1");
    QTest::newRow("dash and space") << QStringLiteral("A- 1");
    QTest::newRow("inner trailing space") << QStringLiteral("A1 2");
    QTest::newRow("tab separator") << QStringLiteral("A\t1");
    QTest::newRow("underscore") << QStringLiteral("A_1");
    QTest::newRow("plus sign") << QStringLiteral("A+1");
    QTest::newRow("trailing dash") << QStringLiteral("A1-");
    QTest::newRow("decimal") << QStringLiteral("A1.5");
    QTest::newRow("non-ascii letter") << QStringLiteral("\u00c91");
    QTest::newRow("greek letter") << QStringLiteral("\u03a91");
    QTest::newRow("arabic-indic digit") << QStringLiteral("A\u0661");
    QTest::newRow("fullwidth digit") << QStringLiteral("A\uff11");
    QTest::newRow("leading dash") << QStringLiteral("-A1");
    QTest::newRow("json") << QStringLiteral("{\"tag\":\"A1\"}");
}

void tst_Seat::parseBadTag()
{
    QFETCH(QString, tag);

    const SeatTag parsed = SeatTag::parse(tag);
    QVERIFY(!parsed.isValid());
    QCOMPARE(parsed.number, -1);
    QVERIFY(parsed.row.isEmpty());
    QVERIFY(parsed == SeatTag{});
}

void tst_Seat::defaultTagIsInvalid()
{
    QVERIFY(!SeatTag{}.isValid());
    QVERIFY((SeatTag{QStringLiteral("A"), 0}).isValid());
    QVERIFY(!(SeatTag{QStringLiteral("A"), 1} == SeatTag{QStringLiteral("A"), 2}));
    QVERIFY(!(SeatTag{QStringLiteral("A"), 1} == SeatTag{QStringLiteral("B"), 1}));
}

void tst_Seat::seatEquality()
{
    const Seat a{QStringLiteral("s1"), QStringLiteral("A11"), SeatState::Pending};
    QCOMPARE(Seat{}.state, SeatState::Available);
    QVERIFY(a == (Seat{QStringLiteral("s1"), QStringLiteral("A11"), SeatState::Pending}));
    QVERIFY(!(a == Seat{QStringLiteral("s1"), QStringLiteral("A11"), SeatState::Occupied}));
    QVERIFY(!(a == Seat{QStringLiteral("s2"), QStringLiteral("A11"), SeatState::Pending}));
    QVERIFY(!(a == Seat{QStringLiteral("s1"), QStringLiteral("A12"), SeatState::Pending}));
}

QTEST_GUILESS_MAIN(tst_Seat)
#include "tst_seat.moc"
