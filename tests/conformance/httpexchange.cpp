// SPDX-License-Identifier: MIT
#include "httpexchange.h"

#include <QHostAddress>
#include <QTest>

namespace Reservo::Conformance {

HttpExchange::HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                           const QByteArray &body, QObject *parent)
    : QObject(parent), m_port(port)
{
    m_request = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                "\r\nAccept: */*\r\nConnection: close\r\n";
    if (method != "GET") // what fetch() sends: a length even for an empty body
        m_request += "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n";
    m_request += "\r\n" + body;
    connect(&m_socket, &QTcpSocket::readyRead, this, &HttpExchange::handleReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        handleReadyRead();
        finish(QStringLiteral("connection closed before a complete answer"));
    });
}

bool HttpExchange::start()
{
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    if (!m_socket.waitForConnected(Timeout)) {
        finish(QStringLiteral("cannot connect: %1").arg(m_socket.errorString()));
        return false;
    }
    m_socket.write(m_request);
    // On the wire before start() returns, so requests started in order reach the server in order.
    if (!m_socket.waitForBytesWritten(Timeout)) {
        finish(QStringLiteral("cannot write: %1").arg(m_socket.errorString()));
        return false;
    }
    return true;
}

bool HttpExchange::waitForFinished(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_finished; }, timeoutMs);
}

void HttpExchange::abort()
{
    m_finished = true;
    m_socket.abort();
}

HttpResponse HttpExchange::run(quint16 port, const QByteArray &method, const QByteArray &target,
                               const QByteArray &body)
{
    HttpExchange exchange(port, method, target, body);
    if (exchange.start() && !exchange.waitForFinished())
        exchange.m_response.error = QStringLiteral("no answer within %1 ms").arg(Timeout);
    return exchange.response();
}

void HttpExchange::handleReadyRead()
{
    if (m_finished)
        return;
    m_received += m_socket.readAll();
    if (m_headSize == 0 && !parseHead())
        return;
    if (m_contentLength >= 0 && m_received.size() - m_headSize >= m_contentLength) {
        m_response.body = m_received.mid(m_headSize, m_contentLength);
        finish();
    }
}

bool HttpExchange::parseHead()
{
    const qsizetype end = m_received.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_received.left(end).split('\n');
    if (!lines.first().startsWith("HTTP/1.1 ")) {
        finish(QStringLiteral("not an HTTP/1.1 status line: %1").arg(lines.first()));
        return false;
    }
    m_headSize = end + 4;
    m_response.status = lines.first().mid(9, 3).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            m_response.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                      lines[i].mid(colon + 1).trimmed());
    }
    bool ok = false;
    m_contentLength = m_response.header("content-length").toLongLong(&ok);
    if (!ok) {
        finish(QStringLiteral("no Content-Length in the answer"));
        return false;
    }
    return true;
}

void HttpExchange::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!error.isEmpty()) {
        m_response.status = 0;
        m_response.error = error;
    }
    emit finished();
}

} // namespace Reservo::Conformance
