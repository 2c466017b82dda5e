// SPDX-License-Identifier: MIT
#include "socketgateway.h"

#include "enginepacket.h"

#include <QTcpSocket>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcWs, "reservo.ws", QtInfoMsg)

namespace Reservo {

namespace {
HttpReply engineError(int status, EngineIo::HandshakeError error)
{
    return {status, "application/json", EngineIo::handshakeErrorBody(error)};
}
} // namespace

SocketGateway::SocketGateway(const Options &options, const ClientSession::Services &services,
                             QObject *parent)
    : QObject(parent), m_options(options), m_services(services),
      m_server(QStringLiteral("reservo-ws"), QWebSocketServer::NonSecureMode)
{
    m_services.counters = &m_counters;
    m_server.setMaxPendingConnections(std::max(1000, options.maxConnections));
    m_server.setHandshakeTimeout(options.handshakeTimeoutMs);
    connect(&m_server, &QWebSocketServer::newConnection, this, &SocketGateway::handleNewConnection);
}

std::optional<HttpReply> SocketGateway::handleRequest(QTcpSocket *socket,
                                                      const HttpRequest &request)
{
    using EngineIo::HandshakeError;
    const auto refuse = [this](int status, HandshakeError error) {
        ++m_counters.refusedHandshakes;
        return engineError(status, error);
    };
    if (request.path != QLatin1String("/socket.io/"))
        return refuse(404, HandshakeError::BadRequest);
    if (request.query.queryItemValue(QStringLiteral("EIO")) !=
        QString::number(EngineIo::ProtocolVersion))
        return refuse(400, HandshakeError::UnsupportedProtocolVersion);
    if (request.query.queryItemValue(QStringLiteral("transport")) != QLatin1String("websocket"))
        return refuse(400, HandshakeError::UnknownTransport);
    if (request.query.hasQueryItem(QStringLiteral("sid")))
        return refuse(400, HandshakeError::UnknownSid);
    if (request.method != "GET")
        return refuse(400, HandshakeError::BadHandshakeMethod);
    if (!request.isWebSocketUpgrade())
        return refuse(400, HandshakeError::BadRequest);
    const QByteArray origin = request.header("origin");
    if (!m_options.allowedOrigins.isEmpty() && !origin.isEmpty() &&
        !m_options.allowedOrigins.contains(QString::fromUtf8(origin))) {
        ++m_counters.refusedOrigins;
        return refuse(403, HandshakeError::Forbidden);
    }
    if (m_closing)
        return HttpReply{503, "application/json", R"({"code":3,"message":"Server shutting down"})"};
    if (connectionCount() >= m_options.maxConnections) {
        ++m_counters.refusedConnections;
        qCWarning(lcWs) << "refusing connection: MAX_CONNECTIONS" << m_options.maxConnections
                        << "reached";
        return HttpReply{503, "application/json",
                         R"({"code":3,"message":"Server at connection limit"})"};
    }
    socket->setParent(nullptr); // QWebSocketServer takes it from here
    m_server.handleConnection(socket);
    return std::nullopt;
}

void SocketGateway::handleNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        ++m_counters.connectionsTotal;
        auto *session =
            new ClientSession(socket, m_options.session, m_options.client, m_services, this);
        m_sessions.insert(session);
        connect(session, &ClientSession::finished, this,
                [this, session] { handleSessionFinished(session); });
    }
}

void SocketGateway::handleSessionFinished(ClientSession *session)
{
    m_sessions.remove(session);
    if (m_closing && m_sessions.isEmpty())
        emit allClosed();
}

void SocketGateway::closeAll()
{
    m_closing = true;
    m_server.close();
    if (m_sessions.isEmpty()) {
        emit allClosed();
        return;
    }
    const QSet<ClientSession *> sessions = m_sessions;
    for (ClientSession *session : sessions)
        session->closeGoingAway();
}

} // namespace Reservo
