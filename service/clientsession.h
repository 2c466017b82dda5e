// SPDX-License-Identifier: MIT
#pragma once

#include "roommember.h"
#include "serversession.h"

#include <QObject>

class QWebSocket;

namespace Reservo {

class RoomManager;
struct GatewayCounters;

// One browser (or monitor) connection: its WebSocket, its protocol session and the product's
// events (`join-event-room`, `leave-event-room`); a member of the rooms it joined.
class ClientSession : public QObject, public RoomMember
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxRoomsPerConnection = 100;
    };

    ClientSession(QWebSocket *socket, const ServerSession::Options &options, const Limits &limits,
                  RoomManager *rooms, GatewayCounters *counters, QObject *parent = nullptr);
    ~ClientSession() override;

    void deliver(const QByteArray &frame) override;
    void closeGoingAway();

signals:
    void finished();

private:
    void handleFrame(const QByteArray &frame, bool binary);
    void handleConnectRequest(const QString &nsp, const QJsonValue &auth);
    void handleEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                     qint64 ackId);
    void handleJoin(const QJsonArray &args, qint64 ackId);
    void handleLeave(const QJsonArray &args, qint64 ackId);
    void handleSessionClosed(ServerSession::CloseReason reason, const QString &detail);
    void handleDisconnected();
    void replyError(qint64 ackId, const QString &message);

    QWebSocket *m_socket; // owned (child)
    ServerSession m_session;
    Limits m_limits;
    RoomManager *m_rooms;
    GatewayCounters *m_counters;
    bool m_finished = false;
};

} // namespace Reservo
