// SPDX-License-Identifier: MIT
#include "unknowneventcache.h"

#include <QTest>

using namespace Reservo;

namespace {
// One step of a cache's life: insert (at), expire (at), or ask whether the id is known (at).
struct Step
{
    char op; // 'i' insert, 'x' expire, '?' contains, '!' does not contain
    const char *eventId;
    qint64 at;
};
} // namespace

Q_DECLARE_METATYPE(QList<Step>)

// The unknown events a service remembers: each for its lifetime, at most `capacity` of them,
// the oldest forgotten first, a renewal starting its lifetime again.
class tst_UnknownEventCache : public QObject
{
    Q_OBJECT
private slots:
    void lifetimeAndBound_data();
    void lifetimeAndBound();
};

void tst_UnknownEventCache::lifetimeAndBound_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("ttlMs");
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<int>("size");
    QTest::newRow("known within its lifetime")
        << 10 << 100 << QList<Step>{{'i', "a", 0}, {'?', "a", 0}, {'?', "a", 99}} << 1;
    QTest::newRow("forgotten at its end")
        << 10 << 100 << QList<Step>{{'i', "a", 0}, {'!', "a", 100}, {'!', "b", 0}} << 1;
    QTest::newRow("expire removes what ended")
        << 10 << 100 << QList<Step>{{'i', "a", 0}, {'i', "b", 50}, {'x', "", 120}, {'?', "b", 120}}
        << 1;
    QTest::newRow("expire keeps the living")
        << 10 << 100 << QList<Step>{{'i', "a", 0}, {'i', "b", 50}, {'x', "", 99}} << 2;
    QTest::newRow("bounded: the oldest goes")
        << 3 << 1000 << QList<Step>{{'i', "a", 0}, {'i', "b", 1}, {'i', "c", 2}, {'i', "d", 3},
                                    {'!', "a", 4}, {'?', "b", 4}, {'?', "d", 4}}
        << 3;
    QTest::newRow("renewal: a lifetime from now")
        << 10 << 100 << QList<Step>{{'i', "a", 0}, {'i', "a", 80}, {'x', "", 150}, {'?', "a", 150}}
        << 1;
    QTest::newRow("renewal: no longer the oldest")
        << 2 << 1000 << QList<Step>{{'i', "a", 0},  {'i', "b", 10}, {'i', "a", 20}, {'i', "c", 30},
                                    {'!', "b", 31}, {'?', "a", 31}, {'?', "c", 31}}
        << 2;
    QTest::newRow("capacity 0 remembers nothing")
        << 0 << 1000 << QList<Step>{{'i', "a", 0}, {'!', "a", 1}} << 0;
    QList<Step> many;
    for (int i = 0; i < 1000; ++i)
        many.append({'i', "same", qint64(i)}); // renewals leave no unbounded trail
    many.append({'?', "same", 1000});
    QTest::newRow("many renewals") << 5 << 100 << many << 1;
}

void tst_UnknownEventCache::lifetimeAndBound()
{
    QFETCH(int, capacity);
    QFETCH(int, ttlMs);
    QFETCH(QList<Step>, steps);
    QFETCH(int, size);
    UnknownEventCache cache({capacity, ttlMs});
    for (const Step &step : steps) {
        const QString id = QString::fromLatin1(step.eventId);
        if (step.op == 'i')
            cache.insert(id, step.at);
        else if (step.op == 'x')
            cache.expire(step.at);
        else
            QVERIFY2(cache.contains(id, step.at) == (step.op == '?'),
                     qPrintable(QStringLiteral("%1 at %2").arg(id).arg(step.at)));
    }
    QCOMPARE(cache.size(), size);
}

QTEST_GUILESS_MAIN(tst_UnknownEventCache)
#include "tst_unknowneventcache.moc"
