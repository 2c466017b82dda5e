// SPDX-License-Identifier: MIT
// RoomLayouts: compact snapshots decoded against the layouts a client holds, and what its next
// join asks for when one cannot be decoded.
#include "compactseats.h"
#include "roomlayouts.h"

#include <QJsonDocument>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
const QString EventId = QStringLiteral("e1");

// A layout of `count` seats s0, s1, … tagged A1, A2, …
RoomLayout layoutOf(const QString &version, int count, const QString &eventId = EventId)
{
    RoomLayout layout{eventId, version, {}};
    for (int i = 0; i < count; ++i)
        layout.seats.append(
            {QStringLiteral("s%1").arg(i), QStringLiteral("A%1").arg(i + 1), SeatState::Available});
    return layout;
}

RoomSnapshot compact(const QString &version, const QByteArray &states,
                     const QString &eventId = EventId)
{
    RoomSnapshot snapshot{.eventId = eventId, .seq = 9, .viewers = 1};
    snapshot.epoch = QStringLiteral("0123456789abcdef");
    snapshot.layout = version;
    snapshot.states = states;
    return snapshot;
}

// The seats' states as letters A, P, O.
QString letters(const QList<Seat> &seats)
{
    QString out;
    for (const Seat &seat : seats)
        out += QStringLiteral("APO").at(int(seat.state));
    return out;
}
} // namespace

class tst_RoomLayouts : public QObject
{
    Q_OBJECT

private slots:
    void resolve_data();
    void resolve();
    void jsonSnapshotPassesThrough();
    void joinAsksAgainThenFallsBackToJson();
    void decodedSnapshotEndsTheFallback();
    void keepsTheNewestVersionsPerEvent();
    void eventsAreSeparate();
};

void tst_RoomLayouts::resolve_data()
{
    QTest::addColumn<int>("layoutSeats"); // the layout held, version "v1"; -1: none
    QTest::addColumn<QString>("version"); // the snapshot's layout
    QTest::addColumn<QByteArray>("states");
    QTest::addColumn<QString>("expected"); // seat states as A/P/O; "!": cannot be decoded

    QTest::newRow("protocol example") << 6 << "v1" << QByteArray("8(") << "APOAOP";
    QTest::newRow("no seats") << 0 << "v1" << QByteArray() << "";
    QTest::newRow("four occupied") << 4 << "v1" << QByteArray("t") << "OOOO";
    QTest::newRow("layout not held") << -1 << "v1" << QByteArray("8(") << "!";
    QTest::newRow("another version") << 6 << "v2" << QByteArray("8(") << "!";
    QTest::newRow("states for fewer seats") << 6 << "v1" << QByteArray("8") << "!";
    QTest::newRow("states for more seats") << 6 << "v1" << QByteArray("8((") << "!";
    QTest::newRow("backslash is outside the alphabet") << 6 << "v1" << QByteArray("8\\") << "!";
    QTest::newRow("beyond 't'") << 4 << "v1" << QByteArray("u") << "!";
}

void tst_RoomLayouts::resolve()
{
    QFETCH(int, layoutSeats);
    QFETCH(QString, version);
    QFETCH(QByteArray, states);
    QFETCH(QString, expected);
    RoomLayouts layouts;
    if (layoutSeats >= 0)
        layouts.store(layoutOf(QStringLiteral("v1"), layoutSeats));
    QString error;
    const auto full = layouts.resolve(compact(version, states), &error);
    if (expected == QLatin1String("!")) {
        QVERIFY(!full);
        QVERIFY(error.contains(EventId));
        QVERIFY(layouts.heldVersion(EventId).isEmpty()); // the next join asks for it
        return;
    }
    QVERIFY2(full, qPrintable(error));
    QCOMPARE(letters(full->seats), expected);
    QCOMPARE(full->seats, [&] {
        QList<Seat> seats = layoutOf(version, layoutSeats).seats;
        for (qsizetype i = 0; i < seats.size(); ++i)
            seats[i].state = SeatState(QStringLiteral("APO").indexOf(expected.at(i)));
        return seats;
    }());
    QCOMPARE(full->seq, 9);
    QCOMPARE(full->epoch, QStringLiteral("0123456789abcdef"));
}

void tst_RoomLayouts::jsonSnapshotPassesThrough()
{
    RoomLayouts layouts;
    RoomSnapshot json{
        .eventId = EventId, .seq = 4, .seats = {{"s1", "A1", SeatState::Pending}}, .viewers = 2};
    const auto resolved = layouts.resolve(json);
    QVERIFY(resolved);
    QCOMPARE(resolved->seats, json.seats);
    QVERIFY(!resolved->isCompact());
}

