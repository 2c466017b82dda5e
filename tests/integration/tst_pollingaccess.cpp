// SPDX-License-Identifier: MIT
#include "httpexchange.h"
#include "natsserverprocess.h"
#include "pollingclient.h"
#include "pollingtestbase.h"
#include "serviceprocess.h"
#include "testhelpers.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTest>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {
const QByteArray HandshakeTarget = "/socket.io/?EIO=4&transport=polling";
const QByteArray AllowedOrigin = "https://box-office.example";
const QByteArray OtherAllowedOrigin = "https://staff.example";
const QByteArray JwtSecret = "polling-test-secret";

QJsonObject json(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// An HS256 token built here from the JWT definition, not with the service's verifier.
QByteArray mintToken(const QByteArray &secret, qint64 expiresInSeconds)
{
    const QJsonObject claims{
        {QStringLiteral("sub"), QStringLiteral("staff-1")},
        {QStringLiteral("exp"), QDateTime::currentSecsSinceEpoch() + expiresInSeconds}};
    const QByteArray signingInput = base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.' +
                                    base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' +
           base64Url(
               QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256));
}
} // namespace

// Who may use HTTP long-polling and how much: ALLOWED_ORIGINS with CORS headers and preflights,
// POST bodies bounded by maxPayload, and JWT_SECRET with the gateway's access-token cookie.
class tst_PollingAccess : public PollingTestBase
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();

    void corsChecksOrigin_data();
    void corsChecksOrigin();
    void corsHeadersOnEveryPollingResponse();
    void postBodyBoundedByMaxPayload_data();
    void postBodyBoundedByMaxPayload();
    void jwtFromCookieOverPolling_data();
    void jwtFromCookieOverPolling();
};

void tst_PollingAccess::initTestCase()
{
    QVERIFY(startNats());
}

void tst_PollingAccess::cleanup()
{
    stopService();
}

void tst_PollingAccess::corsChecksOrigin_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("echoed"); // Access-Control-Allow-Origin: <origin>
    QTest::newRow("handshake, allowed origin") << QByteArray("GET") << AllowedOrigin << 200 << true;
    QTest::newRow("handshake, second allowed origin")
        << QByteArray("GET") << OtherAllowedOrigin << 200 << true;
    QTest::newRow("handshake, other origin")
        << QByteArray("GET") << QByteArray("https://evil.example") << 403 << false;
    QTest::newRow("handshake, allowed origin's subdomain")
        << QByteArray("GET") << QByteArray("https://x.box-office.example") << 403 << false;
    QTest::newRow("handshake, no origin (not a browser)")
        << QByteArray("GET") << QByteArray() << 200 << false;
    QTest::newRow("preflight, allowed origin")
        << QByteArray("OPTIONS") << AllowedOrigin << 204 << true;
    QTest::newRow("preflight, other origin")
        << QByteArray("OPTIONS") << QByteArray("https://evil.example") << 403 << false;
}

void tst_PollingAccess::corsChecksOrigin()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    QFETCH(bool, echoed);
    QVERIFY(startService({{"ALLOWED_ORIGINS", AllowedOrigin + ',' + OtherAllowedOrigin}}));
    HttpExchange::Headers headers;
    if (!origin.isEmpty())
        headers.append({"Origin", origin});
    if (method == "OPTIONS")
        headers += HttpExchange::Headers{{"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "content-type"}};

    const HttpResponse response = httpExchange(port(), method, HandshakeTarget, headers);

    QCOMPARE(response.status, status);
    QCOMPARE(response.error, QString());
    QCOMPARE(response.header("access-control-allow-origin"), echoed ? origin : QByteArray());
    QCOMPARE(response.header("access-control-allow-credentials"),
             echoed ? QByteArray("true") : QByteArray());
    if (status == 403)
        QCOMPARE(json(response.body), json(R"({"code":4,"message":"Forbidden"})"));
    if (status == 200)
        QVERIFY2(response.body.startsWith("0{"), response.body.constData());
    if (method == "OPTIONS" && status == 204) {
        QVERIFY2(response.header("access-control-allow-methods").contains("POST"),
                 response.head.constData());
        QCOMPARE(response.header("access-control-allow-headers"), QByteArray("content-type"));
        QCOMPARE(response.body, QByteArray());
    }
    QCOMPARE(m_service->metric("reservo_origins_refused_total"), status == 403 ? 1.0 : 0.0);
}

void tst_PollingAccess::corsHeadersOnEveryPollingResponse()
{
    QVERIFY(startService({{"ALLOWED_ORIGINS", QString::fromUtf8(AllowedOrigin)}}));
    PollingClient client(port(), {{"Origin", AllowedOrigin}});
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QVERIFY2(client.joinEventRoom(newId()), qPrintable(client.errorString()));

    QVERIFY(!client.pollResponses().isEmpty());
    QVERIFY(!client.postResponses().isEmpty());
    for (const QList<HttpResponse> &responses : {client.pollResponses(), client.postResponses()}) {
        for (const HttpResponse &response : responses) {
            QCOMPARE(response.header("access-control-allow-origin"), AllowedOrigin);
            QCOMPARE(response.header("access-control-allow-credentials"), QByteArray("true"));
        }
    }
    // The session's own requests from another origin are refused too.
    const HttpResponse foreign =
        httpExchange(port(), "GET", client.sessionTarget(), {{"Origin", "https://evil.example"}});
    QCOMPARE(foreign.status, 403);
}

void tst_PollingAccess::postBodyBoundedByMaxPayload_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("maxPayload bytes") << 1000 << 200;
    QTest::newRow("one byte more") << 1001 << 413;
}

