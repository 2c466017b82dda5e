// SPDX-License-Identifier: MIT
#include "conformanceserver.h"

#include "socketpacket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QWebSocketProtocol>

namespace Reservo {

namespace {
const QStringList Namespaces{QStringLiteral("/"), QStringLiteral("/custom")};

EngineServer::Options engineOptions(const QString &path, const ConformanceServer::Options &server)
{
    EngineServer::Options options;
    options.path = path;
    options.maxPayload = server.maxPayload;
    options.workerThreads = server.workerThreads;
    return options;
}

// The reply to an event, in binary form when the event carried attachments (they go back in
// order, and the placeholders in args still point at them).
void reply(ServerSession *session, SocketIo::PacketType type, const QString &nsp,
           std::optional<quint64> ackId, const QJsonArray &data, const QList<QByteArray> &binary)
{
    using SocketIo::PacketType;
    if (binary.isEmpty()) {
        session->sendSocketPacket(SocketIo::encode({type, nsp, 0, ackId, data}));
        return;
    }
    const PacketType binaryType =
        type == PacketType::Ack ? PacketType::BinaryAck : PacketType::BinaryEvent;
    session->sendBinaryPacket(SocketIo::encode({binaryType, nsp, int(binary.size()), ackId, data}),
                              binary);
}
} // namespace

ConformanceServer::ConformanceServer(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_frontDoor(HttpFrontDoor::Limits{}),
      m_engineIo(engineOptions(QStringLiteral("/engine.io/"), options)),
      m_socketIo(engineOptions(QStringLiteral("/socket.io/"), options))
{
    m_frontDoor.setSocketHandler(m_engineIo.options().path,
                                 [this](QTcpSocket *socket, const HttpRequest &request) {
                                     return m_engineIo.handleRequest(socket, request);
                                 });
    m_frontDoor.setSocketHandler(m_socketIo.options().path,
                                 [this](QTcpSocket *socket, const HttpRequest &request) {
                                     return m_socketIo.handleRequest(socket, request);
                                 });
    connect(&m_engineIo, &EngineServer::newConnection, this,
            &ConformanceServer::handleEngineConnection);
    connect(&m_socketIo, &EngineServer::newConnection, this,
            &ConformanceServer::handleSocketConnection);
}

bool ConformanceServer::listen(const QHostAddress &address, quint16 port)
{
    return m_frontDoor.listen(address, port);
}

// The session lives as a child of its connection; both go when the transport is gone.
ServerSession *ConformanceServer::attachSession(EngineConnection *connection, bool socketIo)
{
    ServerSession::Options options;
    options.pingInterval = m_options.pingInterval;
    options.pingTimeout = m_options.pingTimeout;
    options.maxPayload = m_options.maxPayload;
    options.sid = connection->sid();
    options.upgrades = connection->upgrades();
    options.socketIo = socketIo;
    options.pingSlotMs = 0; // the suites poll right at pingInterval + pingTimeout
    auto *session = new ServerSession(options, connection);
    connect(connection, &EngineConnection::frameReceived, session,
            [session](const QByteArray &frame, bool binary) {
                if (binary)
                    session->handleBinaryFrame(frame);
                else
                    session->handleTextFrame(frame);
            });
    connect(connection, &EngineConnection::malformed, session, [session](const QString &why) {
        session->close(ServerSession::CloseReason::ParseError, why);
    });
    connect(connection, &EngineConnection::disconnected, connection, [connection, session] {
        session->close(ServerSession::CloseReason::ClientClose);
        connection->deleteLater();
    });
    connect(session, &ServerSession::frameReady, connection, &EngineConnection::send);
    connect(session, &ServerSession::closed, connection,
            [connection](ServerSession::CloseReason reason, const QString &detail) {
                const bool error = reason == ServerSession::CloseReason::ParseError;
                connection->close(error ? QWebSocketProtocol::CloseCodeProtocolError
                                        : QWebSocketProtocol::CloseCodeNormal,
                                  detail);
            });
    return session;
}

void ConformanceServer::handleEngineConnection(EngineConnection *connection)
{
    ServerSession *session = attachSession(connection, false);
    connect(session, &ServerSession::messageReceived, session,
            [session](const QByteArray &data, bool binary) { session->sendMessage(data, binary); });
    session->open();
}

void ConformanceServer::handleSocketConnection(EngineConnection *connection)
{
    ServerSession *session = attachSession(connection, true);
    connect(session, &ServerSession::connectRequested, this,
            [this, session](const QString &nsp, const QJsonValue &auth) {
                handleConnectRequest(session, nsp, auth);
            });
    connect(session, &ServerSession::eventReceived, this,
            [this, session](const QString &nsp, const QString &event, const QJsonArray &args,
                            qint64 ackId, const QList<QByteArray> &attachments) {
                handleEvent(session, nsp, event, args, ackId, attachments);
            });
    session->open();
}

void ConformanceServer::handleConnectRequest(ServerSession *session, const QString &nsp,
                                             const QJsonValue &auth)
{
    if (!Namespaces.contains(nsp)) {
        session->refuseConnect(nsp, QStringLiteral("Invalid namespace"));
        return;
    }
    if (session->isConnected(nsp))
        return;
    session->acceptConnect(nsp);
    session->emitEvent(nsp, QStringLiteral("auth"), {auth.isObject() ? auth : QJsonObject()});
}

void ConformanceServer::handleEvent(ServerSession *session, const QString &nsp,
                                    const QString &event, const QJsonArray &args, qint64 ackId,
                                    const QList<QByteArray> &attachments)
{
    using SocketIo::PacketType;
    if (event == QLatin1String("message")) {
        QJsonArray data = args;
        data.prepend(QStringLiteral("message-back"));
        reply(session, PacketType::Event, nsp, std::nullopt, data, attachments);
    } else if (event == QLatin1String("message-with-ack") && ackId >= 0) {
        reply(session, PacketType::Ack, nsp, quint64(ackId), args, attachments);
    }
}

} // namespace Reservo
