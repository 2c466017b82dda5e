// SPDX-License-Identifier: MIT
#pragma once

#include "clientsession.h"
#include "httpfrontdoor.h"
#include "serversession.h"

#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QWebSocketServer>

Q_DECLARE_LOGGING_CATEGORY(lcWs)

namespace Reservo {

// Counters of what clients did, shared by the gateway and its sessions (one thread).
struct GatewayCounters
{
    quint64 connectionsTotal = 0;
    quint64 refusedConnections = 0;
    quint64 refusedHandshakes = 0;
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 malformedPackets = 0;
    quint64 unknownEvents = 0;
    quint64 invalidJoins = 0;
    quint64 refusedNamespaces = 0;
    quint64 refusedAuth = 0;
    quint64 refusedOrigins = 0;
    quint64 rateLimitedJoins = 0;
    quint64 slowClientEpisodes = 0;
    quint64 supersededFrames = 0;
    quint64 slowConsumersDropped = 0;
};

// The Engine.IO/Socket.IO endpoint: checks each `/socket.io/` request, upgrades it with
// QWebSocketServer and gives every connection a ClientSession.
class SocketGateway : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        ServerSession::Options session;
        ClientSession::Limits client;
        int maxConnections = 100000;
        int handshakeTimeoutMs = 10000;
        QStringList allowedOrigins; // empty: any origin
    };

    // services.counters is ignored: the gateway owns the counters.
    SocketGateway(const Options &options, const ClientSession::Services &services,
                  QObject *parent = nullptr);

    // For HttpFrontDoor::setSocketHandler: takes the socket or returns the refusal to send.
    std::optional<HttpReply> handleRequest(QTcpSocket *socket, const HttpRequest &request);
    void closeAll();

    int connectionCount() const { return int(m_sessions.size()); }
    const GatewayCounters &counters() const { return m_counters; }

signals:
    // After closeAll(): the last client is gone.
    void allClosed();

private:
    void handleNewConnection();
    void handleSessionFinished(ClientSession *session);

    Options m_options;
    ClientSession::Services m_services;
    QWebSocketServer m_server;
    QSet<ClientSession *> m_sessions;
    GatewayCounters m_counters;
    bool m_closing = false;
};

} // namespace Reservo
