// SPDX-License-Identifier: MIT
#include "seat.h"
#include "seatlayout.h"

#include <QSet>
#include <QTest>

using namespace Reservo;

// Seat tags of simulated events: the seed layout and generated rows.
class tst_SeatLayout : public QObject
{
    Q_OBJECT

private slots:
    void seedLayout();
    void sizes_data();
    void sizes();
    void rowName_data();
    void rowName();
    void noSeats_data();
    void noSeats();
};

void tst_SeatLayout::seedLayout()
{
    const QStringList expected{QStringLiteral("A11"), QStringLiteral("A12"), QStringLiteral("A13"),
                               QStringLiteral("A14"), QStringLiteral("A15"), QStringLiteral("B11"),
                               QStringLiteral("B12"), QStringLiteral("B13"), QStringLiteral("B14"),
                               QStringLiteral("B15"), QStringLiteral("C11"), QStringLiteral("C12"),
                               QStringLiteral("C13"), QStringLiteral("C14"), QStringLiteral("C15")};
    QCOMPARE(SeatLayout::tags(SeatLayout::SeedSeatCount), expected);
}

void tst_SeatLayout::sizes_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("last");

    QTest::newRow("one") << 1 << "A1"
                         << "A1";
    QTest::newRow("fourteen") << 14 << "A1"
                              << "A14";
    QTest::newRow("sixteen") << 16 << "A1"
                             << "A16";
    QTest::newRow("one row") << 20 << "A1"
                             << "A20";
    QTest::newRow("row and one") << 21 << "A1"
                                 << "B1";
    QTest::newRow("45") << 45 << "A1"
                        << "C5";
    QTest::newRow("26 rows") << 520 << "A1"
                             << "Z20";
    QTest::newRow("past Z") << 600 << "A1"
                            << "AD20";
    QTest::newRow("10000") << 10000 << "A1"
                           << "SF20";
}

void tst_SeatLayout::sizes()
{
    QFETCH(int, count);
    QFETCH(QString, first);
    QFETCH(QString, last);

    const QStringList tags = SeatLayout::tags(count);
    QCOMPARE(tags.size(), count);
    QCOMPARE(tags.first(), first);
    QCOMPARE(tags.last(), last);
    QCOMPARE(QSet<QString>(tags.begin(), tags.end()).size(), count);
    for (const QString &tag : tags) {
        const SeatTag parsed = SeatTag::parse(tag);
        QVERIFY2(parsed.isValid(), qPrintable(tag));
        QVERIFY2(parsed.number >= 1 && parsed.number <= SeatLayout::SeatsPerRow, qPrintable(tag));
    }
}

void tst_SeatLayout::rowName_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<QString>("name");

    QTest::newRow("first") << 0 << "A";
    QTest::newRow("second") << 1 << "B";
    QTest::newRow("Z") << 25 << "Z";
    QTest::newRow("AA") << 26 << "AA";
    QTest::newRow("AB") << 27 << "AB";
    QTest::newRow("AZ") << 51 << "AZ";
    QTest::newRow("BA") << 52 << "BA";
    QTest::newRow("ZZ") << 701 << "ZZ";
    QTest::newRow("AAA") << 702 << "AAA";
}

void tst_SeatLayout::rowName()
{
    QFETCH(int, row);
    QFETCH(QString, name);
    QCOMPARE(SeatLayout::rowName(row), name);
}

void tst_SeatLayout::noSeats_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -3;
}

void tst_SeatLayout::noSeats()
{
    QFETCH(int, count);
    QVERIFY(SeatLayout::tags(count).isEmpty());
}

QTEST_GUILESS_MAIN(tst_SeatLayout)
#include "tst_seatlayout.moc"
