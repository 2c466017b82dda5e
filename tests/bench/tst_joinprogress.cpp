// SPDX-License-Identifier: MIT
#include "joinprogress.h"

#include <QTest>

using namespace Reservo::Bench;
using State = JoinProgress::State;

Q_DECLARE_METATYPE(JoinProgress::State)

namespace {
// One server message of a script: "ack", "refused", "layout:V", "snapshot:json",
// "snapshot:compact:V", either snapshot with ":partial" for complete:false. The views point into
// `text`, which must outlive the result.
SioInbound inbound(const std::string &text)
{
    SioInbound in;
    const std::string_view all(text);
    if (all.rfind("layout:", 0) == 0) {
        in.kind = SioInbound::Kind::Layout;
        in.layout = all.substr(7);
    } else if (all.rfind("snapshot:", 0) == 0) {
        in.kind = SioInbound::Kind::Snapshot;
        const bool partial = all.size() >= 8 && all.substr(all.size() - 8) == ":partial";
        const std::string_view rest = all.substr(9, all.size() - 9 - (partial ? 8 : 0));
        in.complete = partial ? 0 : 1;
        const bool compact = rest.rfind("compact", 0) == 0;
        in.format = compact ? SioInbound::MapFormat::Compact : SioInbound::MapFormat::Json;
        if (compact)
            in.layout = rest.substr(8);
    }
    return in;
}

// Feeds the script at times 10, 20, 30... ns; the index of the step that completed it, or -1.
int play(JoinProgress &join, const QStringList &script)
{
    int completedAt = -1;
    for (qsizetype i = 0; i < script.size(); ++i) {
        const std::string text = script[i].toStdString();
        const int64_t now = int64_t(i + 1) * 10;
        const bool done = text == "ack" || text == "refused"
                              ? join.onAck(text == "refused", now)
                              : join.onMessage(inbound(text), 100, now);
        if (done)
            completedAt = int(i);
    }
    return completedAt;
}
} // namespace

// When a join has the room's map in hand, for the original client's JSON join and for compact
// joins with and without the layout, and what it notes when the server does otherwise.
class tst_JoinProgress : public QObject
{
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void countsBytesUntilComplete();
};

void tst_JoinProgress::rules_data()
{
    QTest::addColumn<bool>("compact");
    QTest::addColumn<QString>("held");
    QTest::addColumn<QStringList>("script");
    QTest::addColumn<State>("state");
    QTest::addColumn<int>("completedAt");
    QTest::addColumn<QString>("notes"); // jsonForCompact, layouts, unasked, mismatches, partial

    QTest::newRow("json: ack then snapshot") << false << "" << QStringList{"ack", "snapshot:json"}
                                             << State::Complete << 1 << "0 0 0 0 0";
    QTest::newRow("json: snapshot before the ack")
        << false << "" << QStringList{"snapshot:json", "ack"} << State::Complete << 1
        << "0 0 0 0 0";
    QTest::newRow("json: a partial map first")
        << false << "" << QStringList{"ack", "snapshot:json:partial", "snapshot:json"}
        << State::Complete << 2 << "0 0 0 0 1";
    QTest::newRow("json: only a partial map")
        << false << "" << QStringList{"ack", "snapshot:json:partial"} << State::Waiting << -1
        << "0 0 0 0 1";
    QTest::newRow("json: no ack") << false << "" << QStringList{"snapshot:json"} << State::Waiting
                                  << -1 << "0 0 0 0 0";
    QTest::newRow("refused") << false << "" << QStringList{"refused", "snapshot:json"}
                             << State::Refused << 0 << "0 0 0 0 0";
    QTest::newRow("json: a layout is not for it")
        << false << "" << QStringList{"ack", "layout:v1", "snapshot:json"} << State::Complete << 2
        << "0 0 0 0 0";
    QTest::newRow("json: what follows completion is not counted")
        << false << "" << QStringList{"ack", "snapshot:json", "snapshot:json:partial"}
        << State::Complete << 1 << "0 0 0 0 0";
    QTest::newRow("compact, no layout held")
        << true << "" << QStringList{"ack", "layout:v1", "snapshot:compact:v1"} << State::Complete
        << 2 << "0 1 0 0 0";
    QTest::newRow("compact, layout held")
        << true << "v1" << QStringList{"ack", "snapshot:compact:v1"} << State::Complete << 1
        << "0 0 0 0 0";
    QTest::newRow("compact, held layout sent anyway")
        << true << "v1" << QStringList{"ack", "layout:v1", "snapshot:compact:v1"} << State::Complete
        << 2 << "0 1 1 0 0";
    QTest::newRow("compact, an older layout held")
        << true << "v0" << QStringList{"ack", "layout:v1", "snapshot:compact:v1"} << State::Complete
        << 2 << "0 1 0 0 0";
    QTest::newRow("compact, the server ignores the extension")
        << true << "v1" << QStringList{"ack", "snapshot:json"} << State::Complete << 1
        << "1 0 0 0 0";
    QTest::newRow("compact, snapshot before its layout")
        << true << "" << QStringList{"ack", "snapshot:compact:v2", "layout:v2"} << State::Complete
        << 2 << "0 1 0 1 0";
    QTest::newRow("compact, a layout the client never gets")
        << true << "v1" << QStringList{"ack", "snapshot:compact:v2"} << State::Waiting << -1
        << "0 0 0 1 0";
    QTest::newRow("compact, no layout at all")
        << true << "" << QStringList{"ack", "snapshot:compact:"} << State::Waiting << -1
        << "0 0 0 0 0";
}

void tst_JoinProgress::rules()
{
    QFETCH(bool, compact);
    QFETCH(QString, held);
    QFETCH(QStringList, script);
    QFETCH(State, state);
    QFETCH(int, completedAt);
    QFETCH(QString, notes);
    JoinProgress join;
    join.begin({compact, held.toStdString()}, 5);
    QCOMPARE(play(join, script), completedAt);
    QCOMPARE(join.state(), state);
    const QString got = QStringLiteral("%1 %2 %3 %4 %5")
                            .arg(int(join.jsonForCompact()))
                            .arg(int(join.receivedLayout()))
                            .arg(join.unaskedLayouts())
                            .arg(join.layoutMismatches())
                            .arg(join.partialSnapshots());
    QCOMPARE(got, notes);
    if (completedAt >= 0)
        QCOMPARE(join.elapsedNs(), int64_t(completedAt + 1) * 10 - 5);
}

void tst_JoinProgress::countsBytesUntilComplete()
{
    JoinProgress join;
    join.countFrame(70); // before the join: not its own
    QCOMPARE(join.state(), State::Idle);
    join.begin({true, ""}, 0);
    join.countFrame(80);
    QVERIFY(!join.onAck(false, 1));
    const std::string layout = "layout:v1", snapshot = "snapshot:compact:v1";
    join.countFrame(9000);
    QVERIFY(!join.onMessage(inbound(layout), 9000, 2));
    join.countFrame(40); // an update in between
    join.countFrame(1400);
    QVERIFY(join.onMessage(inbound(snapshot), 1400, 3));
    join.countFrame(40); // after completion
    QCOMPARE(join.bytes(), uint64_t(80 + 9000 + 40 + 1400));
    QCOMPARE(join.mapBytes(), uint64_t(9000 + 1400));
    QCOMPARE(join.layout(), std::string("v1"));
}

QTEST_GUILESS_MAIN(tst_JoinProgress)
#include "tst_joinprogress.moc"
