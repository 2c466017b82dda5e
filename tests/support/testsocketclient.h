// SPDX-License-Identifier: MIT
#pragma once

#include "enginepacket.h"
#include "socketpacket.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>
#include <optional>

namespace Reservo::Test {

// A Socket.IO v5 client over a real WebSocket, built on the shared codec: it speaks the protocol
// step by step, records every frame it receives in order and answers pings unless told not to.
class TestSocketClient : public QObject
{
    Q_OBJECT
public:
    explicit TestSocketClient(QObject *parent = nullptr);

    // Opens the WebSocket and waits for the Engine.IO open packet.
    bool open(const QUrl &url);
    // open() then a CONNECT to namespace `/`: a client ready to join rooms.
    bool connectTo(const QUrl &url);
    // Sends CONNECT (with auth when not empty); the CONNECT or CONNECT_ERROR answer, if any came.
    std::optional<SocketIo::Packet> connectNamespace(const QString &nsp = QStringLiteral("/"),
                                                     const QJsonObject &auth = {});
    // Sends an EVENT with a fresh ack id; the ACK's arguments, or nullopt if none came.
    std::optional<QJsonArray> emitWithAck(const QString &event, const QJsonArray &args);
    void emitEvent(const QString &event, const QJsonArray &args);
    // `join-event-room` that succeeded with the original's exact acknowledgement text.
    bool joinEventRoom(const QString &eventId);
    void sendText(const QByteArray &frame);
    void close();
    bool waitForDisconnected();

    void setAutoPong(bool enabled) { m_autoPong = enabled; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    bool wasClosed() const { return m_closed; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    QString errorString() const { return m_error; }
    // Frames from the server that the shared codec could not decode: empty for a correct server.
    QStringList protocolErrors() const { return m_protocolErrors; }

    const EngineIo::OpenInfo &openInfo() const { return m_openInfo; }
    int pingCount() const { return m_pings; }
    QList<QByteArray> frames() const { return m_frames; }
    QList<SocketIo::Packet> events() const { return m_events; }
    // The frames of every `update-seat-status` event, in the order they arrived.
    QList<QByteArray> seatUpdateFrames() const { return m_seatUpdateFrames; }
    // The first argument of every `update-seat-status` event, in the order they arrived.
    QList<QJsonObject> seatUpdates() const { return m_seatUpdates; }
    QByteArray lastAckFrame() const { return m_lastAckFrame; }

signals:
    void frameReceived(const QByteArray &frame);
    void seatUpdateReceived(const QJsonObject &update);

private:
    void handleTextMessage(const QString &text);
    void handleEnginePacket(const EngineIo::Packet &packet, const QByteArray &frame);
    void handleSocketPacket(const SocketIo::Packet &packet, const QByteArray &frame);
    void handleDisconnected();

    QWebSocket m_socket;
    bool m_autoPong = true;
    bool m_opened = false;
    bool m_closed = false;
    QString m_error;
    QStringList m_protocolErrors;
    EngineIo::OpenInfo m_openInfo;
    int m_pings = 0;
    quint64 m_nextAckId = 0;
    QHash<quint64, QJsonArray> m_acks;
    QList<SocketIo::Packet> m_connectReplies;
    QList<QByteArray> m_frames;
    QList<SocketIo::Packet> m_events;
    QList<QByteArray> m_seatUpdateFrames;
    QList<QJsonObject> m_seatUpdates;
    QByteArray m_lastAckFrame;
};

} // namespace Reservo::Test
