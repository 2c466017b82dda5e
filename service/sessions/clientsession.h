// SPDX-License-Identifier: MIT
#pragma once

#include "outbox.h"
#include "roommember.h"
#include "serversession.h"

#include <QElapsedTimer>
#include <QObject>

namespace Reservo {

class EngineConnection;
class EventsClient;
class JwtVerifier;
class RecoveryStore;
class RoomManager;
struct GatewayCounters;

// One browser (or monitor) connection: its WebSocket, its protocol session and the product's
// events (join, leave, list, recovery); a member of the rooms it joined.
class ClientSession : public QObject, public RoomMember
{
    Q_OBJECT
public:
    struct Limits
    {
        int maxRoomsPerConnection = 100;
        int joinRate = 20;                        // joins per second, also the burst
        qint64 slowClientBuffer = 256 * 1024;     // beyond this, seat updates are superseded
        qint64 maxClientBuffer = 8 * 1024 * 1024; // beyond this, the client is disconnected
    };
    // The shared parts a session works with (all on the same thread, all outlive it).
    struct Services
    {
        RoomManager *rooms = nullptr;
        EventsClient *events = nullptr;
        RecoveryStore *recovery = nullptr;
        const JwtVerifier *jwt = nullptr;
        GatewayCounters *counters = nullptr;
    };

    // Takes ownership of connection.
    ClientSession(EngineConnection *connection, const ServerSession::Options &options,
                  const Limits &limits, const Services &services, QObject *parent = nullptr);
    ~ClientSession() override;

    void deliver(const QByteArray &frame, const QString &supersedeKey = QString()) override;
    void closeGoingAway();

signals:
    void finished();

private:
    void handleFrame(const QByteArray &frame, bool binary);
    void handleConnectRequest(const QString &nsp, const QJsonValue &auth);
    bool authenticate(const QJsonObject &auth, QString &reason) const;
    bool takeJoinToken();
    void handleBytesWritten();
    bool tryRecover(const QJsonObject &auth);
    void handleEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                     qint64 ackId);
    void handleJoin(const QJsonArray &args, qint64 ackId);
    void handleLeave(const QJsonArray &args, qint64 ackId);
    void handleListEvents(qint64 ackId);
    void handleSessionClosed(ServerSession::CloseReason reason, const QString &detail);
    void handleDisconnected();
    void replyError(qint64 ackId, const QString &message);
    void ack(qint64 ackId, const QJsonValue &value);

    EngineConnection *m_connection; // owned (child)
    ServerSession m_session;
    Limits m_limits;
    Services m_services;
    QString m_socketId; // the Socket.IO sid of namespace "/"
    QString m_pid;      // the recovery id, empty until CONNECT
    bool m_explicitDisconnect = false;
    Outbox m_outbox;
    double m_joinTokens = 0;
    QElapsedTimer m_joinClock;
    bool m_finished = false;
};

} // namespace Reservo
