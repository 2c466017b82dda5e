// SPDX-License-Identifier: MIT
#include "httpexchange.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTest>
#include <algorithm>

namespace Reservo::Test {

namespace {
// The body of a `Transfer-Encoding: chunked` answer (nats-server's monitoring port sends large
// documents so); nullopt until the last chunk has arrived, or if it is malformed.
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

// Sets response's body from what followed its head, checked against the framing so a short or
// overlong read cannot pass; false while more bytes could still complete it.
bool takeBody(HttpResponse &response, const QByteArray &rest, bool closed)
{
    bool hasLength = false;
    const qint64 length = response.header("content-length").toLongLong(&hasLength);
    if (response.header("transfer-encoding").toLower() == "chunked") {
        const std::optional<QByteArray> body = dechunk(rest);
        if (!body && !closed)
            return false;
        response.body = body.value_or(rest);
        if (!body)
            response.error =
                QStringLiteral("malformed chunked body: %1").arg(QString::fromUtf8(rest.left(200)));
        return true;
    }
    if (!closed && (!hasLength || rest.size() < length))
        return false;
    response.body = rest;
    if (!hasLength)
        response.error = QStringLiteral("no Content-Length in the answer");
    else if (rest.size() != length)
        response.error =
            QStringLiteral("body of %1 bytes, Content-Length %2").arg(rest.size()).arg(length);
    return true;
}

// The answer in raw once it is complete; nullopt while more bytes could still complete it.
// closed: the server has closed the connection, none will come.
std::optional<HttpResponse> parseResponse(const QByteArray &raw, bool closed)
{
    HttpResponse response;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0 && !closed)
        return std::nullopt;
    if (headEnd < 0 || !raw.startsWith("HTTP/1.1 ")) {
        response.error = QStringLiteral("not an HTTP/1.1 response: %1").arg(QString::fromUtf8(raw));
        return response;
    }
    response.head = raw.left(headEnd);
    if (!takeBody(response, raw.mid(headEnd + 4), closed))
        return std::nullopt;
    if (response.error.isEmpty())
        response.status = raw.mid(9, 3).toInt();
    return response;
}

bool hasHeader(const HttpExchange::Headers &headers, const QByteArray &name)
{
    return std::any_of(headers.begin(), headers.end(), [&](const auto &header) {
        return header.first.toLower() == name.toLower();
    });
}

HttpResponse failed(const QString &error)
{
    HttpResponse response;
    response.error = error;
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

HttpExchange::HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                           const Headers &headers, const QByteArray &body, QObject *parent)
    : QObject(parent), m_port(port)
{
    m_request = method + ' ' + target + " HTTP/1.1\r\n";
    if (!hasHeader(headers, "Host"))
        m_request += "Host: 127.0.0.1\r\n";
    m_request += "Connection: close\r\n";
    for (const auto &[name, value] : headers)
        m_request += name + ": " + value + "\r\n";
    if (!body.isEmpty() && !hasHeader(headers, "Content-Length"))
        m_request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    m_request += "\r\n" + body;
    connect(&m_socket, &QTcpSocket::connected, this, &HttpExchange::handleConnected);
    connect(&m_socket, &QTcpSocket::bytesWritten, this, &HttpExchange::handleBytesWritten);
    connect(&m_socket, &QTcpSocket::readyRead, this, &HttpExchange::handleReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, &HttpExchange::handleDisconnected);
    connect(&m_socket, &QTcpSocket::errorOccurred, this, &HttpExchange::handleError);
}

HttpExchange::~HttpExchange()
{
    disconnect(&m_socket, nullptr, this, nullptr);
}

void HttpExchange::start()
{
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
}

bool HttpExchange::waitForSent(int timeoutMs)
{
    // The socket's own waits emit connected() and bytesWritten(), which write and mark the request.
    if (m_socket.state() != QAbstractSocket::ConnectedState &&
        !m_socket.waitForConnected(timeoutMs)) {
        finish(failed(QStringLiteral("cannot connect: %1").arg(m_socket.errorString())));
        return false;
    }
    while (!m_sent) {
        if (m_finished || !m_socket.waitForBytesWritten(timeoutMs)) {
            finish(failed(QStringLiteral("cannot write: %1").arg(m_socket.errorString())));
            return false;
        }
    }
    return true;
}

bool HttpExchange::waitForFinished(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return m_finished; }, timeoutMs))
        finish(failed(QStringLiteral("no complete answer within %1 ms").arg(timeoutMs)));
    return m_response.status != 0;
}

void HttpExchange::abort()
{
    finish(failed(QStringLiteral("aborted by the test")));
}

void HttpExchange::handleConnected()
{
    m_socket.write(m_request);
}

void HttpExchange::handleBytesWritten()
{
    m_sent = m_socket.bytesToWrite() == 0;
}

void HttpExchange::handleReadyRead()
{
    if (m_finished)
        return;
    m_raw += m_socket.readAll();
    if (const std::optional<HttpResponse> response = parseResponse(m_raw, false))
        finish(*response);
}

void HttpExchange::handleDisconnected()
{
    if (m_finished)
        return;
    m_raw += m_socket.readAll();
    finish(*parseResponse(m_raw, true));
}

void HttpExchange::handleError(QAbstractSocket::SocketError code)
{
    if (code == QAbstractSocket::RemoteHostClosedError)
        return handleDisconnected();
    finish(failed(m_socket.errorString()));
}

void HttpExchange::finish(const HttpResponse &response)
{
    if (m_finished)
        return;
    m_finished = true;
    m_response = response;
    // A failed exchange reads no further; a complete one leaves the close to the server.
    if (response.status == 0)
        m_socket.abort();
    emit finished();
}

HttpResponse httpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                          const HttpExchange::Headers &headers, const QByteArray &body,
                          int timeoutMs)
{
    HttpExchange exchange(port, method, target, headers, body);
    exchange.start();
    exchange.waitForFinished(timeoutMs);
    return exchange.response();
}

std::optional<QJsonObject> loopbackJson(quint16 port, const QByteArray &target, int timeoutMs,
                                        QString *error)
{
    const HttpResponse response = httpExchange(port, "GET", target, {}, {}, timeoutMs);
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
