// SPDX-License-Identifier: MIT
// SeatMapWidget offscreen: colours and initials of known cells, the flash, and that a change
// repaints its own cell only, a few times a second at most.
#include "seatmapwidget.h"
#include "seatpalette.h"

#include <QImage>
#include <QPaintEvent>
#include <QTest>
#include <algorithm>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
const QString EventId = QStringLiteral("event-1");

RoomSnapshot seedSnapshot()
{
    RoomSnapshot snapshot{EventId, 0, {}, 1, true};
    for (const QString &row : {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C")})
        for (int n = 11; n <= 15; ++n)
            snapshot.seats.append(
                {row + QString::number(n), row + QString::number(n), SeatState::Available});
    snapshot.seats[1].state = SeatState::Pending;  // A12
    snapshot.seats[7].state = SeatState::Occupied; // B13
    return snapshot;
}

bool near(QRgb a, const QColor &b, int tolerance = 3)
{
    return std::abs(qRed(a) - b.red()) <= tolerance &&
           std::abs(qGreen(a) - b.green()) <= tolerance &&
           std::abs(qBlue(a) - b.blue()) <= tolerance;
}

// The pixels of a cell's middle (away from its rounded corners) close to a colour, as a mask.
QList<QPoint> pixelsOf(const QImage &image, const QRect &cell, const QColor &color,
                       int tolerance = 40)
{
    const int inset = std::max(1, cell.width() / 5);
    const QRect middle = cell.adjusted(inset, inset, -inset, -inset);
    QList<QPoint> points;
    for (int y = middle.top(); y <= middle.bottom(); ++y)
        for (int x = middle.left(); x <= middle.right(); ++x)
            if (near(image.pixel(x, y), color, tolerance))
                points.append(QPoint(x, y) - cell.topLeft());
    return points;
}

// Counts paint events and remembers the region of each.
class PaintRecorder : public QObject
{
public:
    QList<QRegion> regions;
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            regions.append(static_cast<QPaintEvent *>(event)->region());
        return false;
    }
    bool paintedAll(const QRect &area) const
    {
        return std::any_of(regions.cbegin(), regions.cend(),
                           [&](const QRegion &region) { return region.contains(area); });
    }
};
} // namespace

class tst_SeatMapWidget : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void cellsPaintStateColourAndInitial_data();
    void cellsPaintStateColourAndInitial();
    void initialsDifferSoColourIsNotTheOnlyCue();
    void tinyPendingCellsAreSlashed();
    void cellsFollowTags();
    void changeFlashesThenSettles();
    void changeRepaintsOnlyItsCell();
    void burstIsCoalescedIntoFrames();
    void staleMapIsWashedOut();
    void toolTipNamesTagIdAndState();

private:
    QImage render() const;
    // Waits until the widget has been painted whole once: later paints are the changes' own.
    bool waitForFirstPaint();

    std::unique_ptr<EventSeatModel> m_model;
    std::unique_ptr<SeatMapWidget> m_widget;
    PaintRecorder m_firstPaints; // every paint since show()
};

void tst_SeatMapWidget::init()
{
    m_model = std::make_unique<EventSeatModel>(EventId);
    m_model->applySnapshot(seedSnapshot());
    m_widget = std::make_unique<SeatMapWidget>();
    m_widget->setModel(m_model.get());
    m_widget->resize(600, 400);
    m_firstPaints.regions.clear();
    m_widget->installEventFilter(&m_firstPaints);
    m_widget->show(); // offscreen: lays the widget out at its size
    QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
}

void tst_SeatMapWidget::cleanup()
{
    m_widget.reset();
    m_model.reset();
}

bool tst_SeatMapWidget::waitForFirstPaint()
{
    return QTest::qWaitFor([this] { return m_firstPaints.paintedAll(m_widget->rect()); }, 10000);
}

QImage tst_SeatMapWidget::render() const
{
    QImage image(m_widget->size(), QImage::Format_ARGB32);
    image.fill(Qt::black);
    m_widget->render(&image);
    return image;
}

void tst_SeatMapWidget::cellsPaintStateColourAndInitial_data()
{
    QTest::addColumn<QString>("seat");
    QTest::addColumn<SeatState>("state");
    QTest::newRow("A11 available") << "A11" << SeatState::Available;
    QTest::newRow("A12 pending") << "A12" << SeatState::Pending;
    QTest::newRow("B13 occupied") << "B13" << SeatState::Occupied;
    QTest::newRow("C15 available") << "C15" << SeatState::Available;
}

void tst_SeatMapWidget::cellsPaintStateColourAndInitial()
{
    QFETCH(QString, seat);
    QFETCH(SeatState, state);
    const QRect cell = m_widget->cellRect(m_model->indexOf(seat));
    QVERIFY(cell.width() >= 20); // big enough for initials
    const QImage image = render();
    // Left of the letter, mid height: the state's fill.
    const QPoint fillPoint(cell.left() + cell.width() / 8, cell.center().y());
    QVERIFY2(near(image.pixel(fillPoint), SeatPalette::fill(state)),
             qPrintable(QColor(image.pixel(fillPoint)).name()));
    // The initial, in the state's ink, in the middle of the cell.
    const QList<QPoint> ink = pixelsOf(image, cell, SeatPalette::ink(state));
    QVERIFY2(ink.size() > 15, qPrintable(QString::number(ink.size())));
}

