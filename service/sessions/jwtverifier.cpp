// SPDX-License-Identifier: MIT
#include "jwtverifier.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QUrl>

namespace Reservo {

namespace {
constexpr qsizetype MaxTokenBytes = 8192;

std::optional<QJsonObject> decodePart(const QByteArray &part)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        part, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded);
    if (!doc.isObject())
        return std::nullopt;
    return doc.object();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

std::nullopt_t fail(QString *error, const char *why)
{
    if (error)
        *error = QString::fromLatin1(why);
    return std::nullopt;
}
} // namespace

std::optional<QJsonObject> JwtVerifier::verify(const QByteArray &token, qint64 nowSeconds,
                                               QString *error) const
{
    if (token.isEmpty())
        return fail(error, "no token");
    if (token.size() > MaxTokenBytes)
        return fail(error, "token too large");
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return fail(error, "malformed token");
    const std::optional<QJsonObject> header = decodePart(parts[0]);
    const std::optional<QJsonObject> claims = decodePart(parts[1]);
    if (!header || !claims)
        return fail(error, "malformed token");
    if (header->value(QStringLiteral("alg")).toString() != QLatin1String("HS256"))
        return fail(error, "unsupported algorithm");
    const QByteArray expected =
        QMessageAuthenticationCode::hash(parts[0] + '.' + parts[1], m_secret,
                                         QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    if (!constantTimeEquals(expected, parts[2]))
        return fail(error, "invalid signature");
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isDouble())
        return fail(error, "token without exp");
    if (exp.toDouble() <= double(nowSeconds))
        return fail(error, "token expired");
    const QJsonValue nbf = claims->value(QStringLiteral("nbf"));
    if (!nbf.isUndefined() && (!nbf.isDouble() || nbf.toDouble() > double(nowSeconds)))
        return fail(error, "token not valid yet");
    return claims;
}

QByteArray JwtVerifier::cookie(const QByteArray &cookieHeader, const QByteArray &name)
{
    for (const QByteArray &pair : cookieHeader.split(';')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0 || pair.left(eq).trimmed() != name)
            continue;
        QByteArray value = pair.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return QByteArray::fromPercentEncoding(value);
    }
    return {};
}

} // namespace Reservo
