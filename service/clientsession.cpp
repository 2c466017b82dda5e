// SPDX-License-Identifier: MIT
#include "clientsession.h"

#include "natswire.h"
#include "roommanager.h"
#include "socketgateway.h"

#include <QJsonObject>
#include <QWebSocket>

namespace Reservo {

namespace {
const QString RootNamespace = QStringLiteral("/");

// The only validation the original did not do, and the reason an ack can carry an error.
std::optional<QString> eventIdFrom(const QJsonArray &args, QString &error)
{
    const QJsonValue id = args.first().toObject().value(QStringLiteral("eventId"));
    if (!args.first().isObject() || id.isUndefined())
        error = QStringLiteral("eventId is required");
    else if (!id.isString() || id.toString().isEmpty())
        error = QStringLiteral("eventId must be a non-empty string");
    else if (!NatsWire::isValidId(id))
        error = QStringLiteral("eventId must be at most %1 characters").arg(NatsWire::MaxIdLength);
    else
        return id.toString();
    return std::nullopt;
}
} // namespace

ClientSession::ClientSession(QWebSocket *socket, const ServerSession::Options &options,
                             const Limits &limits, RoomManager *rooms, GatewayCounters *counters,
                             QObject *parent)
    : QObject(parent), m_socket(socket), m_session(options), m_limits(limits), m_rooms(rooms),
      m_counters(counters)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(options.maxPayload));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(options.maxPayload));
    connect(m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_session.handleTextFrame(text.toUtf8()); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, &m_session,
            &ServerSession::handleBinaryFrame);
    connect(m_socket, &QWebSocket::disconnected, this, &ClientSession::handleDisconnected);
    connect(&m_session, &ServerSession::frameReady, this, &ClientSession::handleFrame);
    connect(&m_session, &ServerSession::connectRequested, this,
            &ClientSession::handleConnectRequest);
    connect(&m_session, &ServerSession::eventReceived, this, &ClientSession::handleEvent);
    connect(&m_session, &ServerSession::closed, this, &ClientSession::handleSessionClosed);
    m_session.open();
}

ClientSession::~ClientSession()
{
    m_rooms->leaveAll(this);
}

void ClientSession::deliver(const QByteArray &frame)
{
    if (m_session.isOpen())
        handleFrame(frame, false);
    ++m_counters->messagesOut;
}

void ClientSession::handleFrame(const QByteArray &frame, bool binary)
{
    if (binary)
        m_socket->sendBinaryMessage(frame);
    else
        m_socket->sendTextMessage(QString::fromUtf8(frame));
}

void ClientSession::handleConnectRequest(const QString &nsp, const QJsonValue &)
{
    if (nsp != RootNamespace) {
        ++m_counters->refusedNamespaces;
        m_session.refuseConnect(nsp, QStringLiteral("Invalid namespace"));
        return;
    }
    m_session.acceptConnect(nsp);
}

void ClientSession::handleEvent(const QString &, const QString &event, const QJsonArray &args,
                                qint64 ackId)
{
    ++m_counters->messagesIn;
    if (event == QLatin1String("join-event-room"))
        handleJoin(args, ackId);
    else if (event == QLatin1String("leave-event-room"))
        handleLeave(args, ackId);
    else
        ++m_counters->unknownEvents;
}

void ClientSession::handleJoin(const QJsonArray &args, qint64 ackId)
{
    QString error;
    const std::optional<QString> eventId = eventIdFrom(args, error);
    if (!eventId) {
        ++m_counters->invalidJoins;
        return replyError(ackId, error);
    }
    if (m_rooms->roomsOf(this) >= m_limits.maxRoomsPerConnection) {
        ++m_counters->invalidJoins;
        return replyError(ackId, QStringLiteral("too many rooms for one connection (limit %1)")
                                     .arg(m_limits.maxRoomsPerConnection));
    }
    m_rooms->join(*eventId, this);
    if (ackId >= 0)
        m_session.ack(RootNamespace, quint64(ackId),
                      {QStringLiteral("Conectado a la sala correctamente: %1").arg(*eventId)});
}

void ClientSession::handleLeave(const QJsonArray &args, qint64 ackId)
{
    QString error;
    const std::optional<QString> eventId = eventIdFrom(args, error);
    if (!eventId)
        return replyError(ackId, error);
    m_rooms->leave(*eventId, this);
    if (ackId >= 0)
        m_session.ack(RootNamespace, quint64(ackId), {QJsonObject{{QStringLiteral("ok"), true}}});
}

void ClientSession::replyError(qint64 ackId, const QString &message)
{
    if (ackId >= 0)
        m_session.ack(RootNamespace, quint64(ackId),
                      {QJsonObject{{QStringLiteral("error"), message}}});
}

void ClientSession::handleSessionClosed(ServerSession::CloseReason reason, const QString &detail)
{
    using Reason = ServerSession::CloseReason;
    if (reason == Reason::ParseError)
        ++m_counters->malformedPackets;
    qCDebug(lcWs) << "closing" << m_session.sid() << detail;
    m_rooms->leaveAll(this);
    const auto code = reason == Reason::ParseError    ? QWebSocketProtocol::CloseCodeProtocolError
                      : reason == Reason::ServerClose ? QWebSocketProtocol::CloseCodeGoingAway
                                                      : QWebSocketProtocol::CloseCodeNormal;
    m_socket->close(code, detail.left(120));
}

void ClientSession::closeGoingAway()
{
    m_session.close(ServerSession::CloseReason::ServerClose,
                    QStringLiteral("server shutting down"));
}

void ClientSession::handleDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_session.close(ServerSession::CloseReason::ClientClose);
    m_rooms->leaveAll(this);
    emit finished();
    deleteLater();
}

} // namespace Reservo
