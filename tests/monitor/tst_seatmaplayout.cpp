// SPDX-License-Identifier: MIT
// SeatMapLayout: where each tag lands on the map (rows by letters, seats by number, gaps, the
// rest).
#include "seatmaplayout.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>
#include <algorithm>

using namespace Reservo;

namespace {
QStringList seedTags()
{
    QStringList tags;
    for (const QString &row : {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")})
        for (int n = 11; n <= 15; ++n)
            tags.append(row + QString::number(n));
    return tags;
}

QString rowName(int row)
{
    QString name;
    for (int r = row; r >= 0; r = r / 26 - 1)
        name.prepend(QChar(u'A' + r % 26));
    return name;
}
} // namespace

class tst_SeatMapLayout : public QObject
{
    Q_OBJECT

private slots:
    void gridPositions_data();
    void gridPositions();
    void rowsSortShortNamesFirst_data();
    void rowsSortShortNamesFirst();
    void unparsableTagsFlowAfterGrid_data();
    void unparsableTagsFlowAfterGrid();
    void duplicateTagFlowsAfterGrid();
    void columnNumbersLabelTheGrid();
    void thousandsOfSeats_data();
    void thousandsOfSeats();
};

void tst_SeatMapLayout::gridPositions_data()
{
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QList<QPoint>>("cells");
    QTest::addColumn<QSize>("grid"); // columns x lines

    QList<QPoint> seed;
    for (int line = 0; line < 3; ++line)
        for (int column = 0; column < 5; ++column)
            seed.append(QPoint(column, line));
    QTest::newRow("seed A11..C15: 3 rows x 5") << seedTags() << seed << QSize(5, 3);
    QStringList reversed = seedTags();
    std::reverse(reversed.begin(), reversed.end());
    QList<QPoint> reversedSeed = seed;
    std::reverse(reversedSeed.begin(), reversedSeed.end());
    QTest::newRow("order of seats does not matter") << reversed << reversedSeed << QSize(5, 3);
    QTest::newRow("skipped number leaves a gap")
        << QStringList{"A1", "A2", "A4"} << QList<QPoint>{{0, 0}, {1, 0}, {3, 0}} << QSize(4, 1);
    QTest::newRow("a gap in one row keeps columns aligned")
        << QStringList{"A1", "A2", "A3", "B1", "B3"}
        << QList<QPoint>{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {2, 1}} << QSize(3, 2);
    QTest::newRow("a wide jump shrinks to MaxGapColumns")
        << QStringList{"A1", "A100"} << QList<QPoint>{{0, 0}, {SeatMapLayout::MaxGapColumns + 1, 0}}
        << QSize(SeatMapLayout::MaxGapColumns + 2, 1);
    QTest::newRow("missing row leaves no empty line")
        << QStringList{"A1", "C1"} << QList<QPoint>{{0, 0}, {0, 1}} << QSize(1, 2);
    QTest::newRow("lower case and separators")
        << QStringList{"a1", "b-2", "B 1"} << QList<QPoint>{{0, 0}, {1, 1}, {0, 1}} << QSize(2, 2);
    QTest::newRow("seat zero") << QStringList{"A0", "A1"} << QList<QPoint>{{0, 0}, {1, 0}}
                               << QSize(2, 1);
}

void tst_SeatMapLayout::gridPositions()
{
    QFETCH(QStringList, tags);
    QFETCH(QList<QPoint>, cells);
    QFETCH(QSize, grid);
    const SeatMapLayout layout = SeatMapLayout::build(tags);
    QCOMPARE(layout.columnCount(), grid.width());
    QCOMPARE(layout.lineCount(), grid.height());
    QCOMPARE(layout.firstFlowLine(), grid.height());
    for (int i = 0; i < tags.size(); ++i) {
        QCOMPARE(layout.cellOf(i), cells[i]);
        QCOMPARE(layout.seatAt(cells[i].x(), cells[i].y()), i);
    }
}

void tst_SeatMapLayout::rowsSortShortNamesFirst_data()
{
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<QStringList>("labels");
    QTest::newRow("A..Z before AA")
        << QStringList{"AA1", "Z1", "B1", "A1"} << QStringList{"A", "B", "Z", "AA"};
    QTest::newRow("VIP after two-letter rows")
        << QStringList{"VIP-1", "AB2", "C3"} << QStringList{"C", "AB", "VIP"};
}

void tst_SeatMapLayout::rowsSortShortNamesFirst()
{
    QFETCH(QStringList, tags);
    QFETCH(QStringList, labels);
    const SeatMapLayout layout = SeatMapLayout::build(tags);
    QStringList actual;
    for (int line = 0; line < layout.lineCount(); ++line)
        actual.append(layout.lineLabel(line));
    QCOMPARE(actual, labels);
}

void tst_SeatMapLayout::unparsableTagsFlowAfterGrid_data()
{
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<int>("firstFlowLine");
    QTest::addColumn<QStringList>("flowOrder"); // tags in the order they flow

    QTest::newRow("odd tags after the seed grid, one empty line between")
        << (seedTags() + QStringList{"balcony", "Z", "", "Box 7b"}) << 4
        << QStringList{"balcony", "Box 7b", "Z", ""};
    QTest::newRow("VIP-1 and AA3 parse, the rest flows")
        << QStringList{"VIP-1", "AA3", "balcony", "Z"} << 3 << QStringList{"balcony", "Z"};
    QTest::newRow("nothing parses: flow from the top")
        << QStringList{"stage left", "12", "###"} << 0 << QStringList{"###", "12", "stage left"};
}

void tst_SeatMapLayout::unparsableTagsFlowAfterGrid()
{
    QFETCH(QStringList, tags);
    QFETCH(int, firstFlowLine);
    QFETCH(QStringList, flowOrder);
    const SeatMapLayout layout = SeatMapLayout::build(tags);
    QCOMPARE(layout.firstFlowLine(), firstFlowLine);
    QStringList flowed;
    for (int line = firstFlowLine; line < layout.lineCount(); ++line)
        for (int column = 0; column < layout.columnCount(); ++column)
            if (const int i = layout.seatAt(column, line); i >= 0)
                flowed.append(tags[i]);
    QCOMPARE(flowed, flowOrder);
    for (int i = 0; i < tags.size(); ++i)
        QVERIFY2(layout.cellOf(i).x() >= 0, qPrintable(tags[i])); // every seat is shown
}

void tst_SeatMapLayout::duplicateTagFlowsAfterGrid()
{
    const SeatMapLayout layout = SeatMapLayout::build({"A1", "A2", "A1"});
    QCOMPARE(layout.cellOf(0), QPoint(0, 0));
    QCOMPARE(layout.cellOf(2).y(), layout.firstFlowLine());
}

void tst_SeatMapLayout::columnNumbersLabelTheGrid()
{
    const SeatMapLayout layout = SeatMapLayout::build({"A11", "A12", "A14"});
    QCOMPARE(layout.columnNumber(0), 11);
    QCOMPARE(layout.columnNumber(1), 12);
    QCOMPARE(layout.columnNumber(2), -1); // the gap
    QCOMPARE(layout.columnNumber(3), 14);
}

void tst_SeatMapLayout::thousandsOfSeats_data()
{
    QTest::addColumn<QStringList>("tags");
    QTest::addColumn<int>("maxLines");

    QStringList rows, oneRow, odd;
    for (int i = 0; i < 5000; ++i) {
        rows.append(rowName(i / 50) + QString::number(i % 50 + 1));
        oneRow.append(QStringLiteral("A%1").arg(i + 1));
        odd.append(QStringLiteral("seat #%1").arg(i));
    }
    QTest::newRow("5000 seats: 100 rows of 50") << rows << 100;
    QTest::newRow("5000 seats in one row wrap") << oneRow << 5000 / SeatMapLayout::MaxColumns + 1;
    QTest::newRow("5000 tags that do not parse") << odd << 5000 / 10;
}

void tst_SeatMapLayout::thousandsOfSeats()
{
    QFETCH(QStringList, tags);
    QFETCH(int, maxLines);
    QElapsedTimer timer;
    timer.start();
    const SeatMapLayout layout = SeatMapLayout::build(tags);
    const qint64 ms = timer.elapsed();
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("layout took %1 ms").arg(ms)));
    QVERIFY(layout.columnCount() <= SeatMapLayout::MaxColumns);
    QVERIFY2(layout.lineCount() <= maxLines, qPrintable(QString::number(layout.lineCount())));
    QSet<quint64> used;
    for (int i = 0; i < tags.size(); ++i) {
        const QPoint cell = layout.cellOf(i);
        QVERIFY(cell.x() >= 0 && cell.y() >= 0);
        QCOMPARE(layout.seatAt(cell.x(), cell.y()), i);
        used.insert(quint64(cell.y()) << 32 | quint64(cell.x()));
    }
    QCOMPARE(used.size(), tags.size());
}

QTEST_GUILESS_MAIN(tst_SeatMapLayout)
#include "tst_seatmaplayout.moc"