void tst_PollingAccess::postBodyBoundedByMaxPayload()
{
    QFETCH(int, size);
    QFETCH(int, status);
    QVERIFY(startService({{"MAX_PAYLOAD", "1000"}}));
    PollingClient client(port());
    QVERIFY2(client.connectTo(), qPrintable(client.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(client.allSent(), Timeout);
    // A well-formed event the service does not know, padded to the size: ignored when accepted.
    const QByteArray prefix = R"(42["no-such-event",")";
    const QByteArray body = prefix + QByteArray(size - prefix.size() - 2, 'x') + "\"]";
    QCOMPARE(body.size(), size);

    const HttpResponse response = httpExchange(port(), "POST", client.sessionTarget(), {}, body);

    QCOMPARE(response.status, status);
    if (status == 200)
        QCOMPARE(response.body, QByteArray("ok"));
    else
        QVERIFY2(response.header("content-type").startsWith("application/json"),
                 response.head.constData());
}

void tst_PollingAccess::jwtFromCookieOverPolling_data()
{
    QTest::addColumn<QByteArray>("cookie");
    QTest::addColumn<QJsonObject>("auth");
    QTest::addColumn<QByteArray>("reply"); // the CONNECT answer; "0" for any accepted one
    const QByteArray valid = mintToken(JwtSecret, 600);
    QTest::newRow("valid cookie") << "theme=dark; access-token=" + valid << QJsonObject()
                                  << QByteArray("0");
    QTest::newRow("valid auth.token, no cookie")
        << QByteArray() << QJsonObject{{"token", QString::fromUtf8(valid)}} << QByteArray("0");
    QTest::newRow("expired cookie") << "access-token=" + mintToken(JwtSecret, -60) << QJsonObject()
                                    << QByteArray(R"(4{"message":"Unauthorized: token expired"})");
    QTest::newRow("cookie signed with another secret")
        << "access-token=" + mintToken("another-secret", 600) << QJsonObject()
        << QByteArray(R"(4{"message":"Unauthorized: invalid signature"})");
    QTest::newRow("no token") << QByteArray("theme=dark") << QJsonObject()
                              << QByteArray(R"(4{"message":"Unauthorized: no token"})");
}

void tst_PollingAccess::jwtFromCookieOverPolling()
{
    QFETCH(QByteArray, cookie);
    QFETCH(QJsonObject, auth);
    QFETCH(QByteArray, reply);
    QVERIFY(startService({{"JWT_SECRET", QString::fromUtf8(JwtSecret)}}));
    HttpExchange::Headers headers;
    if (!cookie.isEmpty())
        headers.append({"Cookie", cookie});
    PollingClient client(port(), headers);
    QVERIFY2(client.handshake().status == 200, qPrintable(client.errorString()));

    const std::optional<QByteArray> answer = client.connectNamespace(auth);

    QVERIFY2(answer, qPrintable(client.errorString()));
    if (reply == "0")
        QVERIFY2(answer->startsWith("0{") && json(answer->mid(1)).contains("sid"),
                 answer->constData());
    else
        QCOMPARE(*answer, reply);
}

QTEST_GUILESS_MAIN(tst_PollingAccess)
#include "tst_pollingaccess.moc"
