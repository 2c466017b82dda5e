// SPDX-License-Identifier: MIT
#include "outbox.h"

#include <QTest>

using namespace Reservo;

// The slow client's queue: order kept, latest state per key, barriers respected.
class tst_Outbox : public QObject
{
    Q_OBJECT
private slots:
    void order_data();
    void order();
    void bytes();
};

void tst_Outbox::order_data()
{
    QTest::addColumn<QStringList>("pushes"); // "frame:key" (empty key after the colon allowed)
    QTest::addColumn<QStringList>("popped");
    QTest::newRow("plain fifo") << QStringList{"a:", "b:", "c:"} << QStringList{"a", "b", "c"};
    QTest::newRow("latest state wins, in change order")
        << QStringList{"s1v1:s1", "s2v1:s2", "s1v2:s1", "s1v3:s1"} << QStringList{"s2v1", "s1v3"};
    QTest::newRow("superseded entries leave no gap")
        << QStringList{"s1v1:s1", "s1v2:s1", "s2v1:s2", "s1v3:s1", "s2v2:s2"}
        << QStringList{"s1v3", "s2v2"};
    QTest::newRow("barrier blocks superseding") << QStringList{"s1v1:s1", "snapshot:", "s1v2:s1"}
                                                << QStringList{"s1v1", "snapshot", "s1v2"};
    QTest::newRow("after a barrier keys collapse again")
        << QStringList{"snap:", "s1v1:s1", "s1v2:s1"} << QStringList{"snap", "s1v2"};
}

void tst_Outbox::order()
{
    QFETCH(QStringList, pushes);
    QFETCH(QStringList, popped);
    Outbox box;
    for (const QString &p : pushes)
        box.push(p.section(u':', 0, 0).toUtf8(), p.section(u':', 1));
    QStringList out;
    while (!box.isEmpty())
        out.append(QString::fromUtf8(box.pop()));
    QCOMPARE(out, popped);
    QCOMPARE(box.bytes(), qsizetype(0));
}

void tst_Outbox::bytes()
{
    Outbox box;
    box.push("12345", "k");
    box.push("12", "k"); // replaced: 2 bytes, not 7
    QCOMPARE(box.bytes(), qsizetype(2));
    QCOMPARE(box.superseded(), quint64(1));
    box.push("abc", QString());
    QCOMPARE(box.bytes(), qsizetype(5));
    QCOMPARE(box.size(), qsizetype(2));
    box.pop();
    box.push("xyz", "k"); // "k" left the queue: a new entry
    QCOMPARE(box.size(), qsizetype(2));
}

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_outbox.moc"
