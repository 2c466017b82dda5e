// SPDX-License-Identifier: MIT
#include "jwtverifier.h"

#include <QTest>

using namespace Reservo;

// HS256 token checks. The tokens were minted by an independent implementation (the npm
// `jsonwebtoken` 9 package) with secret "test-secret", so a bug shared by signer and verifier
// cannot hide here.
class tst_JwtVerifier : public QObject
{
    Q_OBJECT
private slots:
    void verify_data();
    void verify();
    void disabled();
    void cookie_data();
    void cookie();
};

namespace {
constexpr qint64 Now = 1795599400; // 2026-11-25, between iat and every future exp below
}

void tst_JwtVerifier::verify_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("valid")
        << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6NDEwMjQ0NDgwMC"
                      "wiaWF0IjoxNzk1NTk5Mzk3fQ.zumB4N7FYUIZgtrQqy0UjybU6TU4BZBPtGuT4QTBjS4")
        << "";
    QTest::newRow("expired")
        << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTAwMDAwMDAwMC"
                      "wiaWF0IjoxNzk1NTk5Mzk3fQ.bIdcYDpk3pABOuNfmZD3bHHhFwGr31oBqEZtwKiQveY")
        << "token expired";
    QTest::newRow("wrong signature")
        << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6NDEwMjQ0NDgwMC"
                      "wiaWF0IjoxNzk1NTk5Mzk3fQ.TMBmdE2znuVOJaiEoreBhMlAY6hKd8QsxSWdhJpnzzk")
        << "invalid signature";
    QTest::newRow("no exp") << QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSJ9."
                                          "TfC_tMMEdLq0KdcmwCDoNe5O0ZbVjueZHKXXZ1FygA8")
                            << "token without exp";
    QTest::newRow("not yet valid")
        << QByteArray(
               "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6NDEwMjQ0NDgwMC"
               "wibmJmIjo0MTAyNDQ0MDAwLCJpYXQiOjE3OTU1OTkzOTd9.QfWegj7abJ_WbzC8E5yyXB7JMibe2yM9"
               "FxJ3IPR7-Pw")
        << "token not valid yet";
    QTest::newRow("HS384")
        << QByteArray("eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9."
                      "eyJzdWIiOiJ1MSIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxNzk1"
                      "NTk5Mzk3fQ.MvPa1hL7ViJiipTdycnGbNsMhekxbUd4DrJu46EfaWs6vV6x_QVU11bfhJjFptTp")
        << "unsupported algorithm";
    QTest::newRow("alg none") << QByteArray("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1MSIsI"
                                            "mV4cCI6NDEwMjQ0NDgwMCwiaWF0IjoxNzk1NTk5Mzk3fQ.")
                              << "unsupported algorithm";
    QTest::newRow("empty") << QByteArray() << "no token";
    QTest::newRow("two parts") << QByteArray("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9")
                               << "malformed token";
    QTest::newRow("not base64") << QByteArray("@@@.@@@.@@@") << "malformed token";
    QTest::newRow("not json") << QByteArray("bm90IGpzb24.bm90IGpzb24.c2ln") << "malformed token";
    QTest::newRow("huge") << QByteArray(10000, 'a') << "token too large";
}

void tst_JwtVerifier::verify()
{
    QFETCH(QByteArray, token);
    QFETCH(QString, error);
    const JwtVerifier verifier("test-secret");
    QString why;
    const std::optional<QJsonObject> claims = verifier.verify(token, Now, &why);
    QCOMPARE(claims.has_value(), error.isEmpty());
    QCOMPARE(why, error);
    if (claims)
        QCOMPARE(claims->value("sub").toString(), QStringLiteral("u1"));
}

void tst_JwtVerifier::disabled()
{
    QVERIFY(!JwtVerifier(QByteArray()).isEnabled());
    QVERIFY(JwtVerifier("s").isEnabled());
}

void tst_JwtVerifier::cookie_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("only") << QByteArray("access-token=abc") << QByteArray("abc");
    QTest::newRow("among others") << QByteArray("a=1; access-token=x.y.z; b=2")
                                  << QByteArray("x.y.z");
    QTest::newRow("quoted") << QByteArray("access-token=\"q\"") << QByteArray("q");
    QTest::newRow("encoded") << QByteArray("access-token=a%2Eb") << QByteArray("a.b");
    QTest::newRow("prefix name") << QByteArray("xaccess-token=no") << QByteArray();
    QTest::newRow("absent") << QByteArray("a=1") << QByteArray();
    QTest::newRow("empty header") << QByteArray() << QByteArray();
}

void tst_JwtVerifier::cookie()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, value);
    QCOMPARE(JwtVerifier::cookie(header, "access-token"), value);
}

QTEST_GUILESS_MAIN(tst_JwtVerifier)
#include "tst_jwtverifier.moc"
