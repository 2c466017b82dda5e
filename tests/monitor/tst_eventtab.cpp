// SPDX-License-Identifier: MIT
// EventTab offscreen: the counts, shares, capacity, viewers and seq it shows, the banner that says
// why a map is not live, and the bounded change log.
#include "changelogview.h"
#include "eventtab.h"

#include <QLabel>
#include <QRegularExpression>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
const QString EventId = QStringLiteral("event-1");

RoomSnapshot snapshotWith(int available, int pending, int occupied)
{
    RoomSnapshot snapshot{EventId, 5, {}, 3, true};
    const auto add = [&](int n, SeatState state) {
        for (int i = 0; i < n; ++i) {
            const int k = int(snapshot.seats.size());
            snapshot.seats.append(
                {QStringLiteral("s%1").arg(k), QStringLiteral("A%1").arg(k + 1), state});
        }
    };
    add(available, SeatState::Available);
    add(pending, SeatState::Pending);
    add(occupied, SeatState::Occupied);
    return snapshot;
}
} // namespace

class tst_EventTab : public QObject
{
    Q_OBJECT

private slots:
    void countsAndSharesShown_data();
    void countsAndSharesShown();
    void countsFollowUpdates();
    void viewersAndSeqShown();
    void bannerSaysWhyNotLive_data();
    void bannerSaysWhyNotLive();
    void changeLogHasTimesAndStates();
    void changeLogIsBounded();

private:
    static QString text(const EventTab &tab, const char *name)
    {
        const auto *label = tab.findChild<QLabel *>(QString::fromLatin1(name));
        return label ? label->text() : QStringLiteral("<no label %1>").arg(name);
    }
};

void tst_EventTab::countsAndSharesShown_data()
{
    QTest::addColumn<QList<int>>("counts"); // available, pending, occupied
    QTest::addColumn<int>("capacity");      // from list-events; 0: unknown
    QTest::addColumn<QStringList>("shares");
    QTest::addColumn<QString>("capacityText");

    QTest::newRow("seed, all available")
        << QList<int>{15, 0, 0} << 0 << QStringList{"100%", "0%", "0%"}
        << "0 of 15 seats taken (0%)";
    QTest::newRow("mixed") << QList<int>{10, 2, 8} << 20 << QStringList{"50%", "10%", "40%"}
                           << "10 of 20 seats taken (50%)";
    QTest::newRow("capacity larger than the seats seen")
        << QList<int>{3, 0, 1} << 10 << QStringList{"30%", "0%", "10%"}
        << "1 of 10 seats taken (10%) · 6 not "
           "seen yet";
}

void tst_EventTab::countsAndSharesShown()
{
    QFETCH(QList<int>, counts);
    QFETCH(int, capacity);
    QFETCH(QStringList, shares);
    QFETCH(QString, capacityText);
    EventSeatModel model(EventId);
    model.setCapacity(capacity);
    model.applySnapshot(snapshotWith(counts[0], counts[1], counts[2]));
    EventTab tab(&model);
    tab.refreshStatus();
    QCOMPARE(text(tab, "count_available"), QString::number(counts[0]));
    QCOMPARE(text(tab, "count_pending"), QString::number(counts[1]));
    QCOMPARE(text(tab, "count_occupied"), QString::number(counts[2]));
    QCOMPARE(QStringList({text(tab, "share_available"), text(tab, "share_pending"),
                          text(tab, "share_occupied")}),
             shares);
    QCOMPARE(text(tab, "capacityText"), capacityText);
}

void tst_EventTab::countsFollowUpdates()
{
    EventSeatModel model(EventId);
    model.applySnapshot(snapshotWith(15, 0, 0));
    EventTab tab(&model);
    model.applyUpdate({EventId, "s0", SeatState::Occupied, {}, 6});
    model.applyUpdate({EventId, "s1", SeatState::Pending, {}, 7});
    model.applyUpdate({EventId, "s2", SeatState::Occupied, {}, 8});
    QTRY_COMPARE(text(tab, "count_occupied"), QStringLiteral("2"));
    QCOMPARE(text(tab, "count_pending"), QStringLiteral("1"));
    QCOMPARE(text(tab, "count_available"), QStringLiteral("12"));
    QCOMPARE(text(tab, "seq"), QStringLiteral("8"));
}

