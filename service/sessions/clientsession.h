// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"
#include "outbox.h"
#include "roommanager.h"
#include "roommember.h"
#include "serversession.h"

#include <QElapsedTimer>
#include <QObject>
#include <functional>
#include <optional>

namespace Reservo {

class EngineConnection;
class JwtVerifier;
class RecoveryStore;
struct JoinMessage;
struct SessionCounters;

// One browser (or monitor) connection: its Engine.IO connection (WebSocket or long-polling), its
// protocol session and the product's events (join, leave, list, recovery); a member of the rooms
// it joined.
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
        int maxUnknownJoins = 20; // joins of unknown events beyond this close the connection
    };
    // `list-events`: the events service's upcoming events, or nullopt and why not.
    using UpcomingHandler = std::function<void(
        const std::optional<QList<NatsWire::EventSummary>> &events, const QString &error)>;
    // The shared parts a session works with (all on the same thread, all outlive it).
    struct Services
    {
        RoomManager *rooms = nullptr;
        RecoveryStore *recovery = nullptr;
        const JwtVerifier *jwt = nullptr;
        std::function<void(UpcomingHandler)> listUpcomingEvents;
        // Whether the events service said lately that it does not know the event.
        std::function<bool(const QString &eventId)> isUnknownEvent;
    };

    // Takes ownership of connection; counts what the client does in counters.
    ClientSession(EngineConnection *connection, const ServerSession::Options &options,
                  const Limits &limits, const Services &services, SessionCounters *counters,
                  QObject *parent = nullptr);
    ~ClientSession() override;

    void deliver(const QByteArray &frame, const QString &supersedeKey = QString()) override;
    void eventUnknown(const QString &eventId) override;
    void closeGoingAway();

signals:
    void finished();

private:
    void sendFrame(const QByteArray &frame, bool binary);
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
    void countUnknownJoin();
    void ackJoin(qint64 ackId, const JoinMessage &join, const RoomManager::JoinOutcome &outcome);
    void handleSessionClosed(ServerSession::CloseReason reason, const QString &detail);
    void handleDisconnected();
    void replyError(qint64 ackId, const QString &message);
    void ack(qint64 ackId, const QJsonValue &value);

    EngineConnection *m_connection; // owned (child)
    ServerSession m_session;
    Limits m_limits;
    Services m_services;
    SessionCounters *m_counters;
    QString m_socketId; // the Socket.IO sid of namespace "/"
    QString m_pid;      // the recovery id, empty until CONNECT
    bool m_explicitDisconnect = false;
    Outbox m_outbox;
    double m_joinTokens = 0;
    QElapsedTimer m_joinClock;
    bool m_finished = false;
    int m_unknownJoins = 0;
    bool m_abusive = false; // closed for what it did: no recovery, policy-violation close code
};

} // namespace Reservo
