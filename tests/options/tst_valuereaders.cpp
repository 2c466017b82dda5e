// SPDX-License-Identifier: MIT
#include "optionreaders.h"

#include <QTest>

using namespace Reservo;

namespace {
struct Inner
{
    quint32 seed = 0;
};
struct Target
{
    Inner inner;
    double rate = 0;
    QByteArray secret;
    QStringList items;
    bool on = false;
    int mode = 0;
};
using Read = OptionReaders<Target>;
} // namespace

// Text to values: bounds, what each says it expected, and the field readers of a table's rows.
class tst_ValueReaders : public QObject
{
    Q_OBJECT
private slots:
    void integer_data();
    void integer();
    void number_data();
    void number();
    void choice_data();
    void choice();
    void natsServers_data();
    void natsServers();
    void fieldReaders();
};

void tst_ValueReaders::integer_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("value");
    QTest::newRow("inside") << "42" << true << qint64(42);
    QTest::newRow("spaces") << " 7 " << true << qint64(7);
    QTest::newRow("lowest") << "-5" << true << qint64(-5);
    QTest::newRow("highest") << "100" << true << qint64(100);
    QTest::newRow("below") << "-6" << false << qint64(0);
    QTest::newRow("above") << "101" << false << qint64(0);
    QTest::newRow("fraction") << "1.5" << false << qint64(0);
    QTest::newRow("text") << "ten" << false << qint64(0);
    QTest::newRow("empty") << "" << false << qint64(0);
    QTest::newRow("overflow") << "99999999999999999999" << false << qint64(0);
}

void tst_ValueReaders::integer()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(qint64, value);
    qint64 out = 0;
    QString why;
    QCOMPARE(ValueReaders::integer(text, -5, 100, out, why), valid);
    QCOMPARE(out, value);
    QCOMPARE(why, valid ? QString() : QStringLiteral("expected a whole number from -5 to 100"));
}

void tst_ValueReaders::number_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");
    QTest::newRow("whole") << "3" << true << 3.0;
    QTest::newRow("fraction") << " 0.25" << true << 0.25;
    QTest::newRow("highest") << "1e8" << true << 1e8;
    QTest::newRow("below") << "0.0001" << false << 0.0;
    QTest::newRow("infinite") << "inf" << false << 0.0;
    QTest::newRow("not a number") << "nan" << false << 0.0;
    QTest::newRow("text") << "fast" << false << 0.0;
}

void tst_ValueReaders::number()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(double, value);
    double out = 0;
    QString why;
    QCOMPARE(ValueReaders::number(text, 0.001, 1e8, out, why), valid);
    QCOMPARE(out, value);
    QCOMPARE(why, valid ? QString() : QStringLiteral("expected a number from 0.001 to 100000000"));
}

void tst_ValueReaders::choice_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("text");
    QTest::addColumn<qsizetype>("index"); // -1: refused
    QTest::addColumn<QString>("why");
    const QStringList two{"epoll", "qt"};
    const QStringList three{"a", "b", "c"};
    QTest::newRow("first") << two << "epoll" << qsizetype(0) << "";
    QTest::newRow("second") << two << "qt" << qsizetype(1) << "";
    QTest::newRow("case matters") << two << "QT" << qsizetype(-1) << "expected epoll or qt";
    QTest::newRow("empty") << two << "" << qsizetype(-1) << "expected epoll or qt";
    QTest::newRow("three") << three << "d" << qsizetype(-1) << "expected a, b or c";
}

void tst_ValueReaders::choice()
{
    QFETCH(QStringList, names);
    QFETCH(QString, text);
    QFETCH(qsizetype, index);
    QFETCH(QString, why);
    qsizetype out = -2;
    QString reason;
    QCOMPARE(ValueReaders::choice(text, names, out, reason), index >= 0);
    QCOMPARE(out, index);
    QCOMPARE(reason, why);
}

void tst_ValueReaders::natsServers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected"); // empty: refused
    QTest::newRow("one") << "nats://10.0.0.1:4222" << QStringList{"nats://10.0.0.1:4222"};
    QTest::newRow("bare") << "localhost:4223" << QStringList{"nats://localhost:4223"};
    QTest::newRow("cluster") << "nats://a:1, nats://b:2 ,tls://c:3"
                             << QStringList{"nats://a:1", "nats://b:2", "tls://c:3"};
    QTest::newRow("no port") << "nats://host" << QStringList{"nats://host"};
    QTest::newRow("http") << "http://127.0.0.1:4222" << QStringList();
    QTest::newRow("empty") << "" << QStringList();
    QTest::newRow("empty item") << "nats://a:1,,nats://b:2" << QStringList();
    QTest::newRow("path") << "nats://a:1/x" << QStringList();
    QTest::newRow("no host") << "nats://:4222" << QStringList();
}

void tst_ValueReaders::natsServers()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QStringList urls{"unchanged"};
    QString why;
    const bool ok = ValueReaders::natsServers(text, urls, why);
    QCOMPARE(ok, !expected.isEmpty());
    QCOMPARE(urls, ok ? expected : QStringList{"unchanged"});
    QVERIFY2(ok || why.contains(QLatin1String("is not a nats:// or tls:// URL")), qPrintable(why));
}

void tst_ValueReaders::fieldReaders()
{
    Target t;
    QString why;
    const auto seed = [](Target &target) -> quint32 & { return target.inner.seed; };
    QVERIFY(Read::integer(seed, 0, 4294967295LL)(t, "4294967295", why));
    QCOMPARE(t.inner.seed, 4294967295U);
    QVERIFY(!Read::integer(seed, 0, 10)(t, "11", why));
    QCOMPARE(t.inner.seed, 4294967295U); // a refused value leaves the field alone
    QVERIFY(Read::number(&Target::rate, 0, 1)(t, "0.5", why));
    QCOMPARE(t.rate, 0.5);
    QVERIFY(!Read::number(&Target::rate, 0, 1)(t, "2", why));
    QCOMPARE(t.rate, 0.5);
    QVERIFY(Read::text(&Target::secret)(t, "ß", why));
    QCOMPARE(t.secret, QByteArray("\xc3\x9f"));
    QVERIFY(Read::list(&Target::items)(t, "a,,b", why));
    QCOMPARE(t.items, (QStringList{"a", "b"}));
    QVERIFY(Read::list(&Target::items, u'\n')(t, "x,y\nz", why));
    QCOMPARE(t.items, (QStringList{"x,y", "z"}));
    QVERIFY(Read::switchOn(&Target::on)(t, {}, why));
    QVERIFY(t.on);
    const auto mode =
        Read::choice(&Target::mode, QList<std::pair<QString, int>>{{"x", 7}, {"y", 9}});
    QVERIFY(mode(t, "y", why));
    QCOMPARE(t.mode, 9);
    QVERIFY(!mode(t, "z", why));
    QCOMPARE(why, QStringLiteral("expected x or y"));
    QCOMPARE(t.mode, 9);
}

QTEST_GUILESS_MAIN(tst_ValueReaders)
#include "tst_valuereaders.moc"
