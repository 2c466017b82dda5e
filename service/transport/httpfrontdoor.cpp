// SPDX-License-Identifier: MIT
#include "httpfrontdoor.h"

#include <QTcpSocket>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHttp, "reservo.http", QtInfoMsg)

namespace Reservo {

HttpFrontDoor::HttpFrontDoor(const Limits &limits, QObject *parent)
    : QObject(parent), m_limits(limits)
{
    m_server.setMaxPendingConnections(10000);
    m_server.setListenBacklogSize(4096); // Qt's default of 50 drops connects during a rush
    connect(&m_server, &QTcpServer::pendingConnectionAvailable, this,
            &HttpFrontDoor::handleNewConnections);
}

void HttpFrontDoor::setSocketHandler(const QString &pathPrefix, SocketHandler handler)
{
    m_socketHandlers.append({pathPrefix, std::move(handler)});
}

void HttpFrontDoor::setHandler(const QString &path, Handler handler)
{
    m_handlers.insert(path, std::move(handler));
}

bool HttpFrontDoor::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port))
        return false;
    qCInfo(lcHttp).noquote() << "listening on" << address.toString() << "port" << port
                             << "(WebSocket and HTTP)";
    return true;
}

void HttpFrontDoor::handleNewConnections()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto *timer = new QTimer(socket);
        timer->setObjectName(QStringLiteral("reservoHeadTimer"));
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, socket,
                [this, socket] { refuse(socket, 408, QStringLiteral("request head timeout")); });
        timer->start(m_limits.headTimeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handleReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void HttpFrontDoor::handleReadyRead(QTcpSocket *socket)
{
    const QByteArray data = socket->peek(m_limits.maxHeadBytes + 1);
    const qsizetype headLength = HttpRequest::headLength(data);
    if (headLength < 0)
        return refuse(socket, 400, QStringLiteral("not an HTTP request"));
    if (headLength == 0) {
        if (data.size() > m_limits.maxHeadBytes)
            refuse(socket, 431, QStringLiteral("request head too large"));
        return;
    }
    QString error;
    const std::optional<HttpRequest> request = HttpRequest::parse(data.first(headLength), &error);
    if (!request)
        return refuse(socket, 400, error);
    route(socket, *request);
}

void HttpFrontDoor::route(QTcpSocket *socket, const HttpRequest &request)
{
    for (const auto &[prefix, handler] : std::as_const(m_socketHandlers)) {
        if (!request.path.startsWith(prefix))
            continue;
        // The handler may take the socket: it must then own every connection to it.
        disconnect(socket, nullptr, this, nullptr);
        disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        delete socket->findChild<QTimer *>(QStringLiteral("reservoHeadTimer"));
        const std::optional<HttpReply> answer = handler(socket, request);
        if (answer) {
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            reply(socket, *answer);
        }
        return;
    }
    socket->skip(socket->bytesAvailable());
    const auto it = m_handlers.constFind(request.path);
    if (it == m_handlers.cend())
        return refuse(socket, 404, QStringLiteral("no such path"));
    if (request.method != "GET" && request.method != "HEAD")
        return refuse(socket, 405, QStringLiteral("only GET is supported here"));
    HttpReply answer = (*it)(request);
    if (request.method == "HEAD")
        answer.body.clear();
    reply(socket, answer);
}

void HttpFrontDoor::reply(QTcpSocket *socket, const HttpReply &answer)
{
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    delete socket->findChild<QTimer *>(QStringLiteral("reservoHeadTimer"));
    socket->write(httpResponse(answer.status, answer.contentType, answer.body, answer.headers));
    socket->disconnectFromHost();
}

void HttpFrontDoor::refuse(QTcpSocket *socket, int status, const QString &why)
{
    ++m_badRequests;
    qCDebug(lcHttp) << "refusing request from" << socket->peerAddress() << status << why;
    const QByteArray body =
        QByteArray(R"({"error":")") + why.toUtf8().replace('"', '\'') + QByteArray(R"("})");
    reply(socket, {status, "application/json", body});
}

} // namespace Reservo
