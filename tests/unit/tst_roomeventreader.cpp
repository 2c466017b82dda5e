// SPDX-License-Identifier: MIT
// RoomEventReader: which signal each room event becomes, compact snapshots decoded against the
// room-layout read before them.
#include "roomeventreader.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using namespace Reservo::RoomMessages;

namespace {
const QByteArray Layout = R"({"eventId":"e1","layout":"v1","seats":[["s1","A1"],["s2","A2"],
    ["s3","A3"],["s4","A4"],["s5","A5"],["s6","A6"]]})";
} // namespace

class tst_RoomEventReader : public QObject
{
    Q_OBJECT

private slots:
    void read_data();
    void read();
};

void tst_RoomEventReader::read_data()
{
    QTest::addColumn<bool>("layoutFirst"); // a room-layout of 6 seats, version v1, read before
    QTest::addColumn<QString>("event");
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<QString>("signal"); // update, snapshot, undecodable, presence, none, malformed
    QTest::addColumn<QString>("states"); // a snapshot's seats as A/P/O

    QTest::newRow("update") << false << "update-seat-status"
                            << QByteArray(R"([{"id":"s1","state":"PENDING","seq":4},"17"])")
                            << "update"
                            << "";
    QTest::newRow("JSON snapshot with its offset")
        << false << "room-snapshot"
        << QByteArray(R"([{"eventId":"e1","epoch":"ep","seq":3,"viewers":1,"complete":true,
            "seats":[{"id":"s1","tag":"A1","state":"OCCUPIED"}]},"18"])")
        << "snapshot"
        << "O";
    QTest::newRow("compact snapshot after its layout")
        << true << "room-snapshot"
        << QByteArray(R"([{"eventId":"e1","epoch":"ep","seq":3,"layout":"v1","states":"8(",
            "viewers":1,"complete":true},"19"])")
        << "snapshot"
        << "APOAOP";
    QTest::newRow("compact snapshot without its layout")
        << false << "room-snapshot"
        << QByteArray(R"([{"eventId":"e1","seq":3,"layout":"v1","states":"8("}])") << "undecodable"
        << "";
    QTest::newRow("compact snapshot of another layout")
        << true << "room-snapshot"
        << QByteArray(R"([{"eventId":"e1","seq":3,"layout":"v2","states":"8("}])") << "undecodable"
        << "";
    QTest::newRow("presence") << false << "room-presence"
                              << QByteArray(R"([{"eventId":"e1","viewers":3},"20"])") << "presence"
                              << "";
    QTest::newRow("an event a newer server adds")
        << false << "room-something" << QByteArray(R"([{}])") << "none"
        << "";
    QTest::newRow("malformed layout")
        << false << "room-layout" << QByteArray(R"([{"eventId":"e1","seats":[]}])") << "malformed"
        << "";
    QTest::newRow("malformed snapshot")
        << false << "room-snapshot" << QByteArray(R"([{"eventId":"e1"}])") << "malformed"
        << "";
}

void tst_RoomEventReader::read()
{
    QFETCH(bool, layoutFirst);
    QFETCH(QString, event);
    QFETCH(QByteArray, args);
    QFETCH(QString, signal);
    QFETCH(QString, states);
    RoomEventReader reader;
    if (layoutFirst)
        QVERIFY(
            reader.read(QStringLiteral("room-layout"), {QJsonDocument::fromJson(Layout).object()}));
    QSignalSpy updates(&reader, &RoomEventReader::seatUpdated);
    QSignalSpy snapshots(&reader, &RoomEventReader::snapshotReceived);
    QSignalSpy undecodable(&reader, &RoomEventReader::snapshotUndecodable);
    QSignalSpy presence(&reader, &RoomEventReader::presenceChanged);
    QString error;
    const bool read = reader.read(event, QJsonDocument::fromJson(args).array(), &error);
    QCOMPARE(read, signal != QLatin1String("malformed"));
    QCOMPARE(error.isEmpty(), read);
    QCOMPARE(updates.size(), signal == QLatin1String("update") ? 1 : 0);
    QCOMPARE(snapshots.size(), signal == QLatin1String("snapshot") ? 1 : 0);
    QCOMPARE(undecodable.size(), signal == QLatin1String("undecodable") ? 1 : 0);
    QCOMPARE(presence.size(), signal == QLatin1String("presence") ? 1 : 0);
    if (!snapshots.isEmpty()) {
        QString actual;
        for (const Seat &seat : snapshots[0][0].value<RoomSnapshot>().seats)
            actual += QStringLiteral("APO").at(int(seat.state));
        QCOMPARE(actual, states);
    }
    if (!undecodable.isEmpty()) {
        QCOMPARE(undecodable[0][0].toString(), QStringLiteral("e1"));
        QVERIFY(reader.layouts().joinRequest(QStringLiteral("e1")).layout.isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_RoomEventReader)
#include "tst_roomeventreader.moc"
