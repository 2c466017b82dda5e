// SPDX-License-Identifier: MIT
#include "jsonscanner.h"

#include <QTest>

using namespace Reservo::Bench;

// The allocation-free JSON reader: raw strings, integers, and skipping whatever is nested.
class tst_JsonScanner : public QObject
{
    Q_OBJECT

private slots:
    void readsStringsRaw();
    void readsIntegers_data();
    void readsIntegers();
    void readsBooleans_data();
    void readsBooleans();
    void skipsValues_data();
    void skipsValues();
    void rejectsTruncated();
};

void tst_JsonScanner::readsStringsRaw()
{
    JsonScanner json(" \"plain\" , \"with \\\"escape\\\"\" ");
    std::string_view a, b;
    QVERIFY(json.readString(a));
    QVERIFY(json.take(','));
    QVERIFY(json.readString(b));
    QCOMPARE(a, std::string_view("plain"));
    QCOMPARE(b, std::string_view("with \\\"escape\\\""));
    QVERIFY(json.atEnd());
}

void tst_JsonScanner::readsIntegers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("value");
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("positive") << QByteArray(" 12345") << qint64(12345);
    QTest::newRow("negative") << QByteArray("-7") << qint64(-7);
    QTest::newRow("written as a double") << QByteArray("42.0") << qint64(42);
    QTest::newRow("exponent") << QByteArray("3e2") << qint64(3);
}

void tst_JsonScanner::readsIntegers()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, value);
    JsonScanner json(std::string_view(text.constData(), size_t(text.size())));
    int64_t got = 0;
    QVERIFY(json.readInteger(got));
    QCOMPARE(qint64(got), value);
    QVERIFY(json.atEnd());
}

void tst_JsonScanner::readsBooleans_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("value");
    QTest::newRow("true") << QByteArray(" true,") << true << true;
    QTest::newRow("false") << QByteArray("false}") << true << false;
    QTest::newRow("null") << QByteArray("null") << false << false;
    QTest::newRow("string") << QByteArray("\"true\"") << false << false;
    QTest::newRow("truncated") << QByteArray("tru") << false << false;
}

void tst_JsonScanner::readsBooleans()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    QFETCH(bool, value);
    JsonScanner json(std::string_view(text.constData(), size_t(text.size())));
    bool got = !value;
    QCOMPARE(json.readBool(got), ok);
    if (ok)
        QCOMPARE(got, value);
}

void tst_JsonScanner::skipsValues_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("string") << QByteArray("\"a]}\\\"\"");
    QTest::newRow("number") << QByteArray("-1.5e3");
    QTest::newRow("literals") << QByteArray("true");
    QTest::newRow("object") << QByteArray("{\"a\":[1,{\"b\":\"]\"}],\"c\":null}");
    QTest::newRow("array") << QByteArray("[[],[[]],\"[\",{}]");
}

void tst_JsonScanner::skipsValues()
{
    QFETCH(QByteArray, text);
    const QByteArray input = text + ",\"after\"";
    JsonScanner json(std::string_view(input.constData(), size_t(input.size())));
    std::string_view after;
    QVERIFY(json.skipValue());
    QVERIFY(json.take(','));
    QVERIFY(json.readString(after));
    QCOMPARE(after, std::string_view("after"));
}

void tst_JsonScanner::rejectsTruncated()
{
    std::string_view s;
    QVERIFY(!JsonScanner("\"open").readString(s));
    QVERIFY(!JsonScanner("{\"a\":[1,2").skipValue());
    int64_t n = 0;
    QVERIFY(!JsonScanner("x").readInteger(n));
}

QTEST_GUILESS_MAIN(tst_JsonScanner)
#include "tst_jsonscanner.moc"
