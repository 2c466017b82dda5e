// SPDX-License-Identifier: MIT
#include "deliverychecker.h"
#include "publishlog.h"
#include "workercontext.h"

#include <QTest>

using namespace Reservo::Bench;

namespace {
SioInbound update(std::string_view seat, std::string_view state, int64_t seq = -1,
                  std::string_view eventId = {})
{
    SioInbound in;
    in.kind = SioInbound::Kind::SeatUpdate;
    in.seatId = seat;
    in.state = state;
    in.seq = seq;
    in.eventId = eventId;
    return in;
}
} // namespace

// Which published change a delivery is: by the server's seq when it names one, by the state
// cycle when there is none (the original service), and what repeats or belongs elsewhere.
class tst_DeliveryChecker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void bySeq();
    void byStateWithoutSeq();
    void supersededByThreeLooksLikeTheSameState();
    void unmatchedSeqFallsBack();
    void foreignUpdates();
    void realSeatIds();
    void latencyFromThePublishLog();

private:
    void publish(int changes);

    std::unique_ptr<PublishLog> m_log;
    RunWindows m_windows;
    ClientSetup m_setup;
    std::unique_ptr<WorkerContext> m_ctx;
};

void tst_DeliveryChecker::init()
{
    m_log = std::make_unique<PublishLog>(1, 2, 100); // seats s0, s1 in one room
    m_windows.measureFromNs = 0;
    m_setup = ClientSetup{};
    m_setup.eventIds = {"ev-r0"};
    m_setup.log = m_log.get();
    m_setup.windows = &m_windows;
    m_ctx = std::make_unique<WorkerContext>();
    m_ctx->setup = &m_setup;
}

void tst_DeliveryChecker::publish(int changes)
{
    for (int i = 0; i < changes; ++i)
        m_log->recordSend(0, 1000 + m_log->published(0));
}

void tst_DeliveryChecker::bySeq()
{
    publish(4); // s0 k1 PENDING, s1 k1 PENDING, s0 k2 OCCUPIED, s1 k2 OCCUPIED
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("s0", "PENDING", 1, "ev-r0"), 5000);
    checker.check(update("s0", "OCCUPIED", 3, "ev-r0"), 5000);
    checker.check(update("s0", "OCCUPIED", 3, "ev-r0"), 5000); // a repeat
    QCOMPARE(checker.tracker().lastReceived(0), 2u);
    QCOMPARE(m_ctx->stats.duplicates[0], quint64(1));
    QCOMPARE(m_ctx->counters.deliveries[0].load(), quint64(2));
    QCOMPARE(m_ctx->stats.unmatchedSeq, quint64(0));
}

void tst_DeliveryChecker::byStateWithoutSeq()
{
    publish(6); // s1 gets k1 PENDING, k2 OCCUPIED, k3 AVAILABLE
    DeliveryChecker checker(*m_ctx, 0, true);
    checker.check(update("s1", "OCCUPIED"), 5000); // k1 skipped: superseded
    QCOMPARE(checker.tracker().lastReceived(1), 2u);
    checker.check(update("s1", "OCCUPIED"), 5000); // nothing newer sets OCCUPIED
    QCOMPARE(m_ctx->stats.duplicates[1], quint64(1));
    checker.check(update("s1", "AVAILABLE"), 5000);
    QCOMPARE(checker.tracker().lastReceived(1), 3u);
    const auto tally = checker.tracker().tally(
        2, [this](int seat) { return m_log->countOf(seat, m_log->published(0)); });
    QCOMPARE(tally.superseded, quint64(1));
    QCOMPARE(tally.lost, quint64(3)); // all of s0
    QCOMPARE(tally.staleSeats, quint64(1));
}

void tst_DeliveryChecker::supersededByThreeLooksLikeTheSameState()
{
    publish(8); // s0: k1..k4 = PENDING, OCCUPIED, AVAILABLE, PENDING
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("s0", "PENDING"), 5000);
    checker.check(update("s0", "PENDING"), 5000); // k4 after k2, k3 were superseded
    QCOMPARE(checker.tracker().lastReceived(0), 4u);
    QCOMPARE(m_ctx->stats.duplicates[0], quint64(0));
}

void tst_DeliveryChecker::unmatchedSeqFallsBack()
{
    publish(2);
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("s1", "PENDING", 7), 5000); // seq 7 was never published
    QCOMPARE(m_ctx->stats.unmatchedSeq, quint64(1));
    QCOMPARE(checker.tracker().lastReceived(1), 1u);
}

void tst_DeliveryChecker::foreignUpdates()
{
    publish(2);
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("s0", "PENDING", 1, "other-room"), 5000);
    checker.check(update("A11", "PENDING"), 5000);
    checker.check(update("s9", "PENDING"), 5000); // only s0 and s1 exist
    QCOMPARE(m_ctx->stats.foreignUpdates, quint64(3));
    QCOMPARE(m_ctx->counters.deliveries[0].load(), quint64(0));
}

// A join-storm publishes to a real event's seats: seat n is the event's n-th seat id.
void tst_DeliveryChecker::realSeatIds()
{
    m_setup.seats = SeatNames({"uuid-a", "uuid-b"});
    publish(2); // uuid-a k1 PENDING, uuid-b k1 PENDING
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("uuid-b", "PENDING", 2, "ev-r0"), 5000);
    checker.check(update("s0", "PENDING", 1, "ev-r0"), 5000); // not a seat of this event
    QCOMPARE(checker.tracker().lastReceived(1), 1u);
    QCOMPARE(checker.tracker().lastReceived(0), 0u);
    QCOMPARE(m_ctx->stats.foreignUpdates, quint64(1));
    QCOMPARE(m_ctx->stats.unmatchedSeq, quint64(0));
}

void tst_DeliveryChecker::latencyFromThePublishLog()
{
    publish(1); // sent at 1000 ns
    m_windows.lateNs = 3000;
    DeliveryChecker checker(*m_ctx, 0, false);
    checker.check(update("s0", "PENDING", 1), 5000);
    QCOMPARE(m_ctx->stats.latency[0].count(), quint64(1));
    QCOMPARE(m_ctx->stats.latency[0].max(), qint64(4000));
    QCOMPARE(m_ctx->counters.late.load(), quint64(1));
}

QTEST_GUILESS_MAIN(tst_DeliveryChecker)
#include "tst_deliverychecker.moc"
