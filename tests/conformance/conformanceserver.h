// SPDX-License-Identifier: MIT
#pragma once

#include "engineserver.h"
#include "httpfrontdoor.h"
#include "serversession.h"

#include <QHostAddress>
#include <QObject>

namespace Reservo {

// The server the published Engine.IO v4 and Socket.IO v5 test suites run against: the protocol
// library behind echo handlers, plain Engine.IO at /engine.io/ and Socket.IO at /socket.io/.
class ConformanceServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int pingInterval = 300; // the suites' expected values
        int pingTimeout = 200;
        qint64 maxPayload = 1000000;
        // WebSocket shards, as reservo-ws's WORKER_THREADS. 0: one thread, so a WebSocket frame
        // and a later HTTP request are handled in the order the client sent them, which the
        // suites' upgrade tests assume.
        int workerThreads = 0;
    };

    explicit ConformanceServer(const Options &options, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const { return m_frontDoor.port(); }
    QString errorString() const { return m_frontDoor.errorString(); }

private:
    ServerSession *attachSession(EngineConnection *connection, bool socketIo);
    void handleEngineConnection(EngineConnection *connection);
    void handleSocketConnection(EngineConnection *connection);
    void handleConnectRequest(ServerSession *session, const QString &nsp, const QJsonValue &auth);
    void handleEvent(ServerSession *session, const QString &nsp, const QString &event,
                     const QJsonArray &args, qint64 ackId, const QList<QByteArray> &attachments);

    Options m_options;
    HttpFrontDoor m_frontDoor;
    EngineServer m_engineIo;
    EngineServer m_socketIo;
};

} // namespace Reservo
