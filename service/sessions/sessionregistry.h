// SPDX-License-Identifier: MIT
#pragma once

#include "clientsession.h"
#include "engineserver.h"
#include "ratelimitedlog.h"
#include "serversession.h"

#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcWs)

namespace Reservo {

// Counters of what clients did, shared by the registry and its sessions (one thread).
struct SessionCounters
{
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 malformedPackets = 0;
    quint64 unknownEvents = 0;
    quint64 invalidJoins = 0;
    quint64 refusedNamespaces = 0;
    quint64 refusedAuth = 0;
    quint64 rateLimitedJoins = 0;
    quint64 slowClientEpisodes = 0;
    quint64 supersededFrames = 0;
    quint64 slowConsumersDropped = 0;
    quint64 unknownEventJoins = 0; // refused as unknown, or their room closed as unknown
    quint64 abusiveClosed = 0;     // connections closed for too many unknown events
    RateLimitedLog abusiveLog;     // one line per interval for all of them
};

// Every client's ClientSession: the Socket.IO endpoint at `/socket.io/` (an EngineServer, over
// WebSocket and long-polling) gives each new connection one, and the registry keeps them until
// they finish, closes them all at shutdown and gives memory back after waves of disconnections.
class SessionRegistry : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ServerSession::Options session;
        ClientSession::Limits client;
        EngineServer::Options engine;
    };

    SessionRegistry(const Options &options, const ClientSession::Services &services,
                    QObject *parent = nullptr);
    ~SessionRegistry() override;

    // For HttpFrontDoor::setSocketHandler: takes the socket or returns the refusal to send.
    std::optional<HttpReply> handleRequest(QTcpSocket *socket, const HttpRequest &request);
    void closeAll();

    int connectionCount() const { return m_engine.connectionCount(); }
    const SessionCounters &counters() const { return m_counters; }
    const EngineServer::Counters &engineCounters() const { return m_engine.counters(); }

signals:
    // After closeAll(): the last client is gone.
    void allClosed();

private:
    void handleNewConnection(EngineConnection *connection);
    void handleSessionFinished(ClientSession *session);
    void trimMemory();

    Options m_options;
    ClientSession::Services m_services;
    EngineServer m_engine;
    QSet<ClientSession *> m_sessions;
    SessionCounters m_counters;
    QTimer m_trimTimer;     // a quiet moment after a wave of disconnections
    QTimer m_lateTrimTimer; // later, when recovery sessions and empty rooms have expired
    int m_finishedSinceTrim = 0;
    int m_lateTrims = 0;
    bool m_closing = false;
};

} // namespace Reservo
