// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <optional>

namespace Reservo {

// Checks HS256 JSON Web Tokens against one shared secret: the algorithm must be HS256 (never
// `none`), the signature must match, `exp` must be present and in the future, `nbf` if present
// in the past.
class JwtVerifier
{
public:
    explicit JwtVerifier(const QByteArray &secret) : m_secret(secret) {}
    bool isEnabled() const { return !m_secret.isEmpty(); }

    // The claims, or nullopt with the reason in `error`.
    std::optional<QJsonObject> verify(const QByteArray &token, qint64 nowSeconds,
                                      QString *error) const;

    // The value of `name` in a Cookie header, or an empty array.
    static QByteArray cookie(const QByteArray &cookieHeader, const QByteArray &name);

private:
    QByteArray m_secret;
};

} // namespace Reservo
