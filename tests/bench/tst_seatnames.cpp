// SPDX-License-Identifier: MIT
#include "seatnames.h"

#include <QTest>

using namespace Reservo::Bench;

// Seat ids both ways: the bench's own s0, s1, ... and a real event's ids (join-storm).
class tst_SeatNames : public QObject
{
    Q_OBJECT

private slots:
    void generated_data();
    void generated();
    void realIds_data();
    void realIds();
};

void tst_SeatNames::generated_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("index");
    QTest::newRow("s0") << "s0" << 0;
    QTest::newRow("s42") << "s42" << 42;
    QTest::newRow("six digits") << "s999999" << 999999;
    QTest::newRow("seven digits") << "s1000000" << -1;
    QTest::newRow("no digits") << "s" << -1;
    QTest::newRow("not s") << "A11" << -1;
    QTest::newRow("letters after s") << "s1x" << -1;
}

void tst_SeatNames::generated()
{
    QFETCH(QString, id);
    QFETCH(int, index);
    const SeatNames names;
    QVERIFY(names.isGenerated());
    QCOMPARE(names.index(id.toStdString()), index);
    if (index >= 0)
        QCOMPARE(QString::fromStdString(names.id(index)), id);
}

void tst_SeatNames::realIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<int>("index");
    QTest::newRow("first") << "5c2a9f3e-0000-5000-8000-000000000001" << 0;
    QTest::newRow("last") << "5c2a9f3e-0000-5000-8000-000000000003" << 2;
    QTest::newRow("unknown") << "5c2a9f3e-0000-5000-8000-000000000004" << -1;
    QTest::newRow("generated ids mean nothing here") << "s1" << -1;
    QTest::newRow("a repeated id keeps its first number") << "dup" << 3;
}

void tst_SeatNames::realIds()
{
    QFETCH(QString, id);
    QFETCH(int, index);
    const SeatNames names({"5c2a9f3e-0000-5000-8000-000000000001",
                           "5c2a9f3e-0000-5000-8000-000000000002",
                           "5c2a9f3e-0000-5000-8000-000000000003", "dup", "dup"});
    QVERIFY(!names.isGenerated());
    const std::string text = id.toStdString();
    QCOMPARE(names.index(std::string_view(text)), index);
    if (index >= 0)
        QCOMPARE(QString::fromStdString(names.id(index)), id);
}

QTEST_GUILESS_MAIN(tst_SeatNames)
#include "tst_seatnames.moc"
