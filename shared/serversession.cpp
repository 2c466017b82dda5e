// SPDX-License-Identifier: MIT
#include "serversession.h"

#include "enginepacket.h"

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QRandomGenerator>

namespace Reservo {

QString randomId(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    for (int i = bytes - bytes % 4; i < bytes; ++i)
        raw[i] = char(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

ServerSession::ServerSession(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_sid(options.sid.isEmpty() ? randomId() : options.sid)
{
    m_heartbeatTimer.setSingleShot(true);
    m_heartbeatTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ServerSession::handleHeartbeatTimeout);
}

QString ServerSession::closeReasonText(CloseReason reason)
{
    switch (reason) {
    case CloseReason::ClientClose:
        return QStringLiteral("client close");
    case CloseReason::PingTimeout:
        return QStringLiteral("ping timeout");
    case CloseReason::ParseError:
        return QStringLiteral("parse error");
    case CloseReason::ConnectTimeout:
        return QStringLiteral("connect timeout");
    case CloseReason::ServerClose:
        return QStringLiteral("server close");
    }
    return QStringLiteral("unknown");
}

void ServerSession::open()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Open;
    EngineIo::OpenInfo info;
    info.sid = m_sid;
    info.pingInterval = m_options.pingInterval;
    info.pingTimeout = m_options.pingTimeout;
    info.maxPayload = m_options.maxPayload;
    info.upgrades = m_options.upgrades;
    sendFrame(EngineIo::encodeOpen(info));
    m_heartbeat = Heartbeat::WaitingToPing;
    // The first ping comes a little early, by a random part of a quarter interval, so that the
    // pings of sessions opened in the same moment spread out (a ping may always come early).
    const int jitter = int(QRandomGenerator::global()->bounded(m_options.pingInterval / 4 + 1));
    schedulePing(m_options.pingInterval - jitter);
    if (m_options.socketIo)
        QTimer::singleShot(m_options.connectTimeout, this, &ServerSession::handleConnectTimeout);
}

int ServerSession::pingDelay(qint64 nowMs, int intervalMs, int slotMs)
{
    if (slotMs <= 0)
        return intervalMs;
    const qint64 due = nowMs + intervalMs;
    return intervalMs + int((slotMs - due % slotMs) % slotMs);
}

void ServerSession::schedulePing(int intervalMs)
{
    const qint64 now = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    m_heartbeatTimer.start(pingDelay(now, intervalMs, m_options.pingSlotMs));
}

void ServerSession::handleHeartbeatTimeout()
{
    if (m_state != State::Open)
        return;
    if (m_heartbeat == Heartbeat::WaitingForPong) {
        close(CloseReason::PingTimeout);
        return;
    }
    // State first: the transport may deliver the pong before sendFrame returns.
    m_heartbeat = Heartbeat::WaitingForPong;
    m_heartbeatTimer.start(m_options.pingTimeout);
    sendFrame(EngineIo::encode(EngineIo::PacketType::Ping));
}

void ServerSession::handleConnectTimeout()
{
    if (m_state == State::Open && m_namespaces.isEmpty())
        close(CloseReason::ConnectTimeout);
}

void ServerSession::handleTextFrame(const QByteArray &frame)
{
    if (m_state != State::Open)
        return;
    QString error;
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame, &error);
    if (!packet) {
        close(CloseReason::ParseError, error);
        return;
    }
    switch (packet->type) {
    case EngineIo::PacketType::Message:
        if (!m_options.socketIo)
            emit messageReceived(packet->data, false);
        else
            handleSocketPacket(packet->data);
        break;
    case EngineIo::PacketType::Pong:
        if (m_heartbeat == Heartbeat::WaitingForPong) {
            m_heartbeat = Heartbeat::WaitingToPing;
            schedulePing(m_options.pingInterval);
        }
        break;
    case EngineIo::PacketType::Ping: // a probe or an old-style client ping: answer in kind
        sendFrame(EngineIo::encode(EngineIo::PacketType::Pong, packet->data));
        break;
    case EngineIo::PacketType::Close:
        close(CloseReason::ClientClose);
        break;
    case EngineIo::PacketType::Upgrade:
    case EngineIo::PacketType::Noop:
        break;
    case EngineIo::PacketType::Open:
        close(CloseReason::ParseError, QStringLiteral("unexpected open packet"));
        break;
    }
}

void ServerSession::handleBinaryFrame(const QByteArray &frame)
{
    if (m_state != State::Open)
        return;
    if (!m_options.socketIo) {
        emit messageReceived(frame, true);
        return;
    }
    if (!m_pendingBinary) {
        close(CloseReason::ParseError, QStringLiteral("unexpected binary frame"));
        return;
    }
    m_attachments.append(frame);
    m_attachmentBytes += frame.size();
    if (m_attachmentBytes > m_options.maxPayload) { // bound the whole packet, not each frame
        close(CloseReason::ParseError, QStringLiteral("attachments exceed maxPayload"));
        return;
    }
    if (m_attachments.size() < m_pendingBinary->attachments)
        return;
    const SocketIo::Packet packet = *std::exchange(m_pendingBinary, std::nullopt);
    m_attachmentBytes = 0;
    dispatch(packet, std::exchange(m_attachments, {}));
}

void ServerSession::handleSocketPacket(const QByteArray &text)
{
    if (m_pendingBinary) {
        close(CloseReason::ParseError, QStringLiteral("text packet while awaiting attachments"));
        return;
    }
    QString error;
    const std::optional<SocketIo::Packet> packet = SocketIo::decode(text, &error);
    if (!packet) {
        close(CloseReason::ParseError, error);
        return;
    }
    if (packet->attachments > 0) {
        m_pendingBinary = packet;
        return;
    }
    dispatch(*packet, {});
}

void ServerSession::dispatch(const SocketIo::Packet &packet, const QList<QByteArray> &attachments)
{
    using SocketIo::PacketType;
    switch (packet.type) {
    case PacketType::Connect:
        emit connectRequested(packet.nsp, packet.data);
        break;
    case PacketType::Disconnect:
        if (m_namespaces.removeOne(packet.nsp))
            emit namespaceDisconnected(packet.nsp);
        break;
    case PacketType::Event:
    case PacketType::BinaryEvent:
        if (m_namespaces.contains(packet.nsp))
            emit eventReceived(packet.nsp, packet.eventName(), packet.eventArgs(),
                               packet.ackId ? qint64(*packet.ackId) : -1, attachments);
        break;
    case PacketType::Ack:
    case PacketType::BinaryAck:
        if (m_namespaces.contains(packet.nsp) && packet.ackId)
            emit ackReceived(packet.nsp, *packet.ackId, packet.data.toArray(), attachments);
        break;
    case PacketType::ConnectError:
        close(CloseReason::ParseError, QStringLiteral("CONNECT_ERROR from a client"));
        break;
    }
}

void ServerSession::acceptConnect(const QString &nsp, const QJsonObject &extra)
{
    if (m_state != State::Open)
        return;
    if (!m_namespaces.contains(nsp))
        m_namespaces.append(nsp);
    QJsonObject reply = extra;
    if (!reply.value(QStringLiteral("sid")).isString())
        reply.insert(QStringLiteral("sid"), randomId());
    sendSocketPacket(SocketIo::encode({SocketIo::PacketType::Connect, nsp, 0, {}, reply}));
}

void ServerSession::refuseConnect(const QString &nsp, const QString &message)
{
    const QJsonObject payload{{QStringLiteral("message"), message}};
    sendSocketPacket(SocketIo::encode({SocketIo::PacketType::ConnectError, nsp, 0, {}, payload}));
}

void ServerSession::disconnectNamespace(const QString &nsp)
{
    if (!m_namespaces.removeOne(nsp))
        return;
    sendSocketPacket(SocketIo::encode(
        {SocketIo::PacketType::Disconnect, nsp, 0, {}, QJsonValue(QJsonValue::Undefined)}));
}

void ServerSession::emitEvent(const QString &nsp, const QString &event, const QJsonArray &args)
{
    sendSocketPacket(SocketIo::encodeEvent(nsp, event, args));
}

void ServerSession::ack(const QString &nsp, quint64 ackId, const QJsonArray &args)
{
    sendSocketPacket(SocketIo::encodeAck(nsp, ackId, args));
}

void ServerSession::sendSocketPacket(const QByteArray &encoded)
{
    sendFrame(EngineIo::encode(EngineIo::PacketType::Message, encoded));
}

void ServerSession::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Open)
        emit frameReady(frame, false);
}

void ServerSession::sendBinaryPacket(const QByteArray &encoded,
                                     const QList<QByteArray> &attachments)
{
    sendSocketPacket(encoded);
    for (const QByteArray &attachment : attachments)
        sendMessage(attachment, true);
}

void ServerSession::sendMessage(const QByteArray &data, bool binary)
{
    if (m_state != State::Open)
        return;
    if (binary)
        emit frameReady(data, true);
    else
        sendFrame(EngineIo::encode(EngineIo::PacketType::Message, data));
}

void ServerSession::close(CloseReason reason, const QString &detail)
{
    if (m_state == State::Closed)
        return;
    const bool wasOpen = m_state == State::Open;
    if (wasOpen && reason != CloseReason::ClientClose && reason != CloseReason::PingTimeout)
        sendFrame(EngineIo::encode(EngineIo::PacketType::Close));
    m_state = State::Closed;
    m_heartbeatTimer.stop();
    m_namespaces.clear();
    emit closed(reason, detail.isEmpty() ? closeReasonText(reason) : detail);
}

} // namespace Reservo
