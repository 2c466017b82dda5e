// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QUrlQuery>
#include <optional>

namespace Reservo {

// A parsed HTTP/1.x request head (request line and headers, no body).
struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QString path;
    QUrlQuery query;
    QByteArray version;
    QMap<QByteArray, QByteArray> headers; // names lower-cased; repeated headers joined by ", "
    qsizetype headSize = 0;               // bytes of the head, blank line included

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    bool isWebSocketUpgrade() const;

    // Length of the head including the blank line, 0 if incomplete, -1 if `data` cannot be one.
    static qsizetype headLength(QByteArrayView data);
    static std::optional<HttpRequest> parse(QByteArrayView head, QString *error = nullptr);
};

QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        const QList<std::pair<QByteArray, QByteArray>> &extraHeaders = {});

} // namespace Reservo
