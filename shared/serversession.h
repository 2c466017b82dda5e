// SPDX-License-Identifier: MIT
#pragma once

#include "socketpacket.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace Reservo {

// The server side of one Engine.IO v4 / Socket.IO v5 connection, independent of the transport:
// frames come in, frames to send and protocol facts go out as signals.
class ServerSession : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int pingInterval = 25000;
        int pingTimeout = 20000;
        qint64 maxPayload = 1000000;
        int connectTimeout = 45000; // close if no namespace is joined by then
        QString sid = {};           // empty: a fresh random one
        QStringList upgrades = {};  // announced in the open packet, e.g. {"websocket"} on polling
        // false: a plain Engine.IO session (no Socket.IO layer): messages come out as
        // messageReceived and no CONNECT is awaited.
        bool socketIo = true;
        // Heartbeat timers are precise, and the first ping comes early by a random part of a
        // quarter interval: coarse timers of many sessions that connected together would fire in
        // one pass and stall deliveries behind thousands of pings. 0: each ping to the
        // millisecond. N > 0: each ping's deadline is rounded up to a multiple of N ms of the
        // monotonic clock, so that the sessions due within one slot ping in one event-loop pass
        // (and one batch per worker thread) instead of waking the process once each; a ping is
        // then up to N ms late.
        int pingSlotMs = 0;
    };

    enum class CloseReason {
        ClientClose,    // Engine.IO close packet from the client
        PingTimeout,    // no pong within pingTimeout
        ParseError,     // a malformed packet
        ConnectTimeout, // no Socket.IO CONNECT in time
        ServerClose,    // the server decided to close
    };
    Q_ENUM(CloseReason)

    explicit ServerSession(const Options &options, QObject *parent = nullptr);

    QString sid() const { return m_sid; }
    bool isOpen() const { return m_state == State::Open; }
    // Milliseconds until the next ping (or the ping timeout, while a pong is awaited); -1 if none.
    int heartbeatRemainingMs() const { return m_heartbeatTimer.remainingTime(); }
    // The delay that puts a ping due in intervalMs on the next multiple of slotMs of the clock
    // (nowMs): at least intervalMs, less than intervalMs + slotMs. slotMs <= 0: intervalMs.
    static int pingDelay(qint64 nowMs, int intervalMs, int slotMs);
    bool isConnected(const QString &nsp) const { return m_namespaces.contains(nsp); }

    void open();
    void handleTextFrame(const QByteArray &frame);
    void handleBinaryFrame(const QByteArray &frame);

    // Replies CONNECT with `extra` plus a fresh `sid` unless extra carries one.
    void acceptConnect(const QString &nsp, const QJsonObject &extra = {});
    void refuseConnect(const QString &nsp, const QString &message);
    void disconnectNamespace(const QString &nsp);
    void emitEvent(const QString &nsp, const QString &event, const QJsonArray &args);
    void ack(const QString &nsp, quint64 ackId, const QJsonArray &args);
    // Sends an already encoded Socket.IO packet (for broadcasts encoded once for many sessions).
    void sendSocketPacket(const QByteArray &encoded);
    // Sends one already encoded Engine.IO text frame, e.g. `42[...]` shared by a whole room.
    void sendFrame(const QByteArray &frame);
    // A BINARY_EVENT / BINARY_ACK: the encoded packet, then its attachments as binary frames.
    void sendBinaryPacket(const QByteArray &encoded, const QList<QByteArray> &attachments);
    // Engine.IO-only sessions: one message packet, text or binary.
    void sendMessage(const QByteArray &data, bool binary);
    void close(CloseReason reason, const QString &detail = QString());

    static QString closeReasonText(CloseReason reason);

signals:
    void frameReady(const QByteArray &frame, bool binary);
    void connectRequested(const QString &nsp, const QJsonValue &auth);
    void namespaceDisconnected(const QString &nsp);
    // ackId is -1 when the client did not ask for an acknowledgement.
    void eventReceived(const QString &nsp, const QString &event, const QJsonArray &args,
                       qint64 ackId, const QList<QByteArray> &attachments);
    void ackReceived(const QString &nsp, quint64 ackId, const QJsonArray &args,
                     const QList<QByteArray> &attachments);
    void closed(Reservo::ServerSession::CloseReason reason, const QString &detail);
    // Engine.IO-only sessions: a message packet's data.
    void messageReceived(const QByteArray &data, bool binary);

private:
    void schedulePing(int intervalMs);
    enum class State { Idle, Open, Closed };
    enum class Heartbeat { WaitingToPing, WaitingForPong };

    void handleHeartbeatTimeout();
    void handleConnectTimeout();
    void handleSocketPacket(const QByteArray &text);
    void dispatch(const SocketIo::Packet &packet, const QList<QByteArray> &attachments);

    Options m_options;
    QString m_sid;
    State m_state = State::Idle;
    Heartbeat m_heartbeat = Heartbeat::WaitingToPing;
    QTimer m_heartbeatTimer;
    QStringList m_namespaces; // one or two: a list is smaller than a set
    std::optional<SocketIo::Packet> m_pendingBinary;
    QList<QByteArray> m_attachments;
    qint64 m_attachmentBytes = 0;
};

QString randomId(int bytes = 15);

} // namespace Reservo
