// SPDX-License-Identifier: MIT
#pragma once

#include "engineconnection.h"
#include "httpfrontdoor.h"
#include "socketshards.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace Reservo {

// An Engine.IO v4 endpoint at one path of the HttpFrontDoor: checks every request (EIO, transport,
// method, sid, origin, limits), opens connections over WebSocket or HTTP long-polling, routes
// later polling requests and upgrade probes to their connection by sid.
class EngineServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString path = QStringLiteral("/socket.io/");
        qint64 maxPayload = 1000000;
        int maxConnections = 100000;
        int handshakeTimeoutMs = 10000;
        int upgradeTimeoutMs = 10000;
        bool allowPolling = true;
        QStringList allowedOrigins; // empty: any origin
        int workerThreads = 1;      // WebSocket shards; 0: everything on the calling thread
        std::function<QAbstractEventDispatcher *()> dispatcherFactory; // for worker threads
        SocketBatch::Method socketWrites = SocketBatch::Method::IoUring;
    };

    struct Counters
    {
        quint64 connectionsTotal = 0;
        quint64 pollingConnectionsTotal = 0;
        quint64 upgrades = 0;
        quint64 refusedConnections = 0;
        quint64 refusedHandshakes = 0;
        quint64 refusedOrigins = 0;
    };

    explicit EngineServer(const Options &options, QObject *parent = nullptr);
    ~EngineServer() override;

    // For HttpFrontDoor::setSocketHandler: takes the socket or returns the refusal to send.
    std::optional<HttpReply> handleRequest(QTcpSocket *socket, const HttpRequest &request);
    // New connections are refused from now on (503); existing ones carry on.
    void stopAccepting();

    int connectionCount() const { return m_liveConnections; }
    const Counters &counters() const { return m_counters; }
    const Options &options() const { return m_options; }

signals:
    // A new connection, parented to the server: connect to it (and reparent it) right away,
    // before control returns to the event loop.
    void newConnection(Reservo::EngineConnection *connection);

private:
    std::optional<HttpReply> checkRequest(const HttpRequest &request,
                                          QList<std::pair<QByteArray, QByteArray>> &cors);
    std::optional<HttpReply> admitNewConnection();
    EngineConnection::Options
    connectionOptions(const QList<std::pair<QByteArray, QByteArray>> &cors) const;
    void track(EngineConnection *connection);
    void handleNewWebSocket(WebSocketLink *socket);

    Options m_options;
    SocketShards m_shards;
    QHash<QString, EngineConnection *> m_bySid; // connections opened by long-polling
    int m_liveConnections = 0;
    Counters m_counters;
    bool m_closing = false;
};

} // namespace Reservo
