// SPDX-License-Identifier: MIT
#include "compactseats.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Reservo;
using namespace Reservo::CompactSeats;

namespace {
// "APO" letters to states, for readable rows.
QList<SeatState> states(const QString &letters)
{
    QList<SeatState> out;
    for (const QChar c : letters)
        out.append(c == u'P'   ? SeatState::Pending
                   : c == u'O' ? SeatState::Occupied
                               : SeatState::Available);
    return out;
}
} // namespace

// The packed states of a compact snapshot, both ways, and the layout version.
class tst_CompactSeats : public QObject
{
    Q_OBJECT

private slots:
    void pack_data();
    void pack();
    void alphabetIsJsonSafe();
    void roundTripEverySize();
    void unpackRefuses_data();
    void unpackRefuses();
    void fiveThousandSeatsFitTheBudget();
    void layoutVersion_data();
    void layoutVersion();
    void layoutVersionOfTheReadmeExample();
};

void tst_CompactSeats::pack_data()
{
    QTest::addColumn<QString>("seats"); // A, P, O per seat
    QTest::addColumn<QByteArray>("packed");

    QTest::newRow("none") << QString() << QByteArray();
    QTest::newRow("one available") << "A" << QByteArray("#");
    QTest::newRow("one pending") << "P" << QByteArray("$");
    QTest::newRow("one occupied") << "O" << QByteArray("%");
    // 0 + 1*3 + 2*9 + 0*27 = 21 -> '#' + 21 = '8'; then 2 + 1*3 = 5 -> '('.
    QTest::newRow("README example") << "APOAOP" << QByteArray("8(");
    QTest::newRow("four occupied: 80, last char") << "OOOO" << QByteArray("t");
    QTest::newRow("56: last before the backslash") << "OAAO" << QByteArray("[");
    QTest::newRow("57: first after the backslash") << "APAO" << QByteArray("]");
    QTest::newRow("five seats") << "AAAAP" << QByteArray("#$");
    QTest::newRow("eight seats") << "PPPPOOOO" << QByteArray("Kt");
}

void tst_CompactSeats::pack()
{
    QFETCH(QString, seats);
    QFETCH(QByteArray, packed);

    const QList<SeatState> list = states(seats);
    QCOMPARE(packStates(list), packed);
    const std::optional<QList<SeatState>> back = unpackStates(packed, list.size());
    QVERIFY(back);
    QCOMPARE(*back, list);
}

void tst_CompactSeats::alphabetIsJsonSafe()
{
    QSet<char> seen;
    for (int value = 0; value < 81; ++value) {
        const char c = encodeDigits(value);
        QVERIFY2(c >= 0x20 && c < 0x7f, qPrintable(QString::number(value)));
        QVERIFY(c != '"' && c != '\\');
        QCOMPARE(decodeDigits(c), value);
        seen.insert(c);
    }
    QCOMPARE(seen.size(), 81);
    QCOMPARE(encodeDigits(81), char(0));
    QCOMPARE(encodeDigits(-1), char(0));
}

void tst_CompactSeats::roundTripEverySize()
{
    QRandomGenerator random(42);
    for (int count = 0; count < 40; ++count) {
        QList<SeatState> list;
        for (int i = 0; i < count; ++i)
            list.append(SeatState(random.bounded(3)));
        const QByteArray packed = packStates(list);
        QCOMPARE(packed.size(), (count + 3) / 4);
        QCOMPARE(unpackStates(packed, count).value_or(QList<SeatState>{SeatState::Pending}), list);
    }
}

void tst_CompactSeats::unpackRefuses_data()
{
    QTest::addColumn<QByteArray>("packed");
    QTest::addColumn<int>("count");

    QTest::newRow("too short") << QByteArray("#") << 5;
    QTest::newRow("too long") << QByteArray("##") << 4;
    QTest::newRow("empty for one seat") << QByteArray() << 1;
    QTest::newRow("negative count") << QByteArray() << -1;
    QTest::newRow("backslash") << QByteArray("\\") << 4;
    QTest::newRow("quote") << QByteArray("\"") << 4;
    QTest::newRow("space") << QByteArray(" ") << 1;
    QTest::newRow("past the alphabet") << QByteArray("u") << 4;
    QTest::newRow("high byte") << QByteArray("\xc3") << 2;
    QTest::newRow("NUL") << QByteArray(1, '\0') << 3;
}

void tst_CompactSeats::unpackRefuses()
{
    QFETCH(QByteArray, packed);
    QFETCH(int, count);

    QVERIFY(!unpackStates(packed, count));
}

void tst_CompactSeats::fiveThousandSeatsFitTheBudget()
{
    // The issue's budget: the states of 5,000 seats in at most 1.5 KB on the wire.
    const QList<SeatState> list(5000, SeatState::Occupied);
    QCOMPARE(packStates(list).size(), 1250);
}

void tst_CompactSeats::layoutVersion_data()
{
    QTest::addColumn<QList<Seat>>("a");
    QTest::addColumn<QList<Seat>>("b");
    QTest::addColumn<bool>("same");

    const Seat a11{"s1", "A11", SeatState::Available};
    const Seat a12{"s2", "A12", SeatState::Available};
    QTest::newRow("same seats") << QList<Seat>{a11, a12} << QList<Seat>{a11, a12} << true;
    QTest::newRow("states do not count")
        << QList<Seat>{a11, a12}
        << QList<Seat>{{"s1", "A11", SeatState::Occupied}, {"s2", "A12", SeatState::Pending}}
        << true;
    QTest::newRow("order counts") << QList<Seat>{a11, a12} << QList<Seat>{a12, a11} << false;
    QTest::newRow("a tag counts") << QList<Seat>{a11} << QList<Seat>{{"s1", "A12"}} << false;
    QTest::newRow("an id counts") << QList<Seat>{a11} << QList<Seat>{{"s3", "A11"}} << false;
    QTest::newRow("a seat more") << QList<Seat>{a11} << QList<Seat>{a11, a12} << false;
    QTest::newRow("boundaries count")
        << QList<Seat>{{"ab", "c"}} << QList<Seat>{{"a", "bc"}} << false;
    QTest::newRow("empty") << QList<Seat>{} << QList<Seat>{} << true;
}

void tst_CompactSeats::layoutVersion()
{
    QFETCH(QList<Seat>, a);
    QFETCH(QList<Seat>, b);
    QFETCH(bool, same);

    const QString va = CompactSeats::layoutVersion(a);
    QCOMPARE(va.size(), 16);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{16}$")).match(va).hasMatch());
    QCOMPARE(va == CompactSeats::layoutVersion(b), same);
}

void tst_CompactSeats::layoutVersionOfTheReadmeExample()
{
    QList<Seat> seats;
    for (int i = 1; i <= 6; ++i)
        seats.append({QStringLiteral("s%1").arg(i), QStringLiteral("A1%1").arg(i)});
    // The README's protocol section shows this version: any instance computes the same.
    QCOMPARE(CompactSeats::layoutVersion(seats), QStringLiteral("36a094b613440041"));
}

QTEST_GUILESS_MAIN(tst_CompactSeats)
#include "tst_compactseats.moc"