void tst_EventTab::viewersAndSeqShown()
{
    EventSeatModel model(EventId);
    EventTab tab(&model);
    QCOMPARE(text(tab, "viewers"), QStringLiteral("—"));
    QCOMPARE(text(tab, "seq"), QStringLiteral("—"));
    model.applySnapshot(snapshotWith(2, 0, 0));
    model.setViewers(7);
    tab.refreshStatus();
    QCOMPARE(text(tab, "viewers"), QStringLiteral("7"));
    QCOMPARE(text(tab, "seq"), QStringLiteral("5"));
}

void tst_EventTab::bannerSaysWhyNotLive_data()
{
    QTest::addColumn<int>("situation");
    QTest::addColumn<QString>("badge");
    QTest::addColumn<QString>("banner"); // empty: hidden

    QTest::newRow("live") << 0 << "LIVE"
                          << "";
    QTest::newRow("older server, no snapshot") << 1 << "PARTIAL"
                                               << "No snapshot from server";
    QTest::newRow("connection lost") << 2 << "STALE"
                                     << "Connection lost";
    QTest::newRow("seq gap") << 3 << "STALE"
                             << "Missed update 6";
    QTest::newRow("join refused") << 4 << "REFUSED"
                                  << "refused";
}

void tst_EventTab::bannerSaysWhyNotLive()
{
    QFETCH(int, situation);
    QFETCH(QString, badge);
    QFETCH(QString, banner);
    EventSeatModel model(EventId);
    if (situation == 1) {
        model.markJoined();
        model.markNoSnapshot();
    } else if (situation == 4) {
        model.markRefused(QStringLiteral("too many rooms"));
    } else {
        model.applySnapshot(snapshotWith(3, 0, 0));
    }
    if (situation == 2)
        model.markConnectionLost(QStringLiteral("Connection refused"));
    if (situation == 3)
        model.applyUpdate({EventId, "s0", SeatState::Pending, {}, 7});
    EventTab tab(&model);
    tab.show();
    tab.refreshStatus();
    QVERIFY2(text(tab, "syncBadge").contains(badge), qPrintable(text(tab, "syncBadge")));
    const auto *bannerLabel = tab.findChild<QLabel *>(QStringLiteral("syncBanner"));
    QCOMPARE(bannerLabel->isVisible(), !banner.isEmpty());
    QVERIFY2(bannerLabel->text().contains(banner), qPrintable(bannerLabel->text()));
}

void tst_EventTab::changeLogHasTimesAndStates()
{
    EventSeatModel model(EventId);
    model.applySnapshot(snapshotWith(3, 0, 0));
    EventTab tab(&model);
    model.applyUpdate({EventId, "s1", SeatState::Occupied, {}, 6});
    tab.changeLog()->flush();
    const QString log = tab.changeLog()->toPlainText();
    static const QRegularExpression line(
        QStringLiteral("^\\d\\d:\\d\\d:\\d\\d  A2 +Available → Occupied +#6$"),
        QRegularExpression::MultilineOption);
    QVERIFY2(line.match(log).hasMatch(), qPrintable(log));
}

void tst_EventTab::changeLogIsBounded()
{
    EventSeatModel model(EventId);
    model.applySnapshot(snapshotWith(10, 0, 0));
    EventTab tab(&model);
    for (int i = 0; i < 3 * ChangeLogView::MaxLines; ++i)
        model.applyUpdate({EventId,
                           QStringLiteral("s%1").arg(i % 10),
                           i % 20 < 10 ? SeatState::Occupied : SeatState::Available,
                           {},
                           6 + i});
    tab.changeLog()->flush();
    QVERIFY(tab.changeLog()->blockCount() <= ChangeLogView::MaxLines);
    QVERIFY(tab.changeLog()->toPlainText().contains(
        QStringLiteral("#%1").arg(5 + 3 * ChangeLogView::MaxLines)));
}

QTEST_MAIN(tst_EventTab)
#include "tst_eventtab.moc"
