// SPDX-License-Identifier: MIT
#include "httpexchange.h"

#include "testhelpers.h"

#include <QHostAddress>
#include <QTest>

namespace Reservo::Test {

namespace {
// The head and body as sent, checked against Content-Length so a short read cannot pass.
HttpResponse parse(const QByteArray &raw)
{
    HttpResponse response;
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.1 ") || headEnd < 0) {
        response.error = QStringLiteral("not an HTTP/1.1 response: %1").arg(QString::fromUtf8(raw));
        return response;
    }
    response.head = raw.left(headEnd);
    response.body = raw.mid(headEnd + 4);
    response.status = raw.mid(9, 3).toInt();
    if (response.header("content-length").toLongLong() != response.body.size())
        response.error = QStringLiteral("body of %1 bytes, Content-Length %2")
                             .arg(response.body.size())
                             .arg(QString::fromLatin1(response.header("content-length")));
    return response;
}
} // namespace

HttpExchange::HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                           const Headers &headers, const QByteArray &body, QObject *parent)
    : QObject(parent)
{
    m_request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto &[name, value] : headers)
        m_request += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        m_request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    m_request += "\r\n" + body;
    connect(&m_socket, &QTcpSocket::connected, this, [this] { m_socket.write(m_request); });
    connect(&m_socket, &QTcpSocket::bytesWritten, this,
            [this] { m_sent = m_socket.bytesToWrite() == 0; });
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] { m_raw += m_socket.readAll(); });
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { finish({}); });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError code) {
        finish(code == QAbstractSocket::RemoteHostClosedError ? QString() : m_socket.errorString());
    });
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

bool HttpExchange::waitForFinished(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return m_finished; }, timeoutMs))
        finish(QStringLiteral("no complete answer within %1 ms").arg(timeoutMs));
    return m_response.status != 0;
}

void HttpExchange::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_socket.isOpen())
        m_raw += m_socket.readAll();
    if (error.isEmpty()) {
        m_response = parse(m_raw);
    } else {
        m_response.error = error;
        m_socket.abort();
    }
    emit finished();
}

HttpResponse httpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                          const HttpExchange::Headers &headers, const QByteArray &body)
{
    HttpExchange exchange(port, method, target, headers, body);
    exchange.waitForFinished(Timeout);
    return exchange.response();
}

} // namespace Reservo::Test