void tst_RoomLayouts::joinAsksAgainThenFallsBackToJson()
{
    RoomLayouts layouts;
    const RoomPosition held{QStringLiteral("0123456789abcdef"), 5};
    JoinRequest join = layouts.joinRequest(EventId, held);
    QCOMPARE(join.eventId, EventId);
    QVERIFY(join.compact);
    QVERIFY(join.layout.isEmpty());
    QCOMPARE(join.held, held);

    layouts.store(layoutOf(QStringLiteral("v1"), 6));
    QCOMPARE(layouts.joinRequest(EventId).layout, QStringLiteral("v1"));

    QVERIFY(!layouts.resolve(compact(QStringLiteral("v1"), "#"))); // one character short
    join = layouts.joinRequest(EventId);
    QVERIFY(join.compact);
    QVERIFY2(join.layout.isEmpty(), "the server is to send the layout again");

    layouts.store(layoutOf(QStringLiteral("v1"), 6));
    QVERIFY(!layouts.resolve(compact(QStringLiteral("v1"), "#")));
    join = layouts.joinRequest(EventId, held);
    QVERIFY2(!join.compact, "twice undecodable: JSON, as older clients join");
    QCOMPARE(join.held, held);
    QCOMPARE(QJsonDocument(joinPayload(join)).toJson(QJsonDocument::Compact),
             QByteArray(R"({"epoch":"0123456789abcdef","eventId":"e1","seq":5})"));

    QVERIFY(layouts.resolve(RoomSnapshot{.eventId = EventId, .seq = 9, .viewers = 1}));
    QVERIFY2(!layouts.joinRequest(EventId).compact, "a JSON snapshot keeps the room on JSON");
    layouts.clear();
    QVERIFY(layouts.joinRequest(EventId).compact);
}

void tst_RoomLayouts::decodedSnapshotEndsTheFallback()
{
    RoomLayouts layouts;
    QVERIFY(!layouts.resolve(compact(QStringLiteral("v1"), "8("))); // layout never received
    layouts.store(layoutOf(QStringLiteral("v1"), 6));
    QVERIFY(layouts.resolve(compact(QStringLiteral("v1"), "8(")));
    layouts.store(layoutOf(QStringLiteral("v2"), 9));               // seats appeared
    QVERIFY(!layouts.resolve(compact(QStringLiteral("v2"), "8("))); // states for 8 at most
    const JoinRequest join = layouts.joinRequest(EventId);
    QVERIFY2(join.compact, "one failure since the last decoded snapshot: still compact");
    QVERIFY(join.layout.isEmpty());
}

void tst_RoomLayouts::keepsTheNewestVersionsPerEvent()
{
    RoomLayouts layouts;
    for (int v = 1; v <= 3; ++v)
        layouts.store(layoutOf(QStringLiteral("v%1").arg(v), 4 + v));
    QCOMPARE(layouts.heldVersion(EventId), QStringLiteral("v3"));
    QCOMPARE(layouts.resolve(compact(QStringLiteral("v2"), "##"))->seats.size(), 6);
    QCOMPARE(layouts.resolve(compact(QStringLiteral("v3"), "##"))->seats.size(), 7);
    static_assert(RoomLayouts::VersionsPerEvent == 2);
    QVERIFY(!layouts.resolve(compact(QStringLiteral("v1"), "##")));
    layouts.store(layoutOf(QStringLiteral("v1"), 5));
    layouts.store(layoutOf(QStringLiteral("v1"), 5)); // again: still one entry
    QCOMPARE(layouts.heldVersion(EventId), QStringLiteral("v1"));
    QVERIFY(layouts.resolve(compact(QStringLiteral("v1"), "##")));
}

void tst_RoomLayouts::eventsAreSeparate()
{
    RoomLayouts layouts;
    layouts.store(layoutOf(QStringLiteral("v1"), 6, QStringLiteral("e1")));
    layouts.store(layoutOf(QStringLiteral("v1"), 6, QStringLiteral("e2")));
    QVERIFY(!layouts.resolve(compact(QStringLiteral("v1"), "#", QStringLiteral("e2"))));
    QCOMPARE(layouts.heldVersion(QStringLiteral("e1")), QStringLiteral("v1"));
    QVERIFY(layouts.heldVersion(QStringLiteral("e2")).isEmpty());
    QVERIFY(layouts.resolve(compact(QStringLiteral("v1"), "8(", QStringLiteral("e1"))));
}

QTEST_GUILESS_MAIN(tst_RoomLayouts)
#include "tst_roomlayouts.moc"
