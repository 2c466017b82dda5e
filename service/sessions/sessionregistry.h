// SPDX-License-Identifier: MIT
#pragma once

#include "clientsession.h"
#include "engineserver.h"
#include "serversession.h"

#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcWs)

namespace Reservo {

// Counters of what clients did, shared by the gateway and its sessions (one thread).
struct GatewayCounters
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
};

// The product's Socket.IO endpoint at `/socket.io/`: an EngineServer (WebSocket and
// long-polling) whose every connection gets a ClientSession.
class SocketGateway : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ServerSession::Options session;
        ClientSession::Limits client;
        EngineServer::Options engine;
    };

    // services.counters is ignored: the gateway owns the counters.
    SocketGateway(const Options &options, const ClientSession::Services &services,
                  QObject *parent = nullptr);
    ~SocketGateway() override;

    // For HttpFrontDoor::setSocketHandler: takes the socket or returns the refusal to send.
    std::optional<HttpReply> handleRequest(QTcpSocket *socket, const HttpRequest &request);
    void closeAll();

    int connectionCount() const { return int(m_sessions.size()); }
    const GatewayCounters &counters() const { return m_counters; }
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
    GatewayCounters m_counters;
    QTimer m_trimTimer;     // a quiet moment after a wave of disconnections
    QTimer m_lateTrimTimer; // later, when recovery sessions and empty rooms have expired
    int m_finishedSinceTrim = 0;
    int m_lateTrims = 0;
    bool m_closing = false;
};

} // namespace Reservo
