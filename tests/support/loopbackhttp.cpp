// SPDX-License-Identifier: MIT
#include "loopbackhttp.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTcpSocket>
#include <QTest>

namespace Reservo::Test {

namespace {
// The body of a `Transfer-Encoding: chunked` answer (nats-server's monitoring port sends large
// documents so); nullopt if it is cut short or malformed.
std::optional<QByteArray> dechunk(const QByteArray &chunked)
{
    QByteArray body;
    qsizetype at = 0;
    while (true) {
        const qsizetype lineEnd = chunked.indexOf("\r\n", at);
        bool ok = false;
        const qsizetype size =
            lineEnd < 0 ? -1 : chunked.mid(at, lineEnd - at).split(';').first().toLongLong(&ok, 16);
        if (!ok || size < 0 || lineEnd + 2 + size + 2 > chunked.size())
            return std::nullopt;
        if (size == 0)
            return body;
        body += chunked.mid(lineEnd + 2, size);
        at = lineEnd + 2 + size + 2;
    }
}

HttpResponse parseResponse(const QByteArray &raw)
{
    HttpResponse response;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || headEnd < 0) {
        response.error = QStringLiteral("not an HTTP response: %1").arg(QString::fromUtf8(raw));
        return response;
    }
    response.head = raw.left(headEnd);
    response.body = raw.mid(headEnd + 4);
    response.status = raw.mid(9, 3).toInt();
    if (response.header("transfer-encoding").toLower() == "chunked") {
        const std::optional<QByteArray> body = dechunk(response.body);
        if (!body)
            response.error = QStringLiteral("malformed chunked body: %1")
                                 .arg(QString::fromUtf8(response.body.left(200)));
        response.body = body.value_or(QByteArray());
        return response;
    }
    const QByteArray length = response.header("content-length");
    if (!length.isEmpty() && length.toLongLong() != response.body.size())
        response.error = QStringLiteral("body of %1 bytes, Content-Length %2")
                             .arg(response.body.size())
                             .arg(QString::fromLatin1(length));
    return response;
}
} // namespace

QByteArray HttpResponse::header(const QByteArray &name) const
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0 && lines[i].left(colon).trimmed().toLower() == name.toLower())
            return lines[i].mid(colon + 1).trimmed();
    }
    return {};
}

HttpResponse loopbackHttpRequest(quint16 port, const QByteArray &method, const QByteArray &target,
                                 int timeoutMs)
{
    QTcpSocket socket;
    QByteArray raw;
    QString error;
    bool done = false;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] {
        socket.write(method + ' ' + target +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { done = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket,
                     [&](QAbstractSocket::SocketError code) {
                         if (code != QAbstractSocket::RemoteHostClosedError)
                             error = socket.errorString();
                         done = true;
                     });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        error = QStringLiteral("no complete answer within %1 ms").arg(timeoutMs);
    raw += socket.readAll();
    if (!error.isEmpty()) {
        HttpResponse response;
        response.error = error;
        return response;
    }
    return parseResponse(raw);
}

std::optional<QJsonObject> loopbackJson(quint16 port, const QByteArray &target, int timeoutMs,
                                        QString *error)
{
    const HttpResponse response = loopbackHttpRequest(port, "GET", target, timeoutMs);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (response.status == 200 && document.isObject())
        return document.object();
    if (error)
        *error =
            QStringLiteral("GET %1 on port %2: %3")
                .arg(QString::fromLatin1(target))
                .arg(port)
                .arg(response.status != 200
                         ? QStringLiteral("status %1 %2").arg(response.status).arg(response.error)
                         : parseError.errorString());
    return std::nullopt;
}

} // namespace Reservo::Test
