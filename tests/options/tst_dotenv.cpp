// SPDX-License-Identifier: MIT
#include "dotenv.h"

#include <QTest>

using namespace Reservo;

// ./.env's syntax: comments, `export`, quotes, CRLF; a bad line is named by its number.
class tst_DotEnv : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
};

void tst_DotEnv::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("port"); // PORT's value, or the error when invalid
    QTest::newRow("plain") << QByteArray("PORT=1234\n") << true << "1234";
    QTest::newRow("comments") << QByteArray("# c\n\n  PORT = 1234 \n") << true << "1234";
    QTest::newRow("export") << QByteArray("export PORT=1234") << true << "1234";
    QTest::newRow("double quotes") << QByteArray("PORT=\"1234\"") << true << "1234";
    QTest::newRow("single quotes") << QByteArray("PORT='1234'") << true << "1234";
    QTest::newRow("unbalanced quote") << QByteArray("PORT=\"1234") << true << "\"1234";
    QTest::newRow("crlf") << QByteArray("A=1\r\nPORT=1234\r\n") << true << "1234";
    QTest::newRow("last wins") << QByteArray("PORT=1\nPORT=2\n") << true << "2";
    QTest::newRow("empty value") << QByteArray("PORT=\n") << true << "";
    QTest::newRow("empty file") << QByteArray() << true << "";
    QTest::newRow("no equals") << QByteArray("PORT 1234") << false
                               << ".env line 1: expected KEY=VALUE";
    QTest::newRow("bad key") << QByteArray("\n1PORT=2") << false
                             << ".env line 2: expected KEY=VALUE";
    QTest::newRow("empty key") << QByteArray("=2") << false << ".env line 1: expected KEY=VALUE";
}

void tst_DotEnv::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(QString, port);
    QString error;
    const std::optional<QMap<QString, QString>> values = DotEnv::parse(text, &error);
    QCOMPARE(values.has_value(), valid);
    QCOMPARE(valid ? values->value("PORT") : error, port);
}

QTEST_GUILESS_MAIN(tst_DotEnv)
#include "tst_dotenv.moc"
