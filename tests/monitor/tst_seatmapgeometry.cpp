// SPDX-License-Identifier: MIT
// SeatMapGeometry: cell size, folding tall maps into blocks, and hit testing.
#include "seatmapgeometry.h"

#include <QTest>

using namespace Reservo;

class tst_SeatMapGeometry : public QObject
{
    Q_OBJECT

private slots:
    void fitsTheMap_data();
    void fitsTheMap();
    void cellAtFindsEveryCell();
    void cellsInCoversAnArea();
};

void tst_SeatMapGeometry::fitsTheMap_data()
{
    QTest::addColumn<QSize>("grid"); // columns x lines
    QTest::addColumn<QSize>("widget");
    QTest::addColumn<int>("blocks");
    QTest::addColumn<int>("minPitch");

    QTest::newRow("seed 5x3 gets big cells")
        << QSize(5, 3) << QSize(900, 650) << 1 << SeatMapGeometry::MaxPitch;
    QTest::newRow("2000 seats, 20 x 100, fold into blocks")
        << QSize(20, 100) << QSize(900, 650) << 2 << 12;
    QTest::newRow("wide map stays one block") << QSize(60, 10) << QSize(900, 650) << 1 << 14;
    QTest::newRow("tiny widget never goes below MinPitch")
        << QSize(60, 500) << QSize(100, 100) << 1 << SeatMapGeometry::MinPitch;
}

void tst_SeatMapGeometry::fitsTheMap()
{
    QFETCH(QSize, grid);
    QFETCH(QSize, widget);
    QFETCH(int, blocks);
    QFETCH(int, minPitch);
    const SeatMapGeometry::Frame frame{20, 18};
    const auto g = SeatMapGeometry::fit(grid.width(), grid.height(), widget, frame);
    QCOMPARE(g.blocks(), blocks);
    QVERIFY2(g.pitch() >= minPitch, qPrintable(QString::number(g.pitch())));
    QVERIFY(g.pitch() <= SeatMapGeometry::MaxPitch);
    if (g.pitch() > SeatMapGeometry::MinPitch) { // it fits: the last cell is inside the widget
        const QRect last = g.cellBox(grid.width() - 1, grid.height() - 1);
        QVERIFY2(QRect(QPoint(0, 0), widget).contains(last),
                 qPrintable(QStringLiteral("%1,%2 %3x%4")
                                .arg(last.x())
                                .arg(last.y())
                                .arg(last.width())
                                .arg(last.height())));
    }
}

void tst_SeatMapGeometry::cellAtFindsEveryCell()
{
    const auto g = SeatMapGeometry::fit(20, 101, QSize(900, 650), {24, 18});
    QVERIFY(g.blocks() > 1);
    for (int line = 0; line < 101; ++line)
        for (int column = 0; column < 20; ++column)
            QCOMPARE(g.cellAt(g.cellBox(column, line).center()), QPoint(column, line));
    QCOMPARE(g.cellAt(QPoint(0, 0)), QPoint(-1, -1));
}

void tst_SeatMapGeometry::cellsInCoversAnArea()
{
    const auto g = SeatMapGeometry::fit(5, 3, QSize(900, 650), {20, 18});
    const QRect box = g.cellBox(2, 1);
    QCOMPARE(g.cellsIn(0, box.adjusted(1, 1, -1, -1)), QRect(QPoint(2, 1), QPoint(2, 1)));
    QCOMPARE(g.cellsIn(0, QRect(0, 0, 900, 650)), QRect(QPoint(0, 0), QPoint(4, 2)));
    QVERIFY(g.cellsIn(0, QRect(0, 0, 2, 2)).isEmpty());
}

QTEST_GUILESS_MAIN(tst_SeatMapGeometry)
#include "tst_seatmapgeometry.moc"
