// SPDX-License-Identifier: MIT
// JWT checks on arbitrary tokens and cookie headers, plus tokens minted here from arbitrary claims:
// a correctly signed token is accepted exactly when its exp/nbf say so, and any other signature is
// refused.
#include "fuzzcheck.h"
#include "jwtverifier.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

using namespace Reservo;
using Reservo::Fuzz::quoted;

namespace {

constexpr qint64 Now = 1795599400;
const QByteArray Secret = "fuzz-secret";

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray mint(const QJsonObject &claims)
{
    const QByteArray signingInput = base64Url(R"({"alg":"HS256","typ":"JWT"})") + '.' +
                                    base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' +
           base64Url(
               QMessageAuthenticationCode::hash(signingInput, Secret, QCryptographicHash::Sha256));
}

bool shouldAccept(const QJsonObject &claims)
{
    const QJsonValue exp = claims.value("exp");
    const QJsonValue nbf = claims.value("nbf");
    return exp.isDouble() && exp.toDouble() > double(Now) &&
           (nbf.isUndefined() || (nbf.isDouble() && nbf.toDouble() <= double(Now)));
}

void checkArbitraryToken(const QByteArray &token, const JwtVerifier &verifier)
{
    QString error;
    const std::optional<QJsonObject> claims = verifier.verify(token, Now, &error);
    FUZZ_CHECK(claims.has_value() == error.isEmpty(), error.toUtf8());
    if (claims)
        FUZZ_CHECK(shouldAccept(*claims), "accepted " + quoted(token));
}

void checkMinted(const QByteArray &claimsJson, const JwtVerifier &verifier)
{
    const QJsonDocument doc = QJsonDocument::fromJson(claimsJson);
    if (!doc.isObject())
        return;
    const QByteArray token = mint(doc.object());
    QString error;
    const std::optional<QJsonObject> claims = verifier.verify(token, Now, &error);
    const bool fits = token.size() <= 8192; // the verifier's bound on what it even decodes
    FUZZ_CHECK(claims.has_value() == (fits && shouldAccept(doc.object())),
               "minted " + quoted(token) + ": " + error.toUtf8());
    if (claims)
        FUZZ_CHECK(*claims == doc.object(), "claims changed in " + quoted(token));
    QByteArray forged = token;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    FUZZ_CHECK(!verifier.verify(forged, Now, &error), "forged signature accepted");
    FUZZ_CHECK(!JwtVerifier(Secret + 'x').verify(token, Now, &error), "wrong secret accepted");
}

void checkCookie(const QByteArray &bytes)
{
    JwtVerifier::cookie(bytes, "access-token");
    const QByteArray header = "theme=dark; access-token=" + bytes.toPercentEncoding() + "; x=1";
    const QByteArray value = JwtVerifier::cookie(header, "access-token");
    FUZZ_CHECK(value == bytes, "cookie " + quoted(header) + " gave " + quoted(value));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes = Reservo::Fuzz::input(data, size).toByteArray();
    const JwtVerifier verifier(Secret);
    checkArbitraryToken(bytes, verifier);
    checkMinted(bytes, verifier);
    checkCookie(bytes);
    return 0;
}
