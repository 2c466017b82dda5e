// SPDX-License-Identifier: MIT
#include "httprequest.h"

#include <QUrl>

namespace Reservo {

namespace {

bool fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

bool isToken(QByteArrayView text)
{
    static const QByteArrayView separators("()<>@,;:\\\"/[]?={} \t");
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (c <= 32 || c >= 127 || separators.contains(c))
            return false;
    }
    return true;
}

bool parseRequestLine(QByteArrayView line, HttpRequest &request, QString *error)
{
    const QList<QByteArray> parts = line.toByteArray().split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty())
        return fail(error, QStringLiteral("malformed request line"));
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0")
        return fail(error, QStringLiteral("unsupported HTTP version"));
    request.method = parts[0];
    request.target = parts[1];
    request.version = parts[2];
    if (!request.target.startsWith('/'))
        return fail(error, QStringLiteral("request target must be an absolute path"));
    const QUrl url = QUrl::fromEncoded(request.target, QUrl::StrictMode);
    if (!url.isValid())
        return fail(error, QStringLiteral("malformed request target"));
    request.path = url.path();
    request.query = QUrlQuery(url.query());
    return true;
}

} // namespace

bool HttpRequest::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket" &&
           header("connection").toLower().contains("upgrade");
}

qsizetype HttpRequest::headLength(QByteArrayView data)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end >= 0)
        return end + 4;
    // Anything that does not even start like a request line is rejected at once.
    for (qsizetype i = 0; i < data.size() && data[i] != ' '; ++i) {
        if (data[i] < 'A' || data[i] > 'Z')
            return -1;
    }
    return 0;
}

std::optional<HttpRequest> HttpRequest::parse(QByteArrayView head, QString *error)
{
    HttpRequest request;
    request.headSize = head.size();
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    if (lines.isEmpty() || !lines.first().endsWith('\r')) {
        fail(error, QStringLiteral("malformed request head"));
        return std::nullopt;
    }
    if (!parseRequestLine(QByteArrayView(lines.first()).chopped(1), request, error))
        return std::nullopt;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.isEmpty() || line == "\r")
            continue;
        if (!line.endsWith('\r')) {
            fail(error, QStringLiteral("header line without CRLF"));
            return std::nullopt;
        }
        line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(QByteArrayView(line).first(colon))) {
            fail(error, QStringLiteral("malformed header line"));
            return std::nullopt;
        }
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        QByteArray &slot = request.headers[name];
        if (!value.isEmpty())
            slot = slot.isEmpty() ? value : slot + ", " + value;
    }
    return request;
}

QByteArray httpResponse(int status, const QByteArray &contentType, const QByteArray &body,
                        const QList<std::pair<QByteArray, QByteArray>> &extraHeaders)
{
    static const QMap<int, QByteArray> reasons{
        {200, "OK"},
        {400, "Bad Request"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {204, "No Content"},
        {408, "Request Timeout"},
        {411, "Length Required"},
        {413, "Content Too Large"},
        {431, "Request Header Fields Too Large"},
        {503, "Service Unavailable"},
    };
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' +
                     reasons.value(status, "Error") + "\r\nContent-Type: " + contentType +
                     "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto &[name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    return out + "\r\n" + body;
}

} // namespace Reservo
