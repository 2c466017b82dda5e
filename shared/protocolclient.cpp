// SPDX-License-Identifier: MIT
#include "protocolclient.h"

#include "socketpacket.h"

namespace Reservo {

ProtocolClient::ProtocolClient(QObject *parent) : QObject(parent)
{
    m_silenceTimer.setSingleShot(true);
    connect(&m_silenceTimer, &QTimer::timeout, this, &ProtocolClient::handleSilence);
}

void ProtocolClient::reset()
{
    m_open = false;
    m_openInfo = {};
    m_silenceTimer.stop();
}

void ProtocolClient::handleTextFrame(const QByteArray &frame)
{
    QString error;
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame, &error);
    if (!packet)
        return fail(error);
    switch (packet->type) {
    case EngineIo::PacketType::Open: {
        const std::optional<EngineIo::OpenInfo> info = EngineIo::decodeOpen(packet->data, &error);
        if (!info)
            return fail(error);
        m_open = true;
        m_openInfo = *info;
        m_silenceTimer.start(info->pingInterval + info->pingTimeout);
        emit opened(*info);
        break;
    }
    case EngineIo::PacketType::Ping:
        m_silenceTimer.start(m_openInfo.pingInterval + m_openInfo.pingTimeout);
        emit frameReady(EngineIo::encode(EngineIo::PacketType::Pong, packet->data));
        break;
    case EngineIo::PacketType::Message:
        handleSocketPacket(packet->data);
        break;
    case EngineIo::PacketType::Close:
        fail(QStringLiteral("server closed the session"));
        break;
    case EngineIo::PacketType::Pong:
    case EngineIo::PacketType::Upgrade:
    case EngineIo::PacketType::Noop:
        break;
    }
}

void ProtocolClient::handleSocketPacket(const QByteArray &text)
{
    QString error;
    const std::optional<SocketIo::Packet> p = SocketIo::decode(text, &error);
    if (!p)
        return fail(error);
    switch (p->type) {
    case SocketIo::PacketType::Connect:
        emit namespaceConnected(p->nsp, p->data.toObject());
        break;
    case SocketIo::PacketType::ConnectError: {
        const QJsonValue message =
            p->data.isObject() ? p->data.toObject().value("message") : p->data;
        emit namespaceRefused(p->nsp, message.toString());
        break;
    }
    case SocketIo::PacketType::Disconnect:
        emit namespaceDisconnected(p->nsp);
        break;
    case SocketIo::PacketType::Event:
    case SocketIo::PacketType::BinaryEvent:
        emit eventReceived(p->nsp, p->eventName(), p->eventArgs());
        break;
    case SocketIo::PacketType::Ack:
    case SocketIo::PacketType::BinaryAck:
        if (p->ackId)
            emit ackReceived(p->nsp, *p->ackId, p->data.toArray());
        break;
    }
}

void ProtocolClient::connectNamespace(const QString &nsp, const QJsonObject &auth)
{
    SocketIo::Packet p{SocketIo::PacketType::Connect, nsp, 0, {}, QJsonValue::Undefined};
    if (!auth.isEmpty())
        p.data = auth;
    emit frameReady(EngineIo::encode(EngineIo::PacketType::Message, SocketIo::encode(p)));
}

qint64 ProtocolClient::emitEvent(const QString &event, const QJsonArray &args, bool wantAck,
                                 const QString &nsp)
{
    std::optional<quint64> ackId;
    if (wantAck)
        ackId = m_nextAckId++;
    emit frameReady(EngineIo::encode(EngineIo::PacketType::Message,
                                     SocketIo::encodeEvent(nsp, event, args, ackId)));
    return ackId ? qint64(*ackId) : -1;
}

void ProtocolClient::handleSilence()
{
    fail(QStringLiteral("no ping from the server within pingInterval + pingTimeout"));
}

void ProtocolClient::fail(const QString &reason)
{
    m_open = false;
    m_silenceTimer.stop();
    emit failed(reason);
}

} // namespace Reservo
