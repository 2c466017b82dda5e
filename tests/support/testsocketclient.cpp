// SPDX-License-Identifier: MIT
#include "testsocketclient.h"

#include "testhelpers.h"

#include <QTest>

namespace Reservo::Test {

namespace {
const QString SeatUpdateEvent = QStringLiteral("update-seat-status");
}

TestSocketClient::TestSocketClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            &TestSocketClient::handleTextMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, &TestSocketClient::handleDisconnected);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this] { m_error = m_socket.errorString(); });
}

bool TestSocketClient::open(const QUrl &url)
{
    m_socket.open(url);
    const bool settled =
        QTest::qWaitFor([this] { return m_opened || m_closed || !m_error.isEmpty(); }, Timeout);
    if (!m_opened && m_error.isEmpty())
        m_error = settled ? QStringLiteral("closed before the Engine.IO open packet")
                          : QStringLiteral("no Engine.IO open packet within %1 ms").arg(Timeout);
    return m_opened;
}

bool TestSocketClient::connectTo(const QUrl &url)
{
    if (!open(url))
        return false;
    const std::optional<SocketIo::Packet> reply = connectNamespace();
    if (reply && reply->type == SocketIo::PacketType::Connect)
        return true;
    m_error = QStringLiteral("CONNECT to / not accepted: %1")
                  .arg(QString::fromUtf8(m_frames.value(m_frames.size() - 1)));
    return false;
}

std::optional<SocketIo::Packet> TestSocketClient::connectNamespace(const QString &nsp,
                                                                   const QJsonObject &auth)
{
    SocketIo::Packet connectPacket; // no payload unless there is an auth object
    connectPacket.type = SocketIo::PacketType::Connect;
    connectPacket.nsp = nsp;
    if (!auth.isEmpty())
        connectPacket.data = auth;
    const qsizetype before = m_connectReplies.size();
    sendText(EngineIo::encode(EngineIo::PacketType::Message, SocketIo::encode(connectPacket)));
    const auto reply = [&]() -> std::optional<SocketIo::Packet> {
        for (qsizetype i = before; i < m_connectReplies.size(); ++i) {
            if (m_connectReplies[i].nsp == nsp)
                return m_connectReplies[i];
        }
        return std::nullopt;
    };
    if (!QTest::qWaitFor([&] { return reply() || m_closed; }, Timeout))
        return std::nullopt;
    return reply();
}

std::optional<QJsonArray> TestSocketClient::emitWithAck(const QString &event,
                                                        const QJsonArray &args)
{
    const quint64 ackId = m_nextAckId++;
    sendText(EngineIo::encode(EngineIo::PacketType::Message,
                              SocketIo::encodeEvent(QStringLiteral("/"), event, args, ackId)));
    if (!QTest::qWaitFor([&] { return m_acks.contains(ackId) || m_closed; }, Timeout) ||
        !m_acks.contains(ackId))
        return std::nullopt;
    return m_acks.take(ackId);
}

void TestSocketClient::emitEvent(const QString &event, const QJsonArray &args)
{
    sendText(EngineIo::encode(EngineIo::PacketType::Message,
                              SocketIo::encodeEvent(QStringLiteral("/"), event, args)));
}

bool TestSocketClient::joinEventRoom(const QString &eventId)
{
    const std::optional<QJsonArray> ack = emitWithAck(
        QStringLiteral("join-event-room"), {QJsonObject{{QStringLiteral("eventId"), eventId}}});
    return ack == QJsonArray{QStringLiteral("Conectado a la sala correctamente: ") + eventId};
}

void TestSocketClient::sendText(const QByteArray &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(frame));
}

void TestSocketClient::close()
{
    m_socket.close();
}

bool TestSocketClient::waitForDisconnected()
{
    return QTest::qWaitFor([this] { return m_closed; }, Timeout);
}

void TestSocketClient::handleTextMessage(const QString &text)
{
    const QByteArray frame = text.toUtf8();
    m_frames.append(frame);
    emit frameReceived(frame);
    QString error;
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame, &error);
    if (!packet) {
        m_protocolErrors.append(
            QStringLiteral("bad Engine.IO frame %1: %2").arg(QString::fromUtf8(frame), error));
        return;
    }
    handleEnginePacket(*packet, frame);
}

void TestSocketClient::handleEnginePacket(const EngineIo::Packet &packet, const QByteArray &frame)
{
    switch (packet.type) {
    case EngineIo::PacketType::Open:
        if (const std::optional<EngineIo::OpenInfo> info = EngineIo::decodeOpen(packet.data)) {
            m_openInfo = *info;
            m_opened = true;
        }
        break;
    case EngineIo::PacketType::Ping:
        ++m_pings;
        if (m_autoPong)
            sendText(EngineIo::encode(EngineIo::PacketType::Pong, packet.data));
        break;
    case EngineIo::PacketType::Message: {
        QString error;
        if (const std::optional<SocketIo::Packet> sio = SocketIo::decode(packet.data, &error))
            handleSocketPacket(*sio, frame);
        else
            m_protocolErrors.append(
                QStringLiteral("bad Socket.IO packet %1: %2").arg(QString::fromUtf8(frame), error));
        break;
    }
    default:
        break;
    }
}

void TestSocketClient::handleSocketPacket(const SocketIo::Packet &packet, const QByteArray &frame)
{
    switch (packet.type) {
    case SocketIo::PacketType::Connect:
    case SocketIo::PacketType::ConnectError:
        m_connectReplies.append(packet);
        break;
    case SocketIo::PacketType::Ack:
        if (packet.ackId) {
            m_acks.insert(*packet.ackId, packet.data.toArray());
            m_lastAckFrame = frame;
        }
        break;
    case SocketIo::PacketType::Event:
        m_events.append(packet);
        if (packet.eventName() == SeatUpdateEvent) {
            m_seatUpdateFrames.append(frame);
            m_seatUpdates.append(packet.eventArgs().at(0).toObject());
            emit seatUpdateReceived(m_seatUpdates.last());
        }
        break;
    default:
        break;
    }
}

void TestSocketClient::handleDisconnected()
{
    m_closed = true;
}

} // namespace Reservo::Test
