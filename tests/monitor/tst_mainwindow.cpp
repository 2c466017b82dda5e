// SPDX-License-Identifier: MIT
// MainWindow offscreen: the status bar's summary of the watched events keeps up with them while
// seat changes stream in (issue 15, point 8: it said "0 events · 0 in sync" on a live tab).
#include "mainwindow.h"
#include "monitorconnection.h"
#include "watchedevents.h"

#include <QLabel>
#include <QTest>
#include <QTimer>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
RoomSnapshot snapshotOf(const QString &eventId, int seats)
{
    RoomSnapshot snapshot{eventId, 0, {}, 1, true};
    for (int i = 0; i < seats; ++i)
        snapshot.seats.append({QStringLiteral("%1-s%2").arg(eventId).arg(i),
                               QStringLiteral("A%1").arg(i + 1), SeatState::Available});
    return snapshot;
}

QString summaryOf(const MainWindow &window)
{
    const auto *label = window.findChild<QLabel *>(QStringLiteral("summary"));
    return label ? label->text() : QStringLiteral("<no summary label>");
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void summaryKeepsUpWithSteadyUpdates_data();
    void summaryKeepsUpWithSteadyUpdates();
    void summaryShowsEventsNotInSync();
};

void tst_MainWindow::summaryKeepsUpWithSteadyUpdates_data()
{
    QTest::addColumn<int>("events");
    QTest::addColumn<int>("seats");
    QTest::addColumn<int>("updateEveryMs"); // 0: no updates at all
    QTest::addColumn<QString>("expected");

    QTest::newRow("quiet room") << 1 << 15 << 0 << "1 event · 1 in sync";
    QTest::newRow("5,000 seats, 20 changes/s") << 1 << 5000 << 50 << "1 event · 1 in sync";
    // Faster than the summary's own interval: each change reports a possible sync change.
    QTest::newRow("one change every 20 ms") << 1 << 15 << 20 << "1 event · 1 in sync";
    QTest::newRow("three events, one change every 30 ms")
        << 3 << 15 << 30 << "3 events · 3 in sync";
}

void tst_MainWindow::summaryKeepsUpWithSteadyUpdates()
{
    QFETCH(int, events);
    QFETCH(int, seats);
    QFETCH(int, updateEveryMs);
    QFETCH(QString, expected);
    MonitorConnection connection; // never started: the models are fed by hand
    WatchedEvents watched(&connection);
    MainWindow window(&connection, &watched, MonitorSettings());
    window.show();
    QList<EventSeatModel *> models;
    for (int e = 0; e < events; ++e) { // added after the window, as main() does
        const QString id = QStringLiteral("event-%1").arg(e + 1);
        models.append(watched.add(id));
        models.last()->markJoined();
        models.last()->applySnapshot(snapshotOf(id, seats));
    }
    QTimer feeder;
    qint64 seq = 0;
    connect(&feeder, &QTimer::timeout, this, [&] {
        ++seq;
        for (EventSeatModel *model : std::as_const(models)) {
            const Seat &seat = model->seats().at(int(seq % seats));
            const SeatState next =
                seat.state == SeatState::Available ? SeatState::Pending : SeatState::Available;
            model->applyUpdate({model->eventId(), seat.id, next, seat.tag, seq});
        }
    });
    if (updateEveryMs > 0)
        feeder.start(updateEveryMs);
    QTRY_COMPARE_WITH_TIMEOUT(summaryOf(window), expected, MainWindow::SummaryIntervalMs * 10);
    QVERIFY(watched.allInSync()); // the summary says what the models are
    if (updateEveryMs > 0)
        QVERIFY2(seq >= 3, "the updates kept coming while the summary caught up");
}

void tst_MainWindow::summaryShowsEventsNotInSync()
{
    MonitorConnection connection;
    WatchedEvents watched(&connection);
    MainWindow window(&connection, &watched, MonitorSettings());
    EventSeatModel *live = watched.add(QStringLiteral("event-1"));
    live->markJoined();
    live->applySnapshot(snapshotOf(QStringLiteral("event-1"), 15));
    watched.add(QStringLiteral("event-2")); // never joined
    QTRY_COMPARE(summaryOf(window), QStringLiteral("2 events · 1 in sync"));
    live->markConnectionLost(QStringLiteral("gone"));
    QTRY_COMPARE(summaryOf(window), QStringLiteral("2 events · 0 in sync"));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