void tst_SeatMapWidget::initialsDifferSoColourIsNotTheOnlyCue()
{
    // The same colour for all three: the letters alone must tell them apart.
    const QImage image = render();
    const auto mask = [&](const char *seat) {
        const QRect cell = m_widget->cellRect(m_model->indexOf(seat));
        const SeatState state = m_model->seats()[m_model->indexOf(seat)].state;
        return pixelsOf(image, cell, SeatPalette::ink(state));
    };
    QVERIFY(mask("A11") != mask("A12"));
    QVERIFY(mask("A11") != mask("B13"));
    QVERIFY(mask("A12") != mask("B13"));
    QCOMPARE(mask("A11"), mask("C15"));
}

void tst_SeatMapWidget::tinyPendingCellsAreSlashed()
{
    RoomSnapshot big{EventId, 0, {}, 1, true};
    for (int i = 0; i < 3000; ++i)
        big.seats.append({QString::number(i), QStringLiteral("R%1").arg(i + 1),
                          i == 0 ? SeatState::Pending : SeatState::Available});
    m_model->applySnapshot(big);
    m_widget->flushFrame();
    const QRect pending = m_widget->cellRect(0);
    const QRect available = m_widget->cellRect(1);
    QVERIFY2(pending.height() < 13, qPrintable(QString::number(pending.height())));
    const QImage image = render();
    QVERIFY(!pixelsOf(image, pending, SeatPalette::ink(SeatState::Pending)).isEmpty());
    QVERIFY(pixelsOf(image, available, SeatPalette::ink(SeatState::Available), 5).isEmpty());
}

void tst_SeatMapWidget::cellsFollowTags()
{
    const QRect a11 = m_widget->cellRect(m_model->indexOf("A11"));
    const QRect a12 = m_widget->cellRect(m_model->indexOf("A12"));
    const QRect b11 = m_widget->cellRect(m_model->indexOf("B11"));
    QCOMPARE(a12.top(), a11.top());
    QVERIFY(a12.left() > a11.right());
    QCOMPARE(b11.left(), a11.left());
    QVERIFY(b11.top() > a11.bottom());
    QCOMPARE(m_widget->seatAt(a12.center()), m_model->indexOf("A12"));
    QCOMPARE(m_widget->seatAt(QPoint(1, 1)), -1);
}

void tst_SeatMapWidget::changeFlashesThenSettles()
{
    const int index = m_model->indexOf("C12");
    const QRect cell = m_widget->cellRect(index);
    const QPoint fillPoint(cell.left() + cell.width() / 8, cell.center().y());
    m_model->applyUpdate({EventId, "C12", SeatState::Occupied, {}, 1});
    QVERIFY(!near(render().pixel(fillPoint), SeatPalette::fill(SeatState::Occupied)));
    QTRY_VERIFY_WITH_TIMEOUT(
        near(render().pixel(fillPoint), SeatPalette::fill(SeatState::Occupied)),
        SeatMapWidget::FlashMs + 1000);
}

void tst_SeatMapWidget::changeRepaintsOnlyItsCell()
{
    QVERIFY2(waitForFirstPaint(), "the widget was never painted whole");
    PaintRecorder recorder;
    m_widget->installEventFilter(&recorder);
    const int index = m_model->indexOf("B12");
    m_model->applyUpdate({EventId, "B12", SeatState::Pending, {}, 1});
    QTRY_VERIFY(!recorder.regions.isEmpty());
    const QRect cell = m_widget->cellRect(index);
    for (const QRegion &region : std::as_const(recorder.regions))
        QVERIFY2(cell.contains(region.boundingRect()),
                 qPrintable(QStringLiteral("repainted %1,%2 %3x%4")
                                .arg(region.boundingRect().x())
                                .arg(region.boundingRect().y())
                                .arg(region.boundingRect().width())
                                .arg(region.boundingRect().height())));
}

void tst_SeatMapWidget::burstIsCoalescedIntoFrames()
{
    QVERIFY2(waitForFirstPaint(), "the widget was never painted whole");
    PaintRecorder recorder;
    m_widget->installEventFilter(&recorder);
    for (int i = 0; i < 300; ++i) // 300 changes at once
        m_model->applyUpdate({EventId,
                              i % 2 ? "A11" : "C15",
                              i % 3 ? SeatState::Pending : SeatState::Occupied,
                              {},
                              i + 1});
    const int window = SeatMapWidget::FlashMs + 300;
    QTest::qWait(window);
    const int maxFrames = window * SeatMapWidget::FrameRateHz / 1000 + 3;
    QVERIFY2(recorder.regions.size() <= maxFrames,
             qPrintable(QStringLiteral("%1 paints").arg(recorder.regions.size())));
    QVERIFY(!recorder.regions.isEmpty());
}

void tst_SeatMapWidget::staleMapIsWashedOut()
{
    const QRect cell = m_widget->cellRect(m_model->indexOf("B13"));
    const QPoint fillPoint(cell.left() + cell.width() / 8, cell.center().y());
    m_model->markConnectionLost(QStringLiteral("gone"));
    const QColor washed = render().pixel(fillPoint);
    QVERIFY(!near(washed.rgb(), SeatPalette::fill(SeatState::Occupied)));
    QVERIFY(washed.lightness() > SeatPalette::fill(SeatState::Occupied).lightness());
}

void tst_SeatMapWidget::toolTipNamesTagIdAndState()
{
    m_model->applySnapshot([] {
        RoomSnapshot s = seedSnapshot();
        s.seats[7].id = QStringLiteral("7f1c-uuid");
        return s;
    }());
    const QString tip = m_widget->toolTipFor(7);
    QVERIFY2(tip.contains("B13") && tip.contains("7f1c-uuid") && tip.contains("OCCUPIED"),
             qPrintable(tip));
}

QTEST_MAIN(tst_SeatMapWidget)
#include "tst_seatmapwidget.moc"
