// SPDX-License-Identifier: MIT
// Presence end to end: `room-presence` tells a room's members how many watch it, coalesced to at
// most one message per PRESENCE_INTERVAL_MS however fast members come and go.
#include "natsserverprocess.h"
#include "roomview.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "testsocketclient.h"

#include <QElapsedTimer>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QString PresenceEvent = QStringLiteral("room-presence");
constexpr int IntervalMs = 1000;

QJsonArray eventIdArg(const QString &eventId)
{
    return {QJsonObject{{QStringLiteral("eventId"), eventId}}};
}

// Keeps the arrival time of each room-presence, to check the spacing the service promises.
class PresenceClock : public QObject
{
public:
    explicit PresenceClock(TestSocketClient *client) : QObject(client)
    {
        m_clock.start();
        connect(client, &TestSocketClient::frameReceived, this, [this](const QByteArray &frame) {
            if (frame.startsWith("42[\"room-presence\""))
                m_arrivals.append(m_clock.elapsed());
        });
    }
    // The shortest time between two consecutive room-presence messages; -1 with fewer than two.
    qint64 shortestGap() const
    {
        qint64 gap = -1;
        for (qsizetype i = 1; i < m_arrivals.size(); ++i) {
            const qint64 g = m_arrivals[i] - m_arrivals[i - 1];
            gap = gap < 0 ? g : std::min(gap, g);
        }
        return gap;
    }

private:
    QElapsedTimer m_clock;
    QList<qint64> m_arrivals;
};
} // namespace

class tst_RoomPresence : public QObject
{
    Q_OBJECT

private slots:
    void viewersCoalesced();
};

void tst_RoomPresence::viewersCoalesced()
{
    NatsServerProcess nats;
    QVERIFY2(nats.start(), qPrintable(nats.errorString()));
    ServiceProcess service; // no events service is needed to count viewers
    QVERIFY2(service.start(nats.url(),
                           {{QStringLiteral("PRESENCE_INTERVAL_MS"), QString::number(IntervalMs)}}),
             qPrintable(service.errorString()));
    const QString room = newId();

    TestSocketClient host;
    auto *clock = new PresenceClock(&host);
    QVERIFY2(host.connectTo(service.socketUrl()), qPrintable(host.errorString()));
    QVERIFY(host.joinEventRoom(room));
    QTRY_COMPARE_WITH_TIMEOUT(payloadsOf(host.events(), PresenceEvent).size(), 1, Timeout);
    QCOMPARE(RoomView::of(room, host.events()).viewers(), 1);

    std::vector<std::unique_ptr<TestSocketClient>> guests;
    for (int i = 0; i < 5; ++i) {
        guests.push_back(std::make_unique<TestSocketClient>());
        QVERIFY2(guests.back()->connectTo(service.socketUrl()),
                 qPrintable(guests.back()->errorString()));
    }
    // Seven membership changes sent back to back, without waiting for any answer: five joins,
    // one leave, one dropped connection; a repeated join changes nothing. 1 + 5 - 2 remain.
    const QString join = QStringLiteral("join-event-room");
    for (const auto &guest : guests)
        guest->emitEvent(join, eventIdArg(room));
    guests[1]->emitEvent(QStringLiteral("leave-event-room"), eventIdArg(room));
    guests[2]->close();
    guests[0]->emitEvent(join, eventIdArg(room));
    constexpr int MembershipChanges = 7;
    constexpr int Remaining = 4;

    QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, host.events()).viewers(), Remaining, Timeout);
    for (const int i : {0, 3, 4})
        QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, guests[i]->events()).viewers(), Remaining,
                                  Timeout);
    const int messages = RoomView::of(room, host.events()).presenceCount() - 1;
    qInfo() << MembershipChanges << "membership changes," << messages << "room-presence messages";
    QVERIFY(messages >= 1);
    QVERIFY2(messages < MembershipChanges, "room-presence is not coalesced");
    // One per interval at most; half of it leaves room for a test process that read late.
    QVERIFY2(
        clock->shortestGap() >= IntervalMs / 2,
        qPrintable(
            QStringLiteral("two room-presence messages %1 ms apart").arg(clock->shortestGap())));
    QCOMPARE(service.metric("reservo_members"), double(Remaining));

    // A member leaving and the last one staying: the count follows.
    for (const int i : {0, 3, 4})
        guests[i]->close();
    QTRY_COMPARE_WITH_TIMEOUT(RoomView::of(room, host.events()).viewers(), 1, Timeout);
    QCOMPARE(RoomView::of(room, host.events()).problems(), QStringList());
    service.printOutputIfFailed();
}

QTEST_GUILESS_MAIN(tst_RoomPresence)
#include "tst_roompresence.moc"
