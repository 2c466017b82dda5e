// SPDX-License-Identifier: MIT
// ReconnectBackoff: doubling waits with jitter, capped, reset only by a connection that held.
#include "reconnectbackoff.h"

#include <QTest>

using namespace Reservo;

class tst_ReconnectBackoff : public QObject
{
    Q_OBJECT

private slots:
    void waitsDoubleWithJitterUpToTheCap();
    void onlyAStableConnectionResets_data();
    void onlyAStableConnectionResets();
};

void tst_ReconnectBackoff::waitsDoubleWithJitterUpToTheCap()
{
    ReconnectBackoff backoff;
    int base = ReconnectBackoff::InitialMs;
    QList<int> first;
    for (int attempt = 0; attempt < 10; ++attempt) {
        const int delay = backoff.nextDelayMs();
        QVERIFY2(delay >= base * (1 - ReconnectBackoff::Jitter) - 1 &&
                     delay <= base * (1 + ReconnectBackoff::Jitter) + 1,
                 qPrintable(QStringLiteral("attempt %1: %2 ms").arg(attempt).arg(delay)));
        base = std::min(base * 2, ReconnectBackoff::MaxMs);
        first.append(delay);
    }
    // Jitter: a second monitor does not wait the same times.
    ReconnectBackoff other;
    QList<int> second;
    for (int attempt = 0; attempt < 10; ++attempt)
        second.append(other.nextDelayMs());
    QVERIFY(first != second);
}

void tst_ReconnectBackoff::onlyAStableConnectionResets_data()
{
    QTest::addColumn<qint64>("liveMs");
    QTest::addColumn<bool>("reset");
    QTest::newRow("dropped at once") << 50LL << false;
    QTest::newRow("just short of stable") << qint64(ReconnectBackoff::StableAfterMs - 1) << false;
    QTest::newRow("stable") << qint64(ReconnectBackoff::StableAfterMs) << true;
}

void tst_ReconnectBackoff::onlyAStableConnectionResets()
{
    QFETCH(qint64, liveMs);
    QFETCH(bool, reset);
    ReconnectBackoff backoff;
    for (int i = 0; i < 5; ++i)
        backoff.nextDelayMs();
    backoff.connectionEnded(liveMs);
    const int next = backoff.nextDelayMs();
    QCOMPARE(next <= ReconnectBackoff::InitialMs * (1 + ReconnectBackoff::Jitter), reset);
}

QTEST_GUILESS_MAIN(tst_ReconnectBackoff)
#include "tst_reconnectbackoff.moc"
